"""Composition root: builds paths, settings, engine (on the worker), worker, state and window."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Callable

from PySide6.QtWidgets import QApplication

from app.engine_protocol import EngineFactory
from app.gallery_store import GalleryStore
from app.i18n import install_translator
from app.paths import AppPaths
from app.services import Services
from app.settings import Settings, load_settings
from app.state import AppState
from app.ui.main_window import MainWindow
from app.ui.theme import apply_theme
from app.workers import EngineWorker


def real_training_runner(paths: AppPaths, registry=None):
    """The "Teach my shop's look" runner: app.engine.finetune on the app's folders.

    Fine-tuning runs as a job on the training panel's own JobWorker, not on the engine worker: the Finetuner
    loads its own copy of the base model from disk (generator, discriminator, EMA, optimisers), never touches
    the worker's Engine or its loaded model, and publishes a new model folder atomically. A run lasts minutes
    (3 to 30) and can pause; on the engine worker it would hold up every generation for that long. When it has
    finished, the model list is read again through the engine worker (state.models.reload).
    """
    from app.ui.training_panel import EngineRunner

    class AppTrainingRunner(EngineRunner):
        def model_name(self, request) -> str:
            from app.engine.finetune import safe_name

            return safe_name(request.name)  # the new model's id (its folder name)

    return AppTrainingRunner(paths, registry=registry)


@dataclass
class App:
    """Everything the composition root built (tests and the screenshot script use the parts)."""

    qt: QApplication
    paths: AppPaths
    settings: Settings
    worker: EngineWorker
    state: AppState
    window: MainWindow
    translator: object = None
    services: Services | None = None


def qt_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Vitrine")
    app.setOrganizationName("Vitrine")
    return app


def build_app(paths: AppPaths | None = None, engine_factory: EngineFactory | None = None,
              language: str | None = None, theme: str | None = None, device: str = "auto",
              start: bool = True, settings_hook: Callable[[Settings], None] | None = None,
              training_runner=None, inversion_runner=None, services: Services | None = None) -> App:
    """Build the whole application. `language`/`theme` override (and are saved into) the settings.

    `services` (app.services) is the composition root shared with the command line; None: built from `paths`
    (default: the user's folders) and `device`. `engine_factory` replaces the real engine (tests pass fakes).

    `training_runner` (TrainingPanel runner protocol) and `inversion_runner` (app.photo_start protocol) replace
    the real fine-tuning and inversion engines (tests pass fakes); None: the real ones.
    """
    qt = qt_app()
    services = services or Services(paths or AppPaths.default(), device)
    paths = services.paths
    paths.ensure()
    notices: list[str] = []  # damaged files that were set aside on opening, told to the merchant below
    settings = load_settings(paths.config, notices=notices)
    if language:
        settings.language = language
    if theme:
        settings.theme = theme
    if settings_hook is not None:
        settings_hook(settings)
    translator = install_translator(qt, settings.language)
    notices += _sweep(paths, settings.language)
    apply_theme(qt, settings.theme)
    store = GalleryStore(paths.gallery)
    if store.notice:
        notices.append(store.notice)
    worker = EngineWorker(engine_factory or services.engine_factory())
    state = AppState(worker, store, settings, config_dir=paths.config, inversions_dir=paths.data / "inversions",
                     inversion_runner=inversion_runner)
    runner_factory = (lambda: training_runner) if training_runner is not None else \
        (lambda: real_training_runner(paths, services.registry))
    window = MainWindow(state, paths=paths, training_runner_factory=runner_factory)
    if notices:
        window.show_message("\n".join(notices))  # the non-modal banner above the gallery, not a dialog
    if start:
        state.start()
    return App(qt, paths, settings, worker, state, window, translator, services)


def _sweep(paths: AppPaths, language: str) -> list[str]:
    """Engine sentences in the merchant's language; settle what a killed run left, said once in the banner."""
    from app.engine.messages import say, set_language
    from app.i18n import resolve_language
    from app.staging import sweep

    set_language(resolve_language(language))
    try:
        notes = sweep(paths)
    except OSError:
        return []
    return [say("swept", items="; ".join(notes))] if notes else []


def main(argv: list[str] | None = None) -> int:
    t0 = time.perf_counter()
    app = build_app()
    app.window.show()
    app.state.launch_seconds = time.perf_counter() - t0
    return app.qt.exec()
