"""What a long job's Progress says, in the merchant's language: one sentence for each message key of
app.engine.jobs.MESSAGE_KEYS, filled from the Progress's args (never from its English `message`).

Every key the engine lists has a sentence here (tests/test_ui_progress_text.py checks English and Chinese).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from app.i18n import tr


class _Args(dict):
    """A Progress's args; a missing step/done/total falls back to the Progress's own counters."""

    def __init__(self, p):
        super().__init__(p.args or {})
        self.p = p

    def __missing__(self, name: str) -> Any:
        return {"step": self.p.done, "done": self.p.done, "total": self.p.total, "steps": self.p.total}.get(name, "")


def _cancelled_finetune(a: Mapping) -> str:
    if a.get("resumable"):
        return tr("Cancelled at step %1 of %2; no model was saved. Press “Resume training” to carry on.",
                  a["step"], a["total"])
    return tr("Cancelled; no model was saved. Your existing models are unchanged.")


def _condition(a: Mapping) -> str:
    if a["description"]:
        return tr("The photo reads as “%1”; finding it in the model…", a["description"])
    return tr("Finding the photo in the model…")


def _exporting(a: Mapping) -> str:
    total = int(a["total"] or 0)
    return tr("Exporting picture %1 of %2…", min(int(a["done"] or 0) + 1, max(total, 1)), total)


TEXTS: dict[str, Callable[[Mapping], str]] = {
    "train.resumed": lambda a: tr("Carried on from step %1", a["step"]),
    "train.step": lambda a: tr("Training the base model: step %1", a["step"]),
    "train.nan_restored": lambda a: tr("A calculation went wrong; Vitrine went back to the last good state."),
    "train.collapse_restored": lambda a: tr("The pictures started to look all alike; Vitrine went back to the last "
                                            "good state."),
    "train.finished": lambda a: tr("Training finished."),
    "finetune.skipped": lambda a: tr("Skipped %1: %2", a["file"], a["reason"]),
    "finetune.resumed": lambda a: tr("Carried on from step %1", a["step"]),
    "finetune.preparing": lambda a: tr("Comparing the base model with your photos…"),
    "finetune.step": lambda a: tr("Learning your shop's look: step %1 of %2", a["step"], a["total"]),
    "finetune.nan_restored": lambda a: tr("A calculation went wrong; Vitrine went back to the last good state."),
    "finetune.collapse_restored": lambda a: tr("The pictures started to look all alike; Vitrine went back to the "
                                               "last good state."),
    "finetune.cancelled": _cancelled_finetune,
    "finetune.finished": lambda a: tr("Finished: your model “%1” is saved.", a["name"]),
    "upscale.step": lambda a: tr("Training the upscaler: step %1 of %2", a["step"], a["total"]),
    "upscale.finished": lambda a: tr("The upscaler is trained."),
    "invert.prepared": lambda a: tr("Preparing the photo…"),
    "invert.condition": _condition,
    "invert.step": lambda a: tr("Finding the photo: step %1 of %2", a["step"], a["steps"]),
    "invert.finished": lambda a: tr("Found the photo in the model."),
    "invert.cancelled": lambda a: tr("Start from photo was cancelled."),
    "generate.pictures": lambda a: tr("%1 of %2 pictures painted", a["done"], a["total"]),
    "generate.finished": lambda a: tr("%1 pictures painted", a["total"]),
    "generate.cancelled": lambda a: tr("Stopped after %1 pictures", a["done"]),
    "export.file": _exporting,
    "export.finished": lambda a: tr("Exported %1 pictures", a["total"]),
}


def progress_text(p, reason: Callable[[str, str], str] | None = None) -> str:
    """The sentence for a Progress in the window's language ("" for a key without one: never English text).

    reason(code, reason): how the caller says why a photo was skipped (the training panel translates by code).
    """
    make = TEXTS.get(getattr(p, "message_key", ""))
    if make is None:
        return ""
    args = _Args(p)
    if p.message_key == "finetune.skipped" and reason is not None:
        args["reason"] = reason(str(args["code"]), str(args["reason"]))
    return make(args)
