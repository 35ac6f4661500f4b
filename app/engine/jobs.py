"""The job contract: how every long piece of engine work reports progress, stops, pauses and returns its result.

    def job(..., control: JobControl | None = None) -> Iterator[Progress]   # a generator …
        ...
        yield Progress(Phase.RUNNING, done, total, "train.step", {"step": done, "total": total})
        ...
        return result                                                      # … whose result is typed

1. Every long job (training, fine-tuning, upscaler training, inversion, generation) is a generator. It yields
   `Progress` and *returns* its typed result: a driver gets it from `StopIteration.value`, or with
   `result = yield from job` inside another generator, or with `run_job(job)` (CLI, tests, scripts).
2. Stop and pause are only looked at between yields, through a `JobControl` (`control.should_stop()`,
   `control.wait_while_paused()`); a plain `should_stop` callable is accepted wherever a control is
   (`JobControl.of`). A stopped job still returns a result (saying it was cancelled) unless it documents
   otherwise; an error is raised, never yielded.
3. What happened is typed: `phase` (an Enum) and `message_key` (one of `MESSAGE_KEYS`, a closed set, with its
   values in `args`). A UI says it in the merchant's language from the key and args; `Progress.message` is the
   English sentence for logs and the command line. Nobody parses a message.

`MESSAGE_KEYS` maps each key to its English template ({names} come from `args`); a test checks that every key
the engine yields is listed here and that the UI has an English and a Chinese text for each.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Generator, Iterator, Mapping, TypeVar, Union

import numpy as np

R = TypeVar("R")


class Phase(Enum):
    """Where a job is: the UI may show a busy bar while PREPARING, a progress bar while RUNNING, …"""

    PREPARING = "preparing"  # reading photos, loading models, measuring the starting point
    RUNNING = "running"  # the work itself: done/total count steps (or pictures)
    RECOVERING = "recovering"  # a numerical problem or a collapse was undone; the job goes on
    SAVING = "saving"  # writing the result
    FINISHED = "finished"  # the last Progress of a job that completed (or stopped early, keeping its result)
    CANCELLED = "cancelled"  # the last Progress of a job that was stopped (see its args for what was kept)


# The closed set of message keys: key → English template, filled from Progress.args.
MESSAGE_KEYS: dict[str, str] = {
    # base-model training (Trainer / TrainLoop)
    "train.resumed": "resumed at step {step}",
    "train.step": "step {step}",
    "train.nan_restored": "numerical problem; restored the last good state",
    "train.collapse_restored": "mode collapse detected; restored the last good state",
    "train.finished": "finished",
    # few-shot fine-tuning (Finetuner); args of finished: name, model_id; of cancelled: resumable, step, total
    "finetune.skipped": "skipped {file}: {reason}",
    "finetune.resumed": "resumed at step {step}",
    "finetune.preparing": "comparing the base model with your photos",
    "finetune.step": "step {step}",
    "finetune.nan_restored": "numerical problem; restored the last good state",
    "finetune.collapse_restored": "mode collapse detected; restored the last good state",
    "finetune.cancelled": "cancelled; no model was written (the run can be resumed)",
    "finetune.finished": "finished: saved the shop model {name!r}",
    # upscaler training (UpscalerTrainer)
    "upscale.step": "training",
    "upscale.finished": "finished",
    # start from a photo (Inversion); args of step: step, steps; of condition: description, source
    "invert.prepared": "photo prepared",
    "invert.condition": "condition: {description} ({source})",
    "invert.step": "step {step}/{steps}",
    "invert.finished": "finished",
    "invert.cancelled": "cancelled",
    # generation (Engine.generate_job): args done, total (pictures)
    "generate.pictures": "{done} of {total} picture(s)",
    "generate.finished": "{total} picture(s)",
    "generate.cancelled": "stopped after {done} picture(s)",
    # export (app/export.py): args file; done, total
    "export.file": "Exporting {file}",
    "export.finished": "Exported {total} picture(s)",
}


@dataclass(frozen=True)
class Progress:
    """One report of a long job (see the module docstring). Frozen; `args` and `metrics` are plain values."""

    phase: Phase
    done: int
    total: int
    message_key: str
    args: Mapping[str, Any] = field(default_factory=dict)
    preview: np.ndarray | None = None  # (H, W, 3) uint8 picture (a sample grid), when there is one
    eta_s: float | None = None  # seconds left, when the job can tell
    metrics: Mapping[str, float] = field(default_factory=dict)  # numbers for logs and charts (losses, PSNR, …)
    partial: Any = None  # the result so far, for jobs whose result grows (generation: the pictures made so far)

    def __post_init__(self):
        if self.message_key not in MESSAGE_KEYS:
            raise ValueError(f"unknown progress message key {self.message_key!r} (add it to jobs.MESSAGE_KEYS)")

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, max(0.0, self.done / self.total))

    @property
    def message(self) -> str:
        """The English sentence, for logs and the command line (never parse it; read message_key and args)."""
        try:
            return MESSAGE_KEYS[self.message_key].format(**self.args)
        except (KeyError, IndexError, ValueError):
            return self.message_key


class JobControl:
    """Thread-safe stop / pause / finish-early switches a UI or CLI sets while a job runs; the job polls them.

    `cancel()`: stop; a job that can resume keeps its checkpoint and writes no result files.
    `finish_early()`: stop now but keep the result so far (fine-tuning: publish the best model).
    `pause()` / `resume()`: the job waits in `wait_while_paused()` between steps.
    `should_stop` (optional): an extra stop condition (a worker's "newer job arrived", a CLI's Ctrl-C flag).
    """

    def __init__(self, should_stop: Callable[[], bool] | None = None):
        self.cancel_event = threading.Event()
        self.keep_best_event = threading.Event()  # finish early, keeping the result so far
        self._running = threading.Event()
        self._running.set()
        self._external = should_stop

    @classmethod
    def of(cls, control: "JobControl | Callable[[], bool] | None") -> "JobControl":
        """A control from a control, a plain should_stop callable, or nothing."""
        if isinstance(control, JobControl):
            return control
        return cls(control)

    def add_stop(self, should_stop: Callable[[], bool] | None) -> "JobControl":
        """Also stop when `should_stop()` says so (a job given both a control and a should_stop callable)."""
        if should_stop is not None:
            before = self._external
            self._external = should_stop if before is None else (lambda: before() or should_stop())
        return self

    # the UI side
    def cancel(self) -> None:
        self.cancel_event.set()
        self._running.set()

    def finish_early(self) -> None:
        self.keep_best_event.set()
        self._running.set()

    stop_and_keep_best = finish_early

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    # the job side
    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def cancelled(self) -> bool:
        """Stopped without keeping a result: cancel(), or the external should_stop without finish_early()."""
        return self.cancel_event.is_set() or (self.external_stop() and not self.keep_best_event.is_set())

    def external_stop(self) -> bool:
        return bool(self._external is not None and self._external())

    def should_stop(self) -> bool:
        return self.cancel_event.is_set() or self.keep_best_event.is_set() or self.external_stop()

    __call__ = should_stop  # a control can be passed where a should_stop callable is expected

    def wait_while_paused(self, should_stop: Callable[[], bool] | None = None, poll: float = 0.2) -> None:
        stop = should_stop or self.should_stop
        while not self._running.wait(poll):
            if stop():
                return


Job = Generator[Progress, None, R]
ControlLike = Union[JobControl, Callable[[], bool], None]


def run_job(job: Generator[Progress, Any, R], on_progress: Callable[[Progress], Any] | None = None) -> R:
    """Drive a job to its end, passing each Progress to on_progress; its result (the generator's return value)."""
    while True:
        try:
            p = next(job)
        except StopIteration as done:
            return done.value
        if on_progress is not None:
            on_progress(p)


def progress_of(job: Iterator[Progress]) -> list[Progress]:
    """Every Progress of a job, driven to its end (tests)."""
    seen: list[Progress] = []
    run_job(job, seen.append)
    return seen
