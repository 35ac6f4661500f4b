"""The description editor: multi-line text (Ctrl+Enter paints), attribute chips, history and templates."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMenu, QPlainTextEdit, QToolButton,
                               QVBoxLayout, QWidget)

from app.engine import vocab
from app.i18n import tr
from app.state import AppState
from app.ui.theme import icon



class DescriptionEdit(QPlainTextEdit):
    """A plain text box where Ctrl+Enter (Cmd+Enter on macOS) asks to generate."""

    submitted = Signal()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key_Return, Qt.Key_Enter) and e.modifiers() & Qt.ControlModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(e)


class AttributeChips(QWidget):
    """One chip per attribute showing what was understood; clicking a chip lets the merchant correct it."""

    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.description = state.description
        self.zh = state.settings.zh
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(QLabel(tr("Vitrine understood (click to correct):"), objectName="Hint"))
        self.chips: dict[str, QToolButton] = {}
        for attribute in vocab.ATTRIBUTES:
            chip = QToolButton(self, objectName="Chip")
            chip.setPopupMode(QToolButton.InstantPopup)
            chip.setMenu(self._menu(attribute))
            row = QHBoxLayout()
            row.addWidget(chip)
            row.addStretch(1)
            lay.addLayout(row)
            self.chips[attribute] = chip
        # A description that names no product Vitrine knows: say so, with the nearest products to pick from.
        self.unknown = QLabel(self, objectName="Hint", wordWrap=True)
        lay.addWidget(self.unknown)
        self.suggestion_row = QHBoxLayout()
        self.suggestions: list[QToolButton] = []
        for _ in range(3):
            button = QToolButton(self, objectName="Chip")
            button.clicked.connect(lambda _=False, b=button: self.description.set_override("category", b.property("key")))
            self.suggestion_row.addWidget(button)
            self.suggestions.append(button)
        self.suggestion_row.addStretch(1)
        lay.addLayout(self.suggestion_row)
        self.description.understanding_changed.connect(self.show_understanding)
        self.show_understanding(self.description.understanding)

    def _label(self, value) -> str:
        return value.zh if self.zh else value.en

    def _menu(self, attribute: str) -> QMenu:
        menu = QMenu(self)
        auto = menu.addAction(tr("Let Vitrine decide"))
        auto.triggered.connect(lambda: self.description.set_override(attribute, None))
        menu.addSeparator()
        for v in sorted(vocab.ATTRIBUTES[attribute], key=self._label):
            act = menu.addAction(self._label(v))
            act.setData(v.key)
            act.triggered.connect(lambda _=False, k=v.key: self.description.set_override(attribute, k))
        return menu

    def show_understanding(self, u) -> None:
        guesses = {g.attribute: g for g in u.guesses} if u is not None else {}
        titles = {"category": tr("Product"), "colour": tr("Colour"), "gender": tr("For")}
        for attribute, chip in self.chips.items():
            title = titles[attribute]
            g = guesses.get(attribute)
            if g is None:
                chip.setText(f"{title}: …")
                source, tip = "open", tr("Type a description to see how Vitrine reads it.")
            elif g.source == "open":
                # "kids": open between boys and girls, shown as what was read.
                shown = (g.label_zh if self.zh else g.label_en) if getattr(g, "matched", "") else tr("any")
                chip.setText(f"{title}: {shown}")
                source = "open"
                tip = tr("Not sure (best guess %1, %2%). Click to choose.", g.label_zh if self.zh else g.label_en,
                         round(g.confidence * 100))
            else:
                label = g.label_zh if self.zh else g.label_en
                chip.setText(f"{title}: {label}" + (f"  ✓ {tr('your choice')}" if g.source == "chosen"
                                                     else f"  · {round(g.confidence * 100)}%"))
                source = g.source
                tip = {"words": tr("Read from your words “%1”. Click to correct.", getattr(g, "matched", "")),
                       "meaning": tr("Guessed from the meaning of your description. Click to correct."),
                       "chosen": tr("Chosen by you. Click to change.")}.get(g.source, "")
            chip.setProperty("source", source)
            chip.setToolTip(tip)
            chip.style().unpolish(chip)
            chip.style().polish(chip)
        self._show_unknown(u)

    def _show_unknown(self, u) -> None:
        suggestions = list(getattr(u, "suggestions", ()) or ()) if getattr(u, "unknown_product", False) else []
        self.unknown.setText(tr("Vitrine does not know this product yet, so it would paint something unrelated. "
                                "Pick the closest one, or describe it with another word:") if suggestions else "")
        self.unknown.setVisible(bool(suggestions))
        for button, s in zip(self.suggestions, suggestions + [None] * len(self.suggestions)):
            button.setVisible(s is not None)
            if s is not None:
                button.setText(s.label_zh if self.zh else s.label_en)
                button.setProperty("key", s.key)


class TemplatesDialog(QDialog):
    """Edit the description templates, one per line."""

    def __init__(self, templates: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Edit templates"))
        lay = QVBoxLayout(self)
        hint = QLabel(tr("One template per line. {colour}, {category} and {gender} are filled in from the chips; "
                         "other {words} stay for you to replace."), objectName="Hint", wordWrap=True)
        self.edit = QPlainTextEdit("\n".join(templates))
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(hint)
        lay.addWidget(self.edit)
        lay.addWidget(buttons)
        self.resize(460, 260)

    def templates(self) -> list[str]:
        return [line.strip() for line in self.edit.toPlainText().splitlines() if line.strip()]


def fill_template(template: str, understanding, zh: bool) -> str:
    """Fill {colour}/{category}/{gender} from what was understood; leave other placeholders as they are."""
    values = {}
    for g in getattr(understanding, "guesses", ()) or ():
        if g.source != "open":
            values[g.attribute] = g.label_zh if zh else g.label_en
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


class DescriptionEditor(QWidget):
    """The description box with its chips and the history/template buttons."""

    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.description, self.settings = state.description, state.settings
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("DESCRIBE YOUR PRODUCT"), objectName="SectionTitle"))
        top.addStretch(1)
        self.history_button = QToolButton(icon=icon("history"), toolTip=tr("Earlier descriptions"))
        self.history_button.setPopupMode(QToolButton.InstantPopup)
        self.history_button.setMenu(QMenu(self))
        self.history_button.menu().aboutToShow.connect(self._fill_history)
        self.templates_button = QToolButton(icon=icon("template"), toolTip=tr("Templates"))
        self.templates_button.setPopupMode(QToolButton.InstantPopup)
        self.templates_button.setMenu(QMenu(self))
        self.templates_button.menu().aboutToShow.connect(self._fill_templates)
        top.addWidget(self.history_button)
        top.addWidget(self.templates_button)
        lay.addLayout(top)
        self.edit = DescriptionEdit()
        self.edit.setPlaceholderText(tr("e.g. navy blue cotton shirt for men — 男士深蓝色棉衬衫"))
        self.edit.setPlainText(self.description.text)
        self.edit.setFixedHeight(84)
        self.edit.setToolTip(tr("Describe the product in English or Chinese. Ctrl+Enter paints pictures."))
        self.edit.textChanged.connect(lambda: self.description.set_text(self.edit.toPlainText()))
        lay.addWidget(self.edit)
        self.chips = AttributeChips(state)
        lay.addWidget(self.chips)

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)
        self.edit.setFocus()

    def _fill_history(self) -> None:
        menu = self.history_button.menu()
        menu.clear()
        history = self.settings.history
        if not history:
            menu.addAction(tr("No earlier descriptions yet")).setEnabled(False)
        for text in history:
            menu.addAction(text if len(text) < 70 else text[:67] + "…").triggered.connect(
                lambda _=False, t=text: self.set_text(t))

    def _fill_templates(self) -> None:
        menu = self.templates_button.menu()
        menu.clear()
        zh = self.settings.zh
        for t in self.settings.templates:
            menu.addAction(t).triggered.connect(
                lambda _=False, t=t: self.set_text(fill_template(t, self.description.understanding, zh)))
        menu.addSeparator()
        menu.addAction(tr("Edit templates…")).triggered.connect(self.edit_templates)

    def edit_templates(self) -> None:
        dlg = TemplatesDialog(self.settings.templates, self)
        if dlg.exec() == QDialog.Accepted:
            self.settings.templates = dlg.templates()
