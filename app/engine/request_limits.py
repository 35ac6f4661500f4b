"""The limits every generation request must keep, checked where requests come from files (metadata, sidecars)
and from the command line: a hostile picture can hold a 10 MB description or a NaN slider, a merchant cannot.

No Qt, no torch: the request layer imports it. The numbers match the engine's own checks.
"""

from __future__ import annotations

import math

from app.engine.messages import reason, say

MAX_DESCRIPTION = 2000  # characters; far beyond any product title, and understanding stays quick and linear
SLIDER_RANGE = 3.0  # a slider moves at most ±3 σ (the UI's range)
MAX_SLIDERS = 64
MAX_COUNT = 256
MIN_SIZE, MAX_SIZE = 16, 4096
MAX_SEED = 2 ** 62
MAX_START = 2 ** 31
MAX_TRUNCATION = 2.0
MAX_VARIATION = 10.0
MAX_NAME = 200


class RequestLimitError(ValueError):
    """A request outside the app's limits; the message is one sentence for the merchant."""


def check_description(text: str) -> None:
    if len(text) > MAX_DESCRIPTION:
        raise RequestLimitError(say("description_long", n=len(text), limit=MAX_DESCRIPTION))


def _finite(value: float, low: float, high: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high


def problems(req) -> str | None:
    """What is wrong with a GenerateRequest (a short English reason), or None when it keeps every limit."""
    if not all(isinstance(getattr(req, k), str) for k in ("description", "model_id", "model_hash", "latent")):
        return "a field has the wrong type"
    if len(req.description) > MAX_DESCRIPTION:
        return "the description is too long"
    if len(req.offsets) > MAX_SLIDERS or not all(
            len(name) <= MAX_NAME and _finite(v, -SLIDER_RANGE, SLIDER_RANGE) for name, v in req.offsets):
        return "a slider value is not a finite number within the slider's range"
    numbers = ((req.count, 0, MAX_COUNT), (req.size, MIN_SIZE, MAX_SIZE), (req.seed, -MAX_SEED, MAX_SEED),
               (req.start, 0, MAX_START), (req.truncation, 0.0, MAX_TRUNCATION), (req.variation, 0.0, MAX_VARIATION))
    if not all(_finite(v, lo, hi) for v, lo, hi in numbers):
        return "a number is outside the allowed range"
    if len(req.model_id) > MAX_NAME or len(req.model_hash) > 64 or len(req.overrides) > 16 or \
            any(len(k) > MAX_NAME or len(v) > MAX_NAME for k, v in req.overrides):
        return "a number is outside the allowed range"
    return None


def check(req, source: str = "") -> None:
    """Raise RequestLimitError unless `req` keeps every limit; `source` names the file it came from."""
    if isinstance(req.description, str) and len(req.description) > MAX_DESCRIPTION:
        raise RequestLimitError(say("description_long", n=len(req.description), limit=MAX_DESCRIPTION))
    why = problems(req)
    if why:
        limits = (f"sliders within ±{SLIDER_RANGE:g}, 1–{MAX_COUNT} pictures, {MIN_SIZE}–{MAX_SIZE} px, "
                  f"creativity 0–{MAX_TRUNCATION:g}")
        raise RequestLimitError(say("request_bad", file=source or "this request", reason=f"{reason(why)} ({limits})"))
