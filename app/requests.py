"""Frozen request and result types shared by every layer: they live in app/engine/requests.py (re-exported here),
except the older progress record below, kept while callers move to app.engine.jobs.Progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.engine.requests import ENLARGE_STYLES, REQUEST_SCHEMA, GeneratedImage, GenerateRequest  # noqa: F401


@dataclass(frozen=True)
class Progress:
    """DEPRECATED: the older progress record, kept while callers move to app.engine.jobs.Progress (the job
    contract: typed phase, message_key from a closed set, args). The engine yields jobs.Progress, which also
    answers .step, .key and .message the way this one does."""

    step: int
    total: int
    message: str = ""
    eta_s: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    preview: np.ndarray | None = None  # (H, W, 3) uint8 grid, when there is one
    # What happened, typed, for a UI that says it in the merchant's language ("" when only `message` exists):
    # "step", "resumed", "cancelled", "finished", "skipped", … with its values in `args` (e.g. {"name": …}).
    # `message` stays the English sentence for logs and the command line; never parse it.
    key: str = ""
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, self.step / self.total)
