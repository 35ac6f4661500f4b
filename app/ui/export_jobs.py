"""The export dialog's helpers: translated export errors, recent folders, and the thread an export runs on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from app.export import ExportError, ExportResult
from app.requests import Progress

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


class ExportThread(QThread):
    """Runs one export off the UI thread; signals carry progress and the outcome."""

    progress_changed = Signal(int, int, str)
    succeeded = Signal(object)  # ExportResult
    failed = Signal(str)

    def __init__(self, job: Callable[..., ExportResult], parent=None):
        super().__init__(parent)
        self._job = job
        self._stop = False

    def stop(self) -> None:
        self._stop = True

    def run(self) -> None:
        def report(p: Progress) -> None:
            self.progress_changed.emit(p.step, p.total, p.message)

        try:
            result = self._job(progress=report, should_stop=lambda: self._stop)
        except ExportError as e:
            self.failed.emit(error_text(e))
        except Exception as e:  # noqa: BLE001 — any surprise becomes a message box, not a crash
            self.failed.emit(error_text(ExportError("The export failed unexpectedly (%1); nothing was written.", e)))
        else:
            self.succeeded.emit(result)
