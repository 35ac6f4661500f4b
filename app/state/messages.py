"""What the state has to tell the merchant that is not a picture: errors and notices (the window shows them)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Messages(QObject):
    """Shared by the state models; the main window shows each in its banner."""

    error_raised = Signal(str)
    notice_raised = Signal(str)  # news that is not an error (e.g. how many pictures a stopped batch kept)

    def error(self, text: str) -> None:
        self.error_raised.emit(text)

    def notice(self, text: str) -> None:
        self.notice_raised.emit(text)
