"""The one training loop: the base model, few-shot fine-tuning and the upscaler all train through `TrainLoop`.

    loop = TrainLoop(recipe, Recovery(...), Checkpointer(out / "checkpoint"), Budget(max_steps, wall_s, cpu_s))
    why = yield from loop.run(control)          # "done" | "stopped" | "budget" | "nan" | "collapse"

Each step: wait while paused → stop? budget spent? → recipe.train_step() → NaN/inf? restore the last good state
(Recovery) → step += 1 → now and then a preview: collapsed? restore; else it is the new last good state →
recipe.log() → every N steps recipe.save(checkpointer) → yield Progress.

The recipe (a `Recipe`) owns the networks, the data and the step; the loop owns the order of things, the clocks,
the recoveries and the Progress. What happens before the loop (resume) and after it (export, publish) is the
recipe's job function's, around `yield from loop.run(...)`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Generator

import numpy as np

from app.engine.jobs import JobControl, Phase, Progress
from app.engine.train_checkpoint import Checkpointer


class Recipe:
    """What a training recipe supplies to the loop. Subclasses set `key` ("train", "finetune", "upscale": the
    prefix of their Progress keys) and implement train_step, snapshot/restore and save; the rest is optional."""

    key = "train"
    step: int = 0
    wall: float = 0.0  # seconds spent training (over resumes)
    cpu_s: float = 0.0  # process CPU seconds spent training (over resumes)
    recoveries: int = 0

    def train_step(self) -> dict[str, float]:
        raise NotImplementedError

    def snapshot(self) -> dict:
        """Everything a recovery puts back (weights, optimisers, the step)."""
        raise NotImplementedError

    def restore(self, snap: dict) -> None:
        raise NotImplementedError

    def save(self, checkpointer: Checkpointer, metrics: dict[str, float]) -> None:
        """Write the checkpoint (and whatever goes with it every checkpoint_every steps)."""
        raise NotImplementedError

    def preview_due(self, start_step: int, max_steps: int) -> bool:
        return False

    def preview(self) -> tuple[np.ndarray, float]:
        """The sample grid and the spread of its pictures (the collapse check)."""
        raise NotImplementedError

    def keep(self, metrics: dict[str, float], preview: np.ndarray) -> None:
        """After a preview that did not collapse (sample files, best-so-far check)."""

    def log(self, metrics: dict[str, float], preview: np.ndarray | None) -> None:
        """After each step (metrics.jsonl, a speed measurement)."""

    def eta(self, total: int, seconds_per_step: float | None) -> float | None:
        return None if seconds_per_step is None else (total - self.step) * seconds_per_step


@dataclass
class Budget:
    """How long a run may go: a number of steps, and optionally seconds of wall-clock or CPU time (over resumes).

    Wall time counts the steps themselves (from after a pause to the Progress), not the pauses, nor the time the
    consumer spends between Progress reports."""

    max_steps: int
    wall_s: float = math.inf
    cpu_s: float = math.inf
    clock: Callable[[], float] = time.perf_counter
    cpu_clock: Callable[[], float] = time.process_time
    _start: tuple[int, float, float, float] = field(default=(0, 0.0, 0.0, 0.0), init=False)

    @classmethod
    def of(cls, max_steps: int, minutes: float | None = None, cpu_minutes: float | None = None, **kw) -> "Budget":
        return cls(max_steps, minutes * 60 if minutes else math.inf, cpu_minutes * 60 if cpu_minutes else math.inf, **kw)

    def begin(self, r: Recipe) -> None:
        self._start = (r.step, r.wall, r.cpu_s, self.cpu_clock())

    def spent(self, r: Recipe) -> bool:
        """Updates the recipe's CPU seconds; True when a time budget is used up."""
        r.cpu_s = self._start[2] + self.cpu_clock() - self._start[3]
        return r.wall >= self.wall_s or r.cpu_s >= self.cpu_s

    def seconds_per_step(self, r: Recipe) -> float | None:
        steps, seconds = r.step - self._start[0], r.wall - self._start[1]
        return seconds / steps if steps > 0 and seconds > 0 else None

    def total(self, r: Recipe) -> int:
        """The steps this run will reach: max_steps, or fewer when the wall-clock budget ends it first."""
        per_step = self.seconds_per_step(r)
        if self.wall_s == math.inf or per_step is None:
            return self.max_steps
        return min(self.max_steps, r.step + int(max(0.0, self.wall_s - r.wall) / per_step))


@dataclass
class Recovery:
    """NaN / inf losses and mode collapse: go back to the last good state (the last preview that did not collapse).

    nan_limit: bad steps in a row before giving up: raise (base model) or stop the loop (fine-tuning keeps its best).
    Collapse: a preview's spread below collapse_threshold, once the run is past collapse_min_step (absolute) and
    collapse_min_run (steps since this session started); more than collapse_limit in a row stops the loop."""

    enabled: bool = True
    nan_limit: int = 5
    nan_raises: bool = True
    collapse_threshold: float = 0.01
    collapse_min_step: int = 0
    collapse_min_run: int = 0
    collapse_limit: int | None = None
    last_good: dict | None = None
    _bad_in_row: int = 0
    _collapses_in_row: int = 0

    def mark_good(self, r: Recipe) -> None:
        self.last_good = {**r.snapshot(), "step": r.step}
        self._collapses_in_row = 0

    def _restore(self, r: Recipe, key: str, total: int, **metrics: float) -> Progress:
        r.recoveries += 1
        r.restore(self.last_good)
        r.step = self.last_good["step"]
        return Progress(Phase.RECOVERING, r.step, total, f"{r.key}.{key}", {"step": r.step, "total": total},
                        metrics={"recoveries": float(r.recoveries), **metrics})

    def numerical_problem(self, r: Recipe, total: int) -> Progress | None:
        """After a step with NaN/inf: the Progress that says it was undone, or None when the loop should stop."""
        self._bad_in_row += 1
        if self._bad_in_row > self.nan_limit and not self.nan_raises:
            return None
        p = self._restore(r, "nan_restored", total)
        if self._bad_in_row > self.nan_limit:
            raise RuntimeError("training keeps producing NaNs; stopped with the last good model kept")
        return p

    def good_step(self) -> None:
        self._bad_in_row = 0

    def collapsed(self, r: Recipe, spread: float, start_step: int, total: int) -> Progress | None | bool:
        """False: no collapse; a Progress: collapse undone, go on; None: collapsed too often, stop (restored)."""
        if r.step <= self.collapse_min_step or r.step - start_step <= self.collapse_min_run \
                or not spread < self.collapse_threshold:
            return False
        self._collapses_in_row += 1
        if self.collapse_limit is not None and self._collapses_in_row > self.collapse_limit:
            self._restore(r, "collapse_restored", total)
            return None
        return self._restore(r, "collapse_restored", total, spread=spread)


def finite(metrics: dict[str, float]) -> bool:
    return all(math.isfinite(v) for v in metrics.values())


class TrainLoop:
    """Drives a Recipe (see the module docstring); `run` is a job generator that returns why it ended."""

    def __init__(self, recipe: Recipe, recovery: Recovery, checkpointer: Checkpointer | None, budget: Budget,
                 checkpoint_every: int = 0):
        self.recipe, self.recovery, self.checkpointer, self.budget = recipe, recovery, checkpointer, budget
        self.checkpoint_every = checkpoint_every

    def run(self, control: JobControl | Callable[[], bool] | None = None) -> Generator[Progress, None, str]:
        r, recovery, budget, control = self.recipe, self.recovery, self.budget, JobControl.of(control)
        if recovery.enabled:
            recovery.mark_good(r)
        budget.begin(r)
        start_step = r.step
        while r.step < budget.max_steps:
            control.wait_while_paused()
            if control.should_stop():
                return "stopped"
            if budget.spent(r):
                return "budget"
            t = budget.clock()
            metrics = r.train_step()
            if recovery.enabled and not finite(metrics):
                p = recovery.numerical_problem(r, budget.total(r))
                if p is None:
                    return "nan"
                yield p
                continue
            recovery.good_step()
            r.step += 1
            preview = None
            if r.preview_due(start_step, budget.max_steps):
                preview, metrics["spread"] = r.preview()
                verdict = recovery.collapsed(r, metrics["spread"], start_step, budget.total(r)) \
                    if recovery.enabled else False
                if verdict is None:
                    return "collapse"
                if verdict is not False:
                    yield verdict
                    continue
                r.keep(metrics, preview)
                if recovery.enabled:
                    recovery.mark_good(r)
            r.log(metrics, preview)
            if self.checkpointer is not None and self.checkpoint_every and r.step % self.checkpoint_every == 0:
                r.save(self.checkpointer, metrics)
            r.wall += budget.clock() - t
            total = budget.total(r)
            yield Progress(Phase.RUNNING, r.step, total, f"{r.key}.step", {"step": r.step, "total": total},
                           preview, r.eta(total, budget.seconds_per_step(r)), metrics)
        return "done"
