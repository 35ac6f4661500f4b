"""Soak: 1,000 slider requests in a burst through the real worker, and a 5,000-picture gallery.

    .venv/bin/python bench/soak.py [--requests 1000] [--gallery 5000] [--out bench/results/soak.json]

`--requests 0` skips the worker phase. The gallery phase opens the real GalleryView (lazy thumbnails) on the
5,000-picture history, cold (empty thumbnail cache) and warm (a second opening), jumps to the end and pages
through some screens; then, for comparison, the old eager way (one full QImage per picture) on a sample.

Runs offscreen on the CPU with a tiny randomly initialised model (the numbers are about the worker and the
gallery store, not about the network). Prints and writes peak RSS before/after each phase.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> dict:
    """Current and peak resident memory (MB) from /proc (peak also via getrusage)."""
    out = {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out["rss_mb" if line.startswith("VmRSS") else "hwm_mb"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return {k: round(v, 1) for k, v in out.items()}


def qt_app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def open_gallery_view(store_folder: Path, cache: Path, pages: int = 20) -> dict:
    """Open the real GalleryView on the history: open time, thumbnails made, RSS; then the end and some pages."""
    import gc

    import app.ui.gallery as gallery_mod
    from app.gallery_store import GalleryStore
    from app.settings import Settings
    from app.state import AppState
    from app.workers import EngineWorker

    qt = qt_app()
    before = rss_mb()
    t0 = time.perf_counter()
    state = AppState(EngineWorker(lambda: None), GalleryStore(store_folder), Settings())  # the worker never starts
    view = gallery_mod.GalleryView(state, thumb_cache=cache)
    view.resize(1000, 700)
    view.show()
    qt.processEvents()  # the first paint: the thumbnails of the first screen are made here
    open_s = time.perf_counter() - t0
    loads_open = view.thumbnails.loads
    after_open = rss_mb()
    t0 = time.perf_counter()
    view.scrollToBottom()
    qt.processEvents()
    end_s = time.perf_counter() - t0
    bar = view.verticalScrollBar()
    bar.setValue(0)
    qt.processEvents()
    page_times = []
    for _ in range(pages):
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        qt.processEvents()
        page_times.append(time.perf_counter() - t0)
    out = {"pictures": view.count(), "open_s": round(open_s, 3), "thumbnails_made_on_open": loads_open,
           "jump_to_end_s": round(end_s, 3), "pages_scrolled": pages,
           "page_scroll_s_max": round(max(page_times), 3) if page_times else 0.0,
           "page_scroll_s_mean": round(sum(page_times) / max(1, len(page_times)), 4),
           "thumbnails_made_total": view.thumbnails.loads, "thumbnails_in_memory": len(view.thumbnails),
           "rss_before": before, "rss_after_open": after_open, "rss_after_scroll": rss_mb()}
    view.close()
    view.deleteLater()
    qt.processEvents()
    gc.collect()
    return out


def soak_worker(n: int, tmp: Path) -> dict:
    import torch

    from app.engine.generate import Engine
    from app.engine.registry import Registry
    from app.engine.text import TextConditioner
    from app.requests import GenerateRequest
    from app.state import engine_jobs as jobs
    from app.workers import EngineWorker
    from tests.conftest import fake_embedder, make_tiny_model

    torch.set_num_threads(1)
    qt = qt_app()
    make_tiny_model(tmp / "bundled" / "tiny")
    factory = lambda: Engine(Registry(tmp / "bundled", tmp / "user"), device="cpu",  # noqa: E731
                             text=TextConditioner(embedder=fake_embedder))
    w = EngineWorker(factory)
    done, failed, ready = [], [], []
    w.engine_ready.connect(ready.append)
    w.start()
    while not ready:
        qt.processEvents()
        time.sleep(0.005)
    w.submit(jobs.load(None), "load", lane="load")
    before = rss_mb()
    t0 = time.perf_counter()
    ids = []
    for k in range(n):  # a slider drag: a new value every millisecond, the newest replaces one not started
        req = GenerateRequest(description="red leather heels", seed=1, count=1, size=64,
                              offsets=(("brightness", (k % 200) / 100 - 1.0),))
        h = w.submit(jobs.preview(req), "preview", lane="preview")
        h.finished.connect(lambda _img, i=h.id: done.append(i))
        h.failed.connect(lambda f, i=h.id: failed.append((i, f.text)))
        ids.append(h.id)
        if k % 10 == 0:
            qt.processEvents()
        time.sleep(0.001)
    submit_s = time.perf_counter() - t0
    while not w.is_idle() or ids[-1] not in done:
        qt.processEvents()
        time.sleep(0.005)
        if time.perf_counter() - t0 > 300:
            break
    qt.processEvents()
    total_s = time.perf_counter() - t0
    w.stop()
    completed = len(set(done) & set(ids))
    return {"requests": n, "completed": completed, "coalesced": n - completed - len(failed), "failed": len(failed),
            "newest_painted": ids[-1] in done, "submit_s": round(submit_s, 2), "drain_s": round(total_s, 2),
            "rss_before": before, "rss_after": rss_mb()}


def soak_gallery(n: int, tmp: Path) -> dict:
    import numpy as np

    from app.gallery_store import INDEX, GalleryItem, GalleryStore
    from app.output import png_bytes
    from app.requests import GenerateRequest

    folder = tmp / "gallery"
    folder.mkdir()
    rng = np.random.default_rng(0)
    items = []
    t0 = time.perf_counter()
    for i in range(n):
        req = GenerateRequest(description=f"red leather heels {i % 37}", seed=i, count=1, size=256)
        name = f"pic-{i:05d}.png"
        pixels = np.full((256, 256, 3), 240, np.uint8)  # a product on white: compresses like real output
        pixels[64:192, 64:192] = rng.integers(0, 255, 3, dtype=np.uint8)
        (folder / name).write_bytes(png_bytes(pixels, req))
        items.append(GalleryItem(f"{i:016x}", name, req, i % 9 == 0, float(i)).to_dict())
    (folder / INDEX).write_text(json.dumps({"version": 1, "items": items}))
    make_s = time.perf_counter() - t0
    disk_mb = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    before = rss_mb()
    t0 = time.perf_counter()
    store = GalleryStore(folder)
    open_s = time.perf_counter() - t0
    after_open = rss_mb()
    assert len(store.items()) == n
    # The gallery view as it is now: lazy thumbnails, cold cache then warm cache (a second opening).
    cache = tmp / "cache" / "thumbnails"
    view_cold = open_gallery_view(folder, cache)
    view_warm = open_gallery_view(folder, cache)
    # What the gallery view did before the lazy model (the old add_items): one full-size QPixmap per
    # picture, kept for the session. Measure it on a sample and extrapolate, so the soak stays short
    # (QImage: the same decode and pixel memory as QPixmap, and it needs no GUI application).
    from PySide6.QtGui import QImage

    sample = store.items()[:500]
    t0 = time.perf_counter()
    keep = [QImage(str(store.path(it))) for it in sample]
    pix_s = time.perf_counter() - t0
    pix_bytes = sum(p.sizeInBytes() for p in keep)
    return {"pictures": n, "make_s": round(make_s, 1), "disk_mb": round(disk_mb, 1),
            "store_open_s": round(open_s, 3), "rss_before_open": before, "rss_after_open": after_open,
            "eager_pixmaps_sample": len(sample), "eager_pixmap_s_sample": round(pix_s, 3),
            "eager_pixmap_s_all_estimate": round(pix_s * n / len(sample), 2),
            "eager_pixmap_mb_all_estimate": round(pix_bytes * n / len(sample) / 2**20, 1),
            "rss_after_sample_pixmaps": rss_mb(), "view_cold_cache": view_cold, "view_warm_cache": view_warm,
            "thumbnail_cache_mb": round(sum(p.stat().st_size for p in cache.glob("*.png")) / 2**20, 2)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--gallery", type=int, default=5000)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "soak.json"))
    a = ap.parse_args()
    result = {"command": " ".join([Path(sys.executable).name, *sys.argv]), "start": rss_mb()}
    with tempfile.TemporaryDirectory(prefix="vitrine-soak-") as tmp:
        if a.requests > 0:
            result["worker"] = soak_worker(a.requests, Path(tmp))
            print(json.dumps({"worker": result["worker"]}, indent=1), flush=True)
        result["gallery"] = soak_gallery(a.gallery, Path(tmp))
        print(json.dumps({"gallery": result["gallery"]}, indent=1), flush=True)
    result["end"] = rss_mb()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(result, indent=2))
    print(f"written {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
