"""What the training panel says, in the merchant's language: photo refusal reasons by code, preset labels and time
left in minutes (the run's status comes from app.ui.progress_text, by message key).

A mixin of TrainingPanel, so self.tr() looks its sentences up in the "TrainingPanel" context
(scripts/update_translations.py collects them there).
"""

from __future__ import annotations

from app.engine.finetune_plan import PRESETS, minutes


class TrainingTexts:
    """Sentences of the training panel; needs self.tr (a QWidget)."""

    def _reason_text(self, r) -> str:
        """Why a photo is not used, in the merchant's language (by its code; English keeps the detailed reason)."""
        code = getattr(r, "code", "")
        if code == "duplicate" and r.reason.startswith("duplicate of "):
            return self.tr("the same photo as %1").replace("%1", r.reason[len("duplicate of "):])
        short = {"not_image": self.tr("not a picture"), "unreadable": self.tr("cannot be opened"),
                 "too_large": self.tr("too large for Vitrine"), "corrupt": self.tr("the file is damaged"),
                 "hidden": self.tr("a hidden file (skipped)"), "too_small": self.tr("too small to learn from"),
                 "blank": self.tr("blank or almost one colour: there is no product to learn from")}
        text = short.get(code)
        # Translated (Chinese): the short sentence; English: the engine's own, more detailed reason.
        if text is not None and text.isascii():
            return r.reason
        return text if text is not None else self.tr(r.reason)

    def _reason_for(self, code: str, reason: str) -> str:
        """Why a photo was skipped (a Progress's code and English reason), in the merchant's language."""
        from app.data.photo_import import Rejected

        return self._reason_text(Rejected("", reason, code))

    def _preset_label(self, preset: str, seconds: float | None) -> str:
        """"Quick: 120 steps, about 4 min on this computer" (measured), else the steps and when it is measured."""
        p = PRESETS[preset]
        name = self.tr(p.label)
        if seconds:
            return (self.tr("%1: %2 steps, about %3 min on this computer").replace("%1", name)
                    .replace("%2", str(p.steps)).replace("%3", str(minutes(seconds))))
        return (self.tr("%1: %2 steps (about %3 min on a two-core computer; measured on the first run)")
                .replace("%1", name).replace("%2", str(p.steps)).replace("%3", str(p.nominal_minutes)))

    def _eta_text(self, seconds: float) -> str:
        if seconds < 60:
            return self.tr("less than a minute left")
        return self.tr("about %1 min left").replace("%1", str(minutes(seconds)))
