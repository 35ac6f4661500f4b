"""How long a fine-tuning run is and what the merchant is told about it: step presets, this machine's measured
step time, the controls a UI sets while a run goes on, and the model-name rules.

Presets are *numbers of steps*, not times: the same photos, seed and preset give the same model on a busy or an
idle machine. Time only enters the estimate, from the seconds per step measured on this machine.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Callable

from app.engine.files import atomic_write_bytes
from app.engine.jobs import JobControl
from app.engine.registry import Registry
from app.engine.paths import AppPaths


@dataclass(frozen=True)
class Preset:
    label: str  # merchant-facing name (translated by the UI)
    steps: int  # training steps; the whole run's length
    nominal_minutes: int  # the time on a two-core CPU (bench/results/finetune.json: ≈1.35 s per step)
    adapt: str = "grade"  # the generator weights that learn (FinetuneRequest.adapt; bench/results/finetune-looks.json)


# Steps chosen from bench/results/finetune.json (123 steps in 165 s, 420 in 661 s on 2 cores).
PRESETS: dict[str, Preset] = {
    "quick": Preset("Quick", 120, 3),
    "standard": Preset("Standard", 420, 10),
    "thorough": Preset("Thorough", 1260, 30),
}
CALIBRATION_STEPS = 4  # steps timed (after the first, which warms up) before the speed is remembered
SPEED_FILE = "finetune-speed.json"  # in AppPaths.cache: the measured seconds per step, per base model
OVERHEAD = 1.04  # previews and "best so far" checks on top of the training steps


def preset_steps(preset: str) -> int:
    return PRESETS[preset].steps


def measured_speed(paths: AppPaths, base_id: str) -> float | None:
    """Seconds per step measured on this machine in an earlier run (None before the first measurement)."""
    try:
        v = float(json.loads((paths.cache / SPEED_FILE).read_text(encoding="utf-8"))[base_id])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return v if math.isfinite(v) and v > 0 else None


def remember_speed(paths: AppPaths, base_id: str, seconds: float) -> None:
    try:
        paths.cache.mkdir(parents=True, exist_ok=True)
        f = paths.cache / SPEED_FILE
        d = json.loads(f.read_text(encoding="utf-8")) if f.exists() else {}
        d[base_id] = round(seconds, 4)
        atomic_write_bytes(f, json.dumps(d).encode("utf-8"))
    except (OSError, ValueError):
        pass


def estimate_seconds(paths: AppPaths, preset: str, base_id: str = "vitrine-base") -> float | None:
    """The preset's time on this machine from its measured step time (None before the first measurement)."""
    spd = measured_speed(paths, base_id)
    return None if spd is None else PRESETS[preset].steps * spd


def minutes(seconds: float) -> int:
    """Seconds → the whole minutes a merchant is told ("about 4 min"); at least 1."""
    return max(1, int(math.ceil(seconds / 60.0 - 0.25)))


def preset_estimate(paths: AppPaths, preset: str, base_id: str = "vitrine-base") -> str:
    """English line for the command line: the preset, its steps and this machine's time when measured."""
    p = PRESETS[preset]
    s = estimate_seconds(paths, preset, base_id)
    when = f"about {minutes(s)} min on this computer" if s else f"about {p.nominal_minutes} min on a two-core computer"
    return f"{p.label}: {p.steps} steps, {when}"


class SpeedMeter:
    """Seconds per training step from an injectable clock; the plan never depends on it, only the estimate."""

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self.started: tuple[float, int] | None = None
        self.seconds_per_step: float | None = None

    def tick(self, step: int, first_step: int) -> bool:
        """Call after each step; True when a new measurement was made (after CALIBRATION_STEPS, then every 10)."""
        now = self.clock()
        if self.started is None or step - first_step == 1:
            self.started = (now, step)
            return False
        done = step - self.started[1]
        if done >= CALIBRATION_STEPS and (done == CALIBRATION_STEPS or done % 10 == 0):
            self.seconds_per_step = (now - self.started[0]) / done * OVERHEAD
            return True
        return False

    def eta(self, steps_left: int) -> float | None:
        return None if self.seconds_per_step is None else max(0.0, steps_left * self.seconds_per_step)


# The fine-tuning panel's controls are the job contract's (cancel, finish early keeping the best, pause).
FinetuneControl = JobControl


def safe_name(name: str) -> str:
    """A model name → a folder name that is safe on every file system."""
    s = re.sub(r"[^\w\-]+", "-", name.strip().lower(), flags=re.UNICODE).strip("-._")
    s = re.sub(r"-{2,}", "-", s)[:60]
    if not s or s in {"con", "prn", "aux", "nul"}:
        s = "shop-model"
    return s


def check_name(paths: AppPaths, name: str) -> str:
    """The folder id a name will get; refuses names of bundled models."""
    if not name.strip():
        raise ValueError("give the new model a name")
    mid = safe_name(name)
    reg = Registry(paths.bundled_models, None)
    if any(mid == m.id or name == m.name for m in reg.list()):
        raise ValueError(f"{name!r} is the name of a model that comes with Vitrine; choose another name")
    return mid


def resumable(paths: AppPaths, name: str) -> bool:
    """Whether a cancelled or interrupted run of this model name left a checkpoint to carry on from."""
    return (paths.data / "finetune-runs" / safe_name(name) / "checkpoint" / "finetune.json").exists()
