"""The one composition root: paths, model registry, engine and the upscaler/classifier factories.

Built once per process — by the GUI (app.main.build_app) and by the command line (app.cli.main) — and handed to
whatever needs the engine's pieces, so that "where are the models" and "how is an engine made" are answered in
one place. Nothing here is imported by app.engine; heavy modules (torch) are imported only when a piece is asked
for, so the window and `--help` start fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from app.paths import AppPaths

CLASSIFIER_FOLDER = "attribute-classifier"


@dataclass
class Services:
    """What the app is made of on this machine. `device` is the default for engines built here."""

    paths: AppPaths
    device: str = "auto"
    _registry: Any = field(default=None, init=False, repr=False)

    @classmethod
    def default(cls, device: str = "auto", home: str | os.PathLike | None = None) -> "Services":
        """The user's folders ($VITRINE_HOME / $VITRINE_BUNDLED_MODELS when set)."""
        return cls(AppPaths.default(home), device)

    # ---- models ----------------------------------------------------------------------------------
    @property
    def registry(self):
        """The model registry over the bundled and the merchant's own models (built on first use)."""
        if self._registry is None:
            from app.engine.registry import Registry

            self._registry = Registry(self.paths.bundled_models, self.paths.user_models)
        return self._registry

    @property
    def classifier_dir(self) -> Path:
        """The bundled attribute classifier (inversion guesses a photo's description with it)."""
        return self.paths.bundled_models / CLASSIFIER_FOLDER

    def upscaler_factory(self) -> Callable[[Any, str], Any] | None:
        """(device, style) → the bundled upscaler of that style ("sharp" or "faithful"), None when not installed."""
        try:
            from app.engine.upscalers import load_style
        except ImportError:
            return None
        bundled = self.paths.bundled_models
        return lambda device, style: load_style(bundled, style, device)

    def load_upscaler(self, style: str, device: str | None = None):
        """The bundled upscaler of `style` (None when it is not installed); ModelError when it is damaged."""
        from app.engine.upscalers import load_style

        return load_style(self.paths.bundled_models, style, device or self.device)

    def load_classifier(self, folder: str | os.PathLike | None = None):
        """The attribute classifier in `folder` (default: the bundled one), for measurements and fine-tuning."""
        from app.engine.classifier import load_classifier

        return load_classifier(Path(folder) if folder else self.classifier_dir)

    # ---- the engine ------------------------------------------------------------------------------
    def engine(self, device: str | None = None):
        """A new generation engine on these folders (not thread-safe: one thread drives it)."""
        from app.engine.generate import Engine

        return Engine(self.registry, device=device or self.device, upscaler_factory=self.upscaler_factory(),
                      classifier_dir=self.classifier_dir)

    def engine_factory(self, leave_one_core: bool = True) -> Callable[[], Any]:
        """A builder of the engine, called on the worker thread so torch is imported off the UI thread.

        leave_one_core: torch's threads would otherwise starve the window's thread on small machines.
        """

        def build():
            if leave_one_core:
                import torch

                torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
            return self.engine()

        return build
