"""The engine as the UI sees it: a typing.Protocol met by app.engine.generate.Engine and tests.fakes.FakeEngine."""

from __future__ import annotations

from typing import Any, Callable, Generator, Protocol, Sequence, runtime_checkable

from app.requests import GeneratedImage, GenerateRequest


class DeviceInfo(Protocol):
    name: str  # for the status bar, e.g. "NVIDIA H200" or "CPU"
    note: str  # why this device (empty when nothing to say)


class ModelSummary(Protocol):
    id: str
    name: str
    resolution: int
    source: str  # "bundled" | "user"


class DirectionInfo(Protocol):
    name: str
    label_zh: str
    sigma: float
    description: str


class LoadedModelInfo(Protocol):
    model_id: str
    model_hash: str
    directions: Sequence[DirectionInfo]

    @property
    def resolution(self) -> int: ...


class GuessInfo(Protocol):
    attribute: str
    key: str
    label_en: str
    label_zh: str
    confidence: float
    source: str


class UnderstandingInfo(Protocol):
    description: str
    guesses: Sequence[GuessInfo]


@runtime_checkable
class EngineProtocol(Protocol):
    """Not thread-safe: only the worker thread calls it."""

    device_choice: Any  # DeviceInfo
    last_seconds: float

    def models(self) -> Sequence[ModelSummary]: ...

    def load(self, model_id: str | None = None) -> LoadedModelInfo: ...

    def understand(self, description: str, overrides: dict[str, str] | None = None,
                   model_id: str | None = None) -> UnderstandingInfo: ...

    def generate_job(self, req: GenerateRequest, control: Any = None, chunk: int = 64,
                     exact: bool = True) -> Generator[Any, None, list[GeneratedImage]]:
        """A job (app.engine.jobs): yields Progress (partial: the pictures so far), returns the pictures;
        exact=False: the faster preview painting (pixels may differ by a level)."""
        ...


EngineFactory = Callable[[], EngineProtocol]
