"""Dropping local files on a widget: a mixin that accepts URL drags and hands the paths to files_dropped()."""

from __future__ import annotations


class FileDropMixin:
    """Put before the Qt base class; the widget calls setAcceptDrops(True) and implements files_dropped(paths)."""

    def files_dropped(self, paths: list[str]) -> None:
        raise NotImplementedError

    def dragEnterEvent(self, event) -> None:  # noqa: N802 — Qt naming
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.files_dropped(files)
