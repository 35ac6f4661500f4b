"""UI responsiveness with the real bundled model: event-loop stalls while generating and while dragging a slider,
and the time from launch to a usable window.

A 5 ms QTimer heartbeat records the gap between its ticks; a gap much longer than 5 ms is a stall the
merchant feels. Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_latency.py [--out bench/results/ui_latency.json]
"""

from __future__ import annotations

import time

T_START = time.perf_counter()  # before Qt, torch or the app are imported: "launch"

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402


def stats(gaps_ms: list[float]) -> dict:
    if not gaps_ms:
        return {"samples": 0}
    g = sorted(gaps_ms)
    pick = lambda q: g[min(len(g) - 1, int(q * (len(g) - 1) + 0.5))]  # noqa: E731
    return {"samples": len(g), "p50_ms": round(pick(0.5), 2), "p99_ms": round(pick(0.99), 2), "max_ms": round(g[-1], 2)}


class Heartbeat:
    def __init__(self, interval_ms: int = 5):
        self.gaps: list[float] = []
        self._last = None
        self.timer = QTimer(interval=interval_ms)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps, self._last = [], None
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


def spin(qt, condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        loop = QEventLoop()
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    return True


def bundled_with_sliders(model_dir: Path, tmp: Path) -> tuple[Path, bool]:
    """The bundled models folder; if the model has no directions yet, a temporary copy with random ones
    (the latency of a slider move does not depend on which direction it is)."""
    cfg = json.loads((model_dir / "config.json").read_text())
    if "directions.safetensors" in cfg.get("files", {}):
        return model_dir.parent, False
    import torch
    from safetensors.torch import load_file

    from app.engine.checkpoints import write_model_dir

    g = load_file(str(model_dir / "generator.safetensors"))
    w_dim = int(cfg["gan"]["w_dim"])
    vecs = torch.nn.functional.normalize(torch.randn(3, w_dim, generator=torch.Generator().manual_seed(0)), dim=1)
    names = ["brightness", "zoom", "warmth"]
    config = {k: v for k, v in cfg.items() if k not in ("files", "format_version")}
    config["directions"] = [{"name": n, "label_zh": n, "sigma": 1.0} for n in names]
    write_model_dir(tmp / "bundled" / model_dir.name, config,
                    {"generator": g, "directions": {n: vecs[i] for i, n in enumerate(names)}})
    return tmp / "bundled", True


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=str(Path(__file__).resolve().parent.parent / "models" / "vitrine-base"))
    ap.add_argument("--count", type=int, default=64, help="pictures in the generation phase")
    ap.add_argument("--drag-steps", type=int, default=150, help="slider moves (one every 16 ms)")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "ui_latency.json"))
    return ap.parse_args()


def launch(args):
    """The app on a copy of the model with sliders; (app, seconds spent preparing that copy, synthetic sliders)."""
    from app.main import build_app
    from app.paths import AppPaths

    tmp = Path(tempfile.mkdtemp(prefix="vitrine-bench-"))
    model_dir = Path(args.model)
    # Only the launch is timed from process start; preparing a slider copy of the model happens first when needed.
    needs_copy = "directions.safetensors" not in json.loads((model_dir / "config.json").read_text()).get("files", {})
    t_prep = time.perf_counter()
    bundled, synthetic = bundled_with_sliders(model_dir, tmp)
    prep_s = time.perf_counter() - t_prep if needs_copy else 0.0
    paths = AppPaths.default(home=tmp / "home", bundled=bundled)
    app = build_app(paths, language="en", device=args.device,
                    settings_hook=lambda s: setattr(s, "model_id", model_dir.name))
    app.window.show()
    app.qt.processEvents()
    return app, prep_s, synthetic


def generate_phase(app, hb, count: int) -> dict:
    """A warm-up batch, then `count` pictures timed, with the event loop's stalls."""
    qt, state = app.qt, app.state
    app.window.editor.set_text("red leather handbag for women")
    state.settings.count, state.settings.seed_locked = count, True
    spin(qt, lambda: state.description.understanding is not None, 60)
    # Warm-up (first-use costs such as the truncation centre) is not what a drag feels like later.
    state.settings.count = 4
    state.generation.generate()
    spin(qt, lambda: not state.generation.busy, 300)
    state.settings.count = count
    hb.start()
    t0 = time.perf_counter()
    state.generation.generate()
    spin(qt, lambda: not state.generation.busy, 600)
    return {"pictures": count, "seconds": round(time.perf_counter() - t0, 3), **stats(hb.stop())}


def drag_phase(app, hb, steps: int) -> dict:
    """A slider dragged back and forth (a move every 16 ms): pictures shown, settle time, stalls."""
    qt, state, window = app.qt, app.state, app.window
    window.gallery.setCurrentRow(0)
    slider = next(iter(window.sliders.sliders.values()))
    shown: list[float] = []
    state.live.image_changed.connect(lambda img: img is not None and shown.append(time.perf_counter()))
    moves = [int(40 * __import__("math").sin(k / 12)) for k in range(steps)]
    hb.start()
    t0 = time.perf_counter()
    for v in moves:
        slider.setValue(v)
        end = time.perf_counter() + 0.016
        spin(qt, lambda: time.perf_counter() >= end, 1)
    drag_s = time.perf_counter() - t0
    last_move = time.perf_counter()
    spin(qt, lambda: app.worker.is_idle() and not state.live.pending(), 60)
    spin(qt, lambda: False, 0.05)
    settle_ms = (max(shown) - last_move) * 1000 if shown and max(shown) > last_move else 0.0
    drag_gaps = hb.stop()
    image = state.live.image
    final_ok = image is not None and dict(image.request.offsets).get(slider.objectName().split(":", 1)[1]) \
        == moves[-1] / 20
    return {"moves": len(moves), "seconds": round(drag_s, 3), "pictures_shown": len(shown),
            "settle_after_last_move_ms": round(settle_ms, 1), "final_picture_matches_slider": bool(final_ok),
            "stale_dropped": app.worker.stale_dropped, **stats(drag_gaps)}


def main() -> int:
    args = parse_args()
    app, prep_s, synthetic = launch(args)
    launch_s = time.perf_counter() - T_START - prep_s
    qt, state, window = app.qt, app.state, app.window
    hb = Heartbeat()
    hb.start()
    spin(qt, lambda: state.models.loaded is not None or bool(window.last_error), 300)
    loading_gaps = hb.stop()
    model_ready_s = time.perf_counter() - T_START - prep_s
    if state.models.loaded is None:
        print("model did not load:", window.last_error)
        return 1
    generate = generate_phase(app, hb, args.count)
    drag = drag_phase(app, hb, args.drag_steps)
    models = state.models
    result = {
        "device": models.device_name, "device_note": models.device_note, "model": models.loaded.model_id,
        "synthetic_sliders": synthetic, "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "launch_to_usable_window_s": round(launch_s, 3), "launch_to_model_ready_s": round(model_ready_s, 3),
        "stall_while_loading": stats(loading_gaps), "generate": generate, "slider_drag": drag,
        "heartbeat_interval_ms": 5,
    }
    window.close()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
