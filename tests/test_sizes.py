"""Sizes a reader can hold in mind (issue 19): no module in app/ or bench/ over 400 lines, no function (or method)
over 60 lines. On failure the message lists every offender, module by module, so each owner finds theirs."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
FOLDERS = ("app", "bench")


def _sources() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def offenders() -> list[str]:
    """'path: N lines' for long modules and 'path:line name(): N lines' for long functions (decorators included)."""
    out = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        n = len(text.splitlines())
        if n > MAX_MODULE_LINES:
            out.append(f"{rel}: module of {n} lines (max {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                length = node.end_lineno - start + 1
                if length > MAX_FUNCTION_LINES:
                    out.append(f"{rel}:{node.lineno} {node.name}(): {length} lines (max {MAX_FUNCTION_LINES})")
    return out


def test_modules_and_functions_stay_small():
    found = offenders()
    assert not found, f"{len(found)} over the limits:\n" + "\n".join(found)


if __name__ == "__main__":  # python tests/test_sizes.py: the list, one offender a line
    print("\n".join(offenders()) or "all within the limits")
