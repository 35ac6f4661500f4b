"""The main window's gallery actions: delete to the trash with Undo, empty the trash, export, compare."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QMessageBox

from app.i18n import tr
from app.requests import GenerateRequest


@dataclass(frozen=True)
class ExportPicture:
    """A gallery picture handed to the export dialog; `remakeable` False: the merchant's own photo (no request)."""

    pixels: np.ndarray
    request: GenerateRequest
    remakeable: bool = True


def _pictures(text: str, n: int) -> str:
    """English sentences say "picture(s)"; settle it for n (the Chinese translations have no such marker)."""
    return text.replace("picture(s)", "picture" if n == 1 else "pictures")


class GalleryActionsMixin:
    """Needs self.state (AppState), self.show_message, self.export_available, self.gallery."""

    confirm_box: QMessageBox | None = None

    # ---- trash -----------------------------------------------------------------------------------
    def delete_selected(self) -> int:
        if not self.state.selection.ids:
            return 0
        n = self.state.gallery.delete(list(self.state.selection.ids))
        if n:
            self.show_message(_pictures(tr("%1 picture(s) moved to the trash. Press Ctrl+Z to bring them back.", n),
                                        n), kind="trash")
        return n

    def undo_delete(self) -> int:
        n = self.state.gallery.undo_delete()
        if n:
            self.show_message(_pictures(tr("%1 picture(s) are back in the gallery.", n), n), kind="trash")
        else:
            self.show_message(tr("There is nothing to bring back: the trash is empty."), kind="trash")
        return n

    def ask_empty_trash(self) -> QMessageBox | None:
        """Ask before removing the trash's pictures for good (non-blocking: the answer comes back later)."""
        n = self.state.gallery.trash_count()
        if not n:
            self.show_message(tr("The trash is empty."), kind="trash")
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Empty trash"),
                          _pictures(tr("Delete the %1 picture(s) in the trash for good? This cannot be undone.", n), n),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("Delete for good"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda answer: self._emptied(answer == QMessageBox.StandardButton.Yes))
        self.confirm_box = box
        box.open()
        return box

    def _emptied(self, yes: bool) -> None:
        if yes:
            n = self.state.gallery.empty_trash()
            self.show_message(_pictures(tr("%1 picture(s) were deleted for good.", n), n), kind="trash")

    # ---- export ----------------------------------------------------------------------------------
    def _export_items(self, ids: list[str]) -> list[ExportPicture]:
        from PIL import Image

        out = []
        for item_id in ids:
            it = self.state.gallery.get(item_id)
            if it is not None:
                with Image.open(self.state.gallery.path(it)) as im:
                    out.append(ExportPicture(np.asarray(im.convert("RGB")), it.request, it.remakeable))
        return out

    def open_export(self) -> None:
        """Export the selected pictures; with none selected, ask first, saying how many the gallery holds."""
        if not self.export_available:
            return
        if self.state.selection.ids:
            self._show_export(list(self.state.selection.ids))
            return
        ids = [i.id for i in self.state.gallery.items()]
        if not ids:
            return
        box = QMessageBox(QMessageBox.Icon.Question, tr("Export"),
                          tr("No picture is selected. Export all %1 pictures in the gallery?", len(ids)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("Export all %1", len(ids)))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda answer: answer == QMessageBox.StandardButton.Yes and self._show_export(ids))
        self.confirm_box = box
        box.open()

    def _show_export(self, ids: list[str]) -> None:
        module = importlib.import_module("app.ui.export_dialog")
        # Not the engine (it belongs to the worker thread): the dialog exports the pixels it is given, with the
        # bundled upscalers of its own (loaded on the export thread) for pictures still at the model's 64 px.
        upscalers = self._export_upscalers()
        self.export_dialog = module.ExportDialog(self._export_items(ids), self,
                                                 config_dir=self.state.settings.config_dir, engine=upscalers)
        self.export_dialog.show()

    def _export_upscalers(self):
        """Sharp/Faithful upscalers for the export dialog (None without paths: Lanczos only, as before)."""
        paths = getattr(self, "paths", None)
        if paths is None:
            return None
        from app.enlarging import BundledUpscalers

        if not hasattr(self, "_bundled_upscalers"):
            self._bundled_upscalers = BundledUpscalers(paths.bundled_models)
        return self._bundled_upscalers

    def compare(self) -> None:
        from app.ui.preview import CompareDialog

        if len(self.state.selection.ids) == 2:
            self.compare_dialog = CompareDialog(self.state, self.state.selection.ids, self)
            self.compare_dialog.show()
