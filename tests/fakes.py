"""FakeEngine: the engine protocol without a network — deterministic coloured pictures, every call recorded."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

import numpy as np

from app.engine import vocab
from app.engine.jobs import JobControl, Phase, Progress
from app.engine.text import AttributeGuess, Understanding
from app.requests import GeneratedImage, GenerateRequest


class FakeEngineError(Exception):
    pass


@dataclass
class FakeDirection:
    name: str
    label_zh: str
    sigma: float = 1.0
    description: str = ""


@dataclass
class FakeModel:
    model_id: str
    model_hash: str = "fakehash0001"
    directions: list = field(default_factory=lambda: [FakeDirection("brightness", "亮度"), FakeDirection("zoom", "缩放")])
    resolution: int = 16


def colour_for(req: GenerateRequest) -> tuple[int, int, int]:
    """The flat colour of a one-picture request: a function of everything that defines the picture."""
    key = (f"{req.description}|{req.seed}|{req.start}|{req.offsets}|{req.variation}|{req.truncation}|{req.overrides}"
           f"|{req.latent}")
    h = hashlib.sha256(key.encode()).digest()
    return h[0], h[1], h[2]


class FakeEngine:
    """Implements app.engine_protocol.EngineProtocol. Set `fail_with` to raise, `delay_s` to be slow, or clear
    `gate` to hold generation until the test sets it again."""

    def __init__(self, models: list[str] | None = None, size: int = 16):
        self.device_choice = SimpleNamespace(name="Fake CPU", note="test device")
        self.last_seconds = 0.0
        self.model_ids = ["fake"] if models is None else models
        self.size = size
        self.calls: list[tuple[str, object]] = []
        self.fail_with: str | None = None
        self.delay_s = 0.0
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = threading.Event()  # set while a generation waits on the gate
        self._lock = threading.Lock()

    def _record(self, name: str, arg) -> None:
        with self._lock:
            self.calls.append((name, arg))

    def requests(self) -> list[GenerateRequest]:
        with self._lock:
            return [a for n, a in self.calls if n == "generate"]

    def models(self):
        self._record("models", None)
        return [SimpleNamespace(id=m, name=m, resolution=self.size, source="bundled") for m in self.model_ids]

    def load(self, model_id: str | None = None):
        self._record("load", model_id)
        if not self.model_ids:
            raise FakeEngineError("No model is installed (looked in the fake folder).")
        model_id = model_id or self.model_ids[0]
        if model_id not in self.model_ids:
            raise FakeEngineError(f"There is no model called {model_id!r}.")
        return FakeModel(model_id, resolution=self.size)

    def understand(self, description: str, overrides: dict[str, str] | None = None,
                   model_id: str | None = None) -> Understanding:
        self._record("understand", (description, dict(overrides or {})))
        text, guesses, probs = description.lower(), [], {}
        for attribute, values in vocab.ATTRIBUTES.items():
            chosen = (overrides or {}).get(attribute)
            hit = next((v for v in values if v.key == chosen), None)
            source, conf = ("chosen", 1.0) if hit else ("open", 0.1)
            if hit is None:
                hit = next((v for v in sorted(values, key=lambda v: -len(v.en)) if v.en.lower() in text or v.zh in text), None)
                source, conf = ("words", 0.97) if hit else ("open", 0.1)
            v = hit or values[0]
            guesses.append(AttributeGuess(attribute, v.key, v.en, v.zh, conf, source, v.en if source == "words" else ""))
            probs[attribute] = tuple(1.0 / len(values) for _ in values)
        return Understanding(description, tuple(guesses), probs)

    def generate_job(self, req: GenerateRequest, control=None, chunk: int = 64, exact: bool = True):
        """The engine's generation job: Progress whose `partial` is the pictures so far; returns them."""
        self._record("generate", req)
        control = JobControl.of(control)
        t0 = time.perf_counter()
        if not req.description.strip():
            raise FakeEngineError("Please describe the product first (the description is empty).")
        if self.fail_with:
            raise FakeEngineError(self.fail_with)
        stamped = replace(req, model_id=req.model_id or self.model_ids[0], model_hash=req.model_hash or "fakehash0001")
        out: list[GeneratedImage] = []
        for a in range(0, req.count, chunk):
            if control.should_stop():
                break
            if not self.gate.is_set():
                self.waiting.set()
                self.gate.wait(10)
                self.waiting.clear()
            if self.delay_s:
                time.sleep(self.delay_s)
            for i in range(a, min(req.count, a + chunk)):
                single = stamped.single(i)
                px = np.empty((self.size, self.size, 3), np.uint8)
                px[:] = colour_for(single)
                out.append(GeneratedImage(px, single, i))
            n = len(out)
            yield Progress(Phase.RUNNING, n, req.count, "generate.pictures", {"done": n, "total": req.count},
                           partial=list(out))
        self.last_seconds = time.perf_counter() - t0
        return out
