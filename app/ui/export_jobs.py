"""The export dialog's helpers: translated export errors (and job failures), recent folders."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices

from app.export import ExportError

RECENT_FILE = "export_recent.json"
MAX_RECENT = 8


def error_text(e: ExportError) -> str:
    """The export error's sentence in the merchant's language (its English template translated, then filled)."""
    text = QCoreApplication.translate("ExportDialog", getattr(e, "template", str(e)))
    for n, a in enumerate(getattr(e, "args_", ()), 1):
        text = text.replace(f"%{n}", a)
    return text


def open_folder(folder: Path) -> bool:
    """Show a folder in the system file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class RecentFolders:
    """The last folders exported to, kept in CONFIG/export_recent.json (a damaged file is ignored)."""

    def __init__(self, config_dir: Path | None):
        self.path = Path(config_dir) / RECENT_FILE if config_dir else None

    def load(self) -> list[str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
            return [str(f) for f in data.get("recent", []) if isinstance(f, str)][:MAX_RECENT]
        except (OSError, ValueError, AttributeError):
            return []

    def add(self, folder: str) -> list[str]:
        recent = [folder] + [f for f in self.load() if f != folder]
        recent = recent[:MAX_RECENT]
        if self.path:
            try:
                from app.output import atomic_write_bytes

                self.path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(self.path, json.dumps({"version": 1, "recent": recent}, ensure_ascii=False,
                                                         indent=2).encode("utf-8"))
            except OSError:
                pass  # remembering folders is a convenience; never fail an export for it
        return recent


def failure_text(failure) -> str:
    """An export job's Failure (app.workers) as the dialog says it: an ExportError's template translated, anything
    else as "the export failed unexpectedly"."""
    from app.workers import FAILED

    if failure.key == FAILED:
        return error_text(ExportError("The export failed unexpectedly (%1); nothing was written.", failure.text))
    return error_text(ExportError(failure.key, *failure.args))
