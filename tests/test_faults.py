"""Faults: processes killed at random points, a full disk, a read-only folder, a GPU out of memory.
Real subprocesses are SIGKILLed; whatever was saved before must still load and no truncated final file may appear."""

from __future__ import annotations

import errno
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
import torch
from PIL import Image

from app import output
from app.engine import checkpoints
from app.engine.checkpoints import read_config
from app.engine.device import DeviceChoice
from app.engine.loading import load_model
from app.export import ExportError, ExportRequest, export_images
from app.gallery_store import GalleryStore
from app.requests import GeneratedImage, GenerateRequest
from app.settings import Settings, save_settings
from tests.conftest import TINY_GAN, make_tiny_model

REPO = Path(__file__).resolve().parents[1]
RNG = random.Random(int(os.environ.get("VITRINE_FAULT_SEED", "0")) or None)


def _spawn(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(proc: subprocess.Popen, ready: Path, delay: float, timeout: float = 30.0) -> None:
    """Wait until the child has written `ready` (it is past its imports), then SIGKILL it after `delay` s."""
    t0 = time.monotonic()
    while not ready.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child ended early: {proc.stderr.read().decode()[-2000:]}")
        if time.monotonic() - t0 > timeout:
            proc.kill()
            raise AssertionError("child never got ready")
        time.sleep(0.02)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)


# ---- killed during training ---------------------------------------------------------------------------
TRAIN = """
import sys, json, numpy as np
from pathlib import Path
from app.data.datasets import PhotoSet
from app.engine.train import Trainer, TrainRequest
out, ready, resume, steps = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4])
rng = np.random.default_rng(0)
photos = PhotoSet(rng.integers(0, 255, (8, 64, 64, 3), dtype=np.uint8), np.zeros((8, 3), int), ["x"] * 8,
                  [str(i) for i in range(8)])
req = TrainRequest(data="", out=str(out), resume=resume, max_steps=steps, batch=4, checkpoint_every=1,
                   sample_every=10**6, device="cpu", gan=json.loads(sys.argv[5]), r1_every=10**6)
ready.touch()
for p in Trainer(req, photos).run():
    pass
"""


def test_killed_during_training_keeps_checkpoint_and_model(tmp_path):
    out = tmp_path / "run"
    first = _spawn(TRAIN, str(out), str(tmp_path / "r0"), "0", "2", json.dumps(TINY_GAN))
    assert first.wait(60) == 0, first.stderr.read().decode()[-2000:]
    before = load_model(out / "model")
    for attempt in range(2):
        ready = tmp_path / f"r{attempt + 1}"
        proc = _spawn(TRAIN, str(out), str(ready), "1", "100000", json.dumps(TINY_GAN))
        _kill_when(proc, ready, RNG.uniform(0.8, 2.5))
        read_config(out / "model")
        m = load_model(out / "model")  # the model folder loads (previous or a newer complete one)
        assert m.generator is not None and m.model_hash
        ckpt = out / "checkpoint"
        meta = json.loads((ckpt / "state.json").read_text())
        weights = ckpt / meta.get("tensors", "state.safetensors")
        assert checkpoints.sha256_file(weights) == meta["sha256"]  # a resumable checkpoint
    assert before.model_hash  # the first model was complete too
    # A later run resumes from whatever the kills left behind.
    proc = _spawn(TRAIN, str(out), str(tmp_path / "r9"), "1", str(meta["step"] + 1), json.dumps(TINY_GAN))
    assert proc.wait(60) == 0, proc.stderr.read().decode()[-2000:]
    assert json.loads((out / "checkpoint" / "state.json").read_text())["step"] == meta["step"] + 1


# ---- killed during model saving -----------------------------------------------------------------------
SAVE = """
import sys, itertools
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from tests.conftest import make_tiny_model
dest, ready = Path(sys.argv[1]), Path(sys.argv[2])
ready.touch()
for i in itertools.count(1):
    make_tiny_model(dest, seed=i, model_id="m")
"""


def test_killed_while_saving_a_model_keeps_a_loadable_folder(tmp_path):
    dest = tmp_path / "models" / "m"
    make_tiny_model(dest, seed=0, model_id="m")
    for attempt in range(4):
        ready = tmp_path / f"ready{attempt}"
        proc = _spawn(SAVE, str(dest), str(ready), str(REPO))
        _kill_when(proc, ready, RNG.uniform(0.3, 1.5))
        m = load_model(dest)  # recovers `.m.old` if the kill fell between the two renames
        assert m.model_id == "m"
        leftovers = [p.name for p in dest.parent.iterdir() if p.name != "m"]
        assert all(n.startswith(".m.") for n in leftovers), leftovers  # only hidden temporaries
    make_tiny_model(dest, seed=99, model_id="m")  # a later save works over the leftovers


def test_a_kill_between_the_two_renames_is_recovered(tmp_path):
    from app.engine.registry import Registry

    dest = make_tiny_model(tmp_path / "models" / "m", model_id="m")
    os.replace(dest, dest.with_name(".m.old"))  # exactly the state a kill there leaves
    assert [m.id for m in Registry(tmp_path / "models").list()] == ["m"]
    assert load_model(dest).model_id == "m"


# ---- killed during export -----------------------------------------------------------------------------
EXPORT = """
import sys, numpy as np
from pathlib import Path
from app.export import ExportRequest, export_images
from app.requests import GenerateRequest
class It:
    def __init__(self, i):
        self.pixels = np.random.default_rng(i).integers(0, 255, (256, 256, 3), dtype=np.uint8)
        self.request = GenerateRequest(description="red heels", seed=i)
folder, ready = sys.argv[1], Path(sys.argv[2])
items = [It(i) for i in range(4)]
ready.touch()
while True:
    export_images(items, ExportRequest(folder=folder, format="png", preset="custom", size=512))
"""


def _check_export_folder(folder: Path) -> None:
    for p in folder.iterdir():
        if p.name.startswith("."):
            # only hidden temporaries may remain: a file's .partial, or a batch's staging folder (swept at next start)
            assert p.name.endswith(".partial") or p.name.startswith(".vitrine-staging-"), p
            continue
        if p.suffix == ".json":
            json.loads(p.read_text())
        else:
            with Image.open(p) as im:
                im.load()
                assert im.size == (512, 512)
            assert output.read_request(p).description == "red heels"


def test_killed_during_export_leaves_no_truncated_files(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for attempt in range(3):
        ready = tmp_path / f"ready{attempt}"
        proc = _spawn(EXPORT, str(folder), str(ready))
        _kill_when(proc, ready, RNG.uniform(0.2, 1.5))
        _check_export_folder(folder)
    # A later export is not disturbed by leftover temporaries (they are hidden and never chosen as names).
    items = [GeneratedImage(np.full((64, 64, 3), 9, np.uint8), GenerateRequest(description="red heels"))]
    res = export_images(items, ExportRequest(folder=str(folder), format="png", preset="custom", size=512))
    assert not res.files[0].name.startswith(".")
    _check_export_folder(folder)


# ---- full disk and read-only folders ------------------------------------------------------------------
class _FullDisk:
    def __init__(self, f):
        self._f = f

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


@pytest.fixture
def full_disk(monkeypatch):
    real = os.fdopen
    monkeypatch.setattr(output.os, "fdopen", lambda *a, **k: _FullDisk(real(*a, **k)))


def _items(n=3):
    return [GeneratedImage(np.full((64, 64, 3), 50 * i, np.uint8), GenerateRequest(description="red heels", seed=i))
            for i in range(n)]


def test_full_disk_during_export_is_reported_and_nothing_is_left(tmp_path, full_disk):
    with pytest.raises(ExportError, match="disk is full"):
        export_images(_items(), ExportRequest(folder=str(tmp_path), format="png"))
    assert list(tmp_path.iterdir()) == []


def test_full_disk_keeps_settings_and_gallery_intact(tmp_path, full_disk, monkeypatch):
    store = GalleryStore(tmp_path / "gallery")
    with pytest.raises(OSError) as e:
        store.add(_items(1))
    assert e.value.errno == errno.ENOSPC
    assert store.items() == []
    with pytest.raises(OSError):
        save_settings(tmp_path / "config", Settings())
    assert not [p for p in (tmp_path / "config").iterdir()]  # no half-written settings.json


def test_full_disk_while_saving_a_model_keeps_the_old_one(tmp_path, monkeypatch):
    dest = make_tiny_model(tmp_path / "m")
    before = load_model(dest).model_hash

    def no_space(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(checkpoints, "save_file", no_space)
    with pytest.raises(checkpoints.ModelError, match="disk is full"):  # named as such, not a raw OSError
        make_tiny_model(dest, seed=5)
    assert load_model(dest).model_hash == before
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_read_only_export_folder_is_reported(tmp_path, monkeypatch):
    import tempfile

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(ExportError, match="read-only"):
        export_images(_items(), ExportRequest(folder=str(tmp_path), format="png"))
    assert list(tmp_path.iterdir()) == []


# ---- GPU out of memory --------------------------------------------------------------------------------
@pytest.mark.parametrize("error", [torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2 GiB"),
                                   RuntimeError("CUDA error: out of memory")])
def test_gpu_out_of_memory_falls_back_to_cpu_once(tiny_engine, monkeypatch, error):
    req = GenerateRequest(description="red heels", seed=3, count=3, size=64)
    expected = [im.pixels for im in tiny_engine.generate(req)]
    # Pretend the engine runs on a GPU; the real tensors stay on the CPU, which is where the fallback moves them.
    tiny_engine.device_choice = DeviceChoice(torch.device("cpu"), "Fake GPU")
    monkeypatch.setattr(type(tiny_engine), "device", property(
        lambda self: torch.device("cuda") if self.device_choice.name == "Fake GPU" else self.device_choice.device))
    monkeypatch.setattr(torch.Tensor, "to", lambda self, *a, **k: self)  # no CUDA here: moves are no-ops
    real = type(tiny_engine)._synthesize
    calls = {"n": 0}

    def flaky(self, G, latent, c):
        calls["n"] += 1
        if calls["n"] == 1:  # three pictures are one padded synthesis call: it fails, then is retried on the CPU
            raise error
        return real(self, G, latent, c)

    monkeypatch.setattr(type(tiny_engine), "_synthesize", flaky)
    got = tiny_engine.generate(req)
    assert [im.index for im in got] == [0, 1, 2]
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a.pixels, b)
    assert tiny_engine.device_choice.name == "CPU"
    assert "ran out of memory" in tiny_engine.device_choice.note
    assert "Fake GPU" in tiny_engine.device_choice.note


def test_out_of_memory_on_the_cpu_is_not_retried(tiny_engine, monkeypatch):
    def oom(self, G, latent, c):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(type(tiny_engine), "_synthesize", oom)
    with pytest.raises(RuntimeError, match="out of memory"):
        tiny_engine.generate(GenerateRequest(description="red heels", count=1, size=64))


def test_other_errors_are_not_swallowed(tiny_engine, monkeypatch):
    tiny_engine.device_choice = DeviceChoice(torch.device("cpu"), "Fake GPU")

    def broken(self, G, latent, c):
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    monkeypatch.setattr(type(tiny_engine), "_synthesize", broken)
    with pytest.raises(RuntimeError, match="shapes"):
        tiny_engine.generate(GenerateRequest(description="red heels", count=1, size=64))
    assert tiny_engine.device_choice.name == "Fake GPU"
