"""Kill -9, round two: an export batch and a model save killed at random points leave, after the next start's
sweep, the whole batch/model or nothing — never part of it, never a hidden leftover nobody removes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from app.engine.checkpoints import read_config
from app.export import ExportRequest, export_images
from app.paths import AppPaths
from app.requests import GeneratedImage, GenerateRequest
from app.staging import PREFIX, Staging, sweep

REPO = Path(__file__).resolve().parents[1]
RNG = random.Random(int(os.environ.get("VITRINE_FAULT_SEED", "0")) or None)
KILLS = int(os.environ.get("VITRINE_KILLS", "20"))
BATCH = 12  # pictures per export batch (each with its sidecar: 24 files)

EXPORT = """
import sys, numpy as np
from pathlib import Path
from app.export import ExportRequest, export_images
from app.requests import GenerateRequest
class It:
    def __init__(self, i):
        self.pixels = np.random.default_rng(i).integers(0, 255, (128, 128, 3), dtype=np.uint8)
        self.request = GenerateRequest(description="red heels", seed=i)
folder, ready, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
items = [It(i) for i in range(n)]
ready.touch()
export_images(items, ExportRequest(folder=folder, format="png", preset="custom", size=256, sidecar=True))
Path(sys.argv[2] + ".done").touch()
"""

SAVE = """
import sys, torch
from pathlib import Path
from app.engine.checkpoints import write_model_dir
from tests.conftest import TINY_GAN
from app.engine import networks, vocab
dest, ready = Path(sys.argv[1]), Path(sys.argv[2])
cfg = networks.GanConfig(**TINY_GAN)
extra = {"vocab_version": vocab.CURRENT_VERSION, "vocabulary": vocab.get().as_config()} if hasattr(vocab, "get") else {}
G = networks.Generator(cfg)
state = G.state_dict()
big = {"w%d" % i: torch.randn(256, 1024) for i in range(12)}  # ~12 MB, so a save takes a while
ready.touch()
for k in range(1000):
    torch.manual_seed(k)
    write_model_dir(dest, {"id": dest.name, "name": dest.name, "gan": cfg.to_dict(), "round": k, **extra},
                    {"generator": state, "discriminator": big}, card="# test\\n")
"""


def _spawn(script: str, home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1", "VITRINE_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_after_ready(proc: subprocess.Popen, ready: Path, delay: float) -> None:
    t0 = time.monotonic()
    while not ready.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child ended early: {proc.stderr.read().decode()[-2000:]}")
        assert time.monotonic() - t0 < 60, "child never got ready"
        time.sleep(0.01)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(20)


def _time_one_export(home: Path, tmp_path: Path) -> float:
    """Seconds from the child's ready mark to the end of one uninterrupted export (which must be whole)."""
    folder, ready = tmp_path / "timed", tmp_path / "ready-timed"
    folder.mkdir()
    proc = _spawn(EXPORT, home, str(folder), str(ready), str(BATCH))
    while not ready.exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        time.sleep(0.01)
    t0 = time.monotonic()
    assert proc.wait(120) == 0
    assert len(_visible(folder)) == 2 * BATCH
    return time.monotonic() - t0


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_export_killed_at_random_points_leaves_the_whole_batch_or_nothing(tmp_path):
    home = tmp_path / "home"
    paths = AppPaths.default(home=home)
    outcomes = {"nothing": 0, "whole": 0}
    full = _time_one_export(home, tmp_path)  # kill points spread over a whole batch, a few after it ends
    for attempt in range(KILLS):
        folder = tmp_path / f"listing{attempt}"
        folder.mkdir()
        ready = tmp_path / f"ready{attempt}"
        proc = _spawn(EXPORT, home, str(folder), str(ready), str(BATCH))
        _kill_after_ready(proc, ready, RNG.uniform(0.0, 1.2) * full)
        sweep(paths)  # the next start
        files = _visible(folder)
        assert len(files) in (0, 2 * BATCH), (attempt, files)
        assert not [p for p in folder.iterdir() if p.name.startswith(".")], "a hidden leftover stayed"
        for name in files:
            if name.endswith(".json"):
                json.loads((folder / name).read_text())
        outcomes["whole" if files else "nothing"] += 1
    assert not list((paths.data / "staging").glob("*.json"))  # every journal settled
    assert sum(outcomes.values()) == KILLS
    print(f"export kill -9 loop: {KILLS}/{KILLS} whole-or-nothing ({outcomes})")


def test_a_batch_killed_while_moving_into_place_is_finished_by_the_next_start(tmp_path):
    paths = AppPaths.default(home=tmp_path / "home")
    folder = tmp_path / "listing"
    folder.mkdir()
    stage = Staging(folder, paths.data / "staging")
    for i in range(4):
        stage.write(folder / f"p{i}.png", b"x%d" % i)
    stage._record("committing")  # the journal says "committing"; the process dies after the first rename
    os.replace(stage.folder / stage.moves[0][0], folder / "p0.png")
    journal = json.loads(stage.journal.read_text())
    stage.journal.write_text(json.dumps({**journal, "pid": 999_999_999}))  # … its process is gone
    notes = sweep(paths)
    assert _visible(folder) == ["p0.png", "p1.png", "p2.png", "p3.png"]
    assert notes and "finished an interrupted export" in notes[0]
    assert sweep(paths) == []  # said once


def test_the_sweep_leaves_a_live_export_alone(tmp_path):
    paths = AppPaths.default(home=tmp_path / "home")
    folder = tmp_path / "listing"
    folder.mkdir()
    stage = Staging(folder, paths.data / "staging")  # this process is alive
    stage.write(folder / "a.png", b"a")
    assert sweep(paths) == [] and stage.folder.is_dir()
    stage.commit()
    assert _visible(folder) == ["a.png"] and not any(p.name.startswith(PREFIX) for p in folder.iterdir())


def test_a_model_save_killed_at_random_points_leaves_the_whole_model_or_nothing(tmp_path):
    from app.engine.loading import load_model

    home = tmp_path / "home"
    paths = AppPaths.default(home=home)
    models = paths.user_models
    models.mkdir(parents=True)
    seen = {"whole": 0, "nothing": 0}
    for attempt in range(KILLS):
        dest = models / f"shop{attempt}"
        ready = tmp_path / f"ready{attempt}"
        proc = _spawn(SAVE, home, str(dest), str(ready))
        _kill_after_ready(proc, ready, RNG.uniform(0.0, 1.5))
        notes = sweep(paths)  # the next start
        assert not [p.name for p in models.iterdir() if p.name.startswith(".")], notes
        if dest.exists():
            read_config(dest, verify=True)  # every file there, every hash right
            assert load_model(dest).model_id == dest.name
            seen["whole"] += 1
        else:
            seen["nothing"] += 1
    assert sum(seen.values()) == KILLS
    print(f"model save kill -9 loop: {KILLS}/{KILLS} whole-or-nothing ({seen})")


def test_the_sweep_removes_dead_partial_folders_and_says_so_once(tmp_path):
    paths = AppPaths.default(home=tmp_path / "home")
    models = paths.user_models
    dead = models / ".shop.pid999999999-abc.partial"
    legacy = models / ".shop.abcd.partial"  # from a Vitrine before pids were recorded
    live = models / f".other.pid{os.getpid()}-x.partial"
    for d in (dead, legacy, live):
        d.mkdir(parents=True)
    notes = sweep(paths)
    assert len(notes) == 2 and all("unfinished model save" in n for n in notes)
    assert not dead.exists() and not legacy.exists() and live.exists()
    assert sweep(paths) == []


def test_cli_start_says_what_it_cleaned_once(vitrine_home):
    from app.cli import main

    models = AppPaths.default().user_models
    (models / ".shop.pid999999999-x.partial").mkdir(parents=True)
    out = subprocess.run([sys.executable, "-m", "app", "models"], cwd=REPO, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0 and "Cleaned up after an interrupted run" in out.stderr
    assert main(["models"]) == 0
    assert not list(models.glob(".*"))


@pytest.mark.parametrize("n", [1, 3])
def test_export_still_writes_every_file_and_no_staging_remains(tmp_path, n):
    items = [GeneratedImage(np.full((64, 64, 3), 40 * i, np.uint8), GenerateRequest(description="red heels", seed=i))
             for i in range(n)]
    res = export_images(items, ExportRequest(folder=str(tmp_path), format="png", subfolder="sku", sku="A1"))
    assert len(res.files) == n and all(p.exists() for p in res.files + res.sidecars)
    assert not [p for p in tmp_path.rglob(".*")]
