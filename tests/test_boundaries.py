"""The layers stay layers (issue 19): the import-linter contracts in pyproject.toml hold, and the engine imports
nothing from the app but itself and app.data (plain readers), and no Qt — so it runs under a CLI, a test or a
worker process alike."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qtpy", "superqt")


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module an .py file imports, anywhere in it (functions too), with its line."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.append((node.lineno, node.module))
    return out


def test_the_engine_imports_only_itself_app_data_and_no_qt():
    bad = []
    for path in sorted((ROOT / "app" / "engine").rglob("*.py")):
        for line, module in _imports(path):
            top = module.split(".")[0]
            in_app = module == "app" or module.startswith("app.")
            allowed = module.startswith(("app.engine", "app.data")) or module in ("app.engine", "app.data")
            if (in_app and not allowed) or top in QT:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def test_app_data_imports_only_itself_and_the_engine():
    bad = [f"{p.relative_to(ROOT)}:{line} imports {m}" for p in sorted((ROOT / "app" / "data").rglob("*.py"))
           for line, m in _imports(p)
           if (m.startswith("app.") and not m.startswith(("app.data", "app.engine"))) or m.split(".")[0] in QT]
    assert not bad, "\n".join(bad)


def test_the_import_linter_contracts_hold():
    """lint-imports with the contracts of pyproject.toml (layers ui → state/workers → services → engine; no Qt in
    the engine)."""
    cli = pytest.importorskip("importlinter.cli", reason="import-linter is in the [test] extra (make test installs it)")
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0
