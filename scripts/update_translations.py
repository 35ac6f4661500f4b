"""Collect every tr("…") string of the UI into resources/i18n/vitrine_zh_CN.ts (keeping existing translations)
and compile it to .qm with pyside6-lrelease (when it is installed; app/i18n.py can also read the .ts directly).

Run: .venv/bin/python scripts/update_translations.py
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app" / "state.py", ROOT / "app" / "main.py", *sorted((ROOT / "app" / "ui").glob("*.py"))]
TS = ROOT / "resources" / "i18n" / "vitrine_zh_CN.ts"
CONTEXT = "Vitrine"
SKIP = {"export_dialog.py", "training_panel.py"}  # built separately, with their own contexts


def ui_strings() -> dict[str, str]:
    """source text → 'file:line' of its first use."""
    found: dict[str, str] = {}
    for path in SOURCES:
        if path.name in SKIP:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def read_ts() -> dict[str, str]:
    if not TS.exists():
        return {}
    out = {}
    for msg in ET.parse(TS).getroot().iter("message"):
        t = msg.find("translation")
        if t is not None and t.text and t.get("type") != "unfinished":
            out[msg.findtext("source")] = t.text
    return out


def write_ts(strings: dict[str, str], translations: dict[str, str]) -> list[str]:
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    missing = []
    for source, where in strings.items():
        msg = ET.SubElement(ctx, "message")
        file, line = where.rsplit(":", 1)
        ET.SubElement(msg, "location", filename=f"../../{file}", line=line)
        ET.SubElement(msg, "source").text = source
        t = ET.SubElement(msg, "translation")
        if source in translations:
            t.text = translations[source]
        else:
            t.set("type", "unfinished")
            missing.append(source)
    ET.indent(root)
    TS.parent.mkdir(parents=True, exist_ok=True)
    TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, encoding="unicode") + "\n",
                  encoding="utf-8")
    return missing


def compile_qm() -> bool:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    if not Path(lrelease).exists():
        print("pyside6-lrelease not found: the app will read the .ts file directly")
        return False
    subprocess.run([lrelease, str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)
    return True


def main() -> int:
    missing = write_ts(ui_strings(), read_ts())
    for m in missing:
        print("untranslated:", m)
    compile_qm()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
