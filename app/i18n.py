"""Qt translation: one context ("Vitrine") for every UI string; English source text, Simplified Chinese .qm/.ts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from app.paths import REPO_ROOT

CONTEXT = "Vitrine"
I18N_DIR = REPO_ROOT / "resources" / "i18n"


def tr(text: str, *args) -> str:
    """Translate `text`; %1, %2… are replaced by `args` after translation."""
    out = QCoreApplication.translate(CONTEXT, text)
    for n, a in enumerate(args, 1):
        out = out.replace(f"%{n}", str(a))
    return out


def resolve_language(setting: str) -> str:
    """"auto" follows the system locale: Chinese for any zh locale, English otherwise."""
    if setting in ("en", "zh"):
        return setting
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


class TsTranslator(QTranslator):
    """Reads a Qt Linguist .ts file directly (used when the compiled .qm is missing)."""

    def __init__(self, ts_path: Path, parent=None):
        super().__init__(parent)
        self._table: dict[tuple[str, str], str] = {}
        root = ET.parse(ts_path).getroot()
        for ctx in root.iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                src, tr_el = msg.findtext("source"), msg.find("translation")
                if src is None or tr_el is None or tr_el.get("type") in ("unfinished", "obsolete"):
                    continue
                text = tr_el.findtext("numerusform") if msg.get("numerus") == "yes" else tr_el.text
                if text and text.strip():
                    self._table[(name, src)] = text

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 — Qt override
        # None (a null string) makes Qt fall back to the source text; "" would show an empty label.
        text = self._table.get((context, source_text))
        return text.replace("%n", str(n)) if text is not None and n >= 0 else text

    def isEmpty(self) -> bool:
        return not self._table


def install_translator(app, language: str) -> QTranslator | None:
    """Install the Chinese translation when `language` resolves to zh; returns it (keep a reference)."""
    if resolve_language(language) != "zh":
        return None
    qm, ts = I18N_DIR / "vitrine_zh_CN.qm", I18N_DIR / "vitrine_zh_CN.ts"
    translator = QTranslator(app)
    if not (qm.exists() and translator.load(str(qm))):
        if not ts.exists():
            return None
        translator = TsTranslator(ts, app)
    app.installTranslator(translator)
    return translator
