"""What the training panel says, in the merchant's language: run status from typed Progress keys (never parsed
from the engine's English), photo refusal reasons by code, preset labels and time left in minutes.

A mixin of TrainingPanel, so self.tr() looks its sentences up in the "TrainingPanel" context
(scripts/update_translations.py collects them there).
"""

from __future__ import annotations

from app.engine.finetune_plan import PRESETS, minutes
from app.requests import Progress


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

    def _status_for(self, p: Progress) -> str | None:
        """The status line for a Progress of a run, from its key; None keeps the line as it is."""
        a = p.args
        step, total = str(a.get("step", p.step)), str(a.get("total", p.total))
        if p.key == "step":
            return self.tr("Learning your shop's look: step %1 of %2").replace("%1", step).replace("%2", total)
        if p.key == "preparing":
            return self.tr("Comparing the base model with your photos…")
        if p.key == "resumed":
            return self.tr("Carried on from step %1").replace("%1", step)
        if p.key == "nan_restored":
            return self.tr("A calculation went wrong; Vitrine went back to the last good state.")
        if p.key == "collapse_restored":
            return self.tr("The pictures started to look all alike; Vitrine went back to the last good state.")
        if p.key == "cancelled":
            if a.get("resumable"):
                return self.tr("Cancelled at step %1 of %2; no model was saved. Press “Resume training” to carry on.") \
                    .replace("%1", step).replace("%2", total)
            return self.tr("Cancelled; no model was saved. Your existing models are unchanged.")
        if p.key == "finished":
            return self.tr("Finished: your model “%1” is saved.").replace("%1", str(a.get("name", "")))
        if p.key == "skipped":
            from app.data.photo_import import Rejected

            r = Rejected(a.get("file", ""), str(a.get("reason", "")), str(a.get("code", "")))
            return self.tr("Skipped %1: %2").replace("%1", str(a.get("file", ""))).replace("%2", self._reason_text(r))
        return None  # a Progress without a known key: its English message is never shown

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
