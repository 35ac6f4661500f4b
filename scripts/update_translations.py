"""Collect every tr("…") string of the UI into resources/i18n/vitrine_zh_CN.ts (keeping existing translations)
and compile it to .qm with pyside6-lrelease (when it is installed; app/i18n.py can also read the .ts directly).

Most of the UI uses app.i18n.tr (context "Vitrine"). The export dialog and the training panel use Qt's
self.tr(…), whose context is the class name (ExportDialog, TrainingPanel): their strings are collected per class,
plus the few labels they translate from variables (DYNAMIC). self.tr(text, "", n) becomes a numerus message.

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
SOURCES = [*sorted((ROOT / "app" / "state").glob("*.py")), ROOT / "app" / "main.py",
           *sorted((ROOT / "app" / "ui").glob("*.py"))]
TS = ROOT / "resources" / "i18n" / "vitrine_zh_CN.ts"
CONTEXT = "Vitrine"
SKIP = {"export_dialog.py", "training_panel.py", "training_text.py"}  # built separately, with their own contexts (CLASS_SOURCES)
CLASS_SOURCES = [ROOT / "app" / "ui" / "export_dialog.py", ROOT / "app" / "ui" / "training_panel.py",
                 ROOT / "app" / "ui" / "training_text.py"]
CONTEXT_OF = {"TrainingTexts": "TrainingPanel"}  # a mixin's self.tr() runs in the context of the panel it is part of


def dynamic_strings() -> dict[str, list[str]]:
    """Labels those classes pass to self.tr() through a variable: presets and the photo importer's reasons."""
    from app.export import PRESETS as EXPORT_PRESETS

    # The fine-tuning presets' labels: Preset("Quick", …) calls of app/engine/finetune_plan.py (read, not imported).
    tree = ast.parse((ROOT / "app" / "engine" / "finetune_plan.py").read_text(encoding="utf-8"))
    preset_labels = [n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call)
                     and getattr(n.func, "id", "") == "Preset" and n.args and isinstance(n.args[0], ast.Constant)]
    # Reasons of app/data/photo_import.py that hold no number (the others cannot match a fixed source text).
    reasons = ["not an image", "not an image (empty file)", "corrupt (the file is damaged)",
               "corrupt (the file is damaged or cut short)", "an empty folder, not a picture",
               "a hidden file or folder (skipped)", "not a regular file", "a link to a folder (not followed)",
               "cannot be read (it does not exist)"]
    return {"ExportDialog": [p.label for p in EXPORT_PRESETS.values()] + export_error_templates(),
            "TrainingPanel": preset_labels + reasons}


def export_error_templates() -> list[str]:
    """ExportError("…%1…", …) sentences: the export dialog translates them (app.ui.export_dialog.error_text)."""
    found = []
    for path in (ROOT / "app" / "export.py", ROOT / "app" / "export_write.py", ROOT / "app" / "ui" / "export_jobs.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and node.value.elts:
                first = node.value.elts[0]  # app.export._os_message returns (template, *args)
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and "%1" in first.value:
                    found.append(first.value)
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ExportError" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append(node.args[0].value)
    return list(dict.fromkeys(found))


def class_strings() -> dict[tuple[str, str], tuple[str, bool]]:
    """(class name, source text) → ('file:line', numerus) for every self.tr("…") inside a class of CLASS_SOURCES."""
    found: dict[tuple[str, str], tuple[str, bool]] = {}
    for path in CLASS_SOURCES:
        for cls in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(cls, ast.ClassDef):
                continue
            for node in ast.walk(cls):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "tr"
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "self" and node.args
                        and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    found.setdefault((CONTEXT_OF.get(cls.name, cls.name), node.args[0].value),
                                     (f"{path.relative_to(ROOT)}:{node.lineno}", len(node.args) >= 3))
    for ctx, texts in dynamic_strings().items():
        for text in texts:
            found.setdefault((ctx, text), ("", False))
    return found


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


def read_ts_all() -> dict[tuple[str, str], str]:
    """(context, source) → finished translation (for numerus messages: the first form)."""
    if not TS.exists():
        return {}
    out = {}
    for ctx in ET.parse(TS).getroot().iter("context"):
        name = ctx.findtext("name") or CONTEXT
        for msg in ctx.iter("message"):
            t = msg.find("translation")
            if t is None or t.get("type") in ("unfinished", "obsolete"):
                continue
            text = t.text if msg.get("numerus") != "yes" else t.findtext("numerusform")
            if text:
                out[(name, msg.findtext("source"))] = text
    return out


def read_ts() -> dict[str, str]:
    """Source → translation in the main "Vitrine" context."""
    return {src: text for (ctx, src), text in read_ts_all().items() if ctx == CONTEXT}


def _message(ctx_el, source: str, where: str, translation: str | None, numerus: bool = False) -> bool:
    msg = ET.SubElement(ctx_el, "message")
    if numerus:
        msg.set("numerus", "yes")
    if where:
        file, line = where.rsplit(":", 1)
        ET.SubElement(msg, "location", filename=f"../../{file}", line=line)
    ET.SubElement(msg, "source").text = source
    t = ET.SubElement(msg, "translation")
    target = ET.SubElement(t, "numerusform") if numerus else t  # Chinese has one plural form
    if translation:
        target.text = translation
        return True
    t.set("type", "unfinished")
    return False


def write_ts(strings: dict[str, str], translations: dict[str, str],
             classes: dict[tuple[str, str], tuple[str, bool]] | None = None,
             class_translations: dict[tuple[str, str], str] | None = None) -> list[str]:
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    missing = []
    for source, where in strings.items():
        if not _message(ctx, source, where, translations.get(source)):
            missing.append(source)
    contexts: dict[str, ET.Element] = {}
    for (name, source), (where, numerus) in sorted((classes or {}).items(), key=lambda kv: kv[0][0]):
        if name not in contexts:
            contexts[name] = ET.SubElement(root, "context")
            ET.SubElement(contexts[name], "name").text = name
        if not _message(contexts[name], source, where, (class_translations or {}).get((name, source)), numerus):
            missing.append(f"[{name}] {source}")
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
    missing = write_ts(ui_strings(), read_ts(), class_strings(), read_ts_all())
    for m in missing:
        print("untranslated:", m)
    compile_qm()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
