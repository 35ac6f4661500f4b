"""The training math and the checkpoint formats do not move: tiny runs give the losses and weights recorded by the
code before the one-training-loop refactor (tests/golden/make_golden.py), and checkpoints written by that code
(tests/golden/old-*) resume to the same weights.

Tolerance: 1e-5 relative (another CPU may round a little differently); VITRINE_GOLDEN_EXACT=1 asks for equality
(the machine that wrote the goldens)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
import torch

GOLDEN_DIR = Path(__file__).parent / "golden"
sys.path.insert(0, str(GOLDEN_DIR))

import make_golden as mg  # noqa: E402

GOLDEN = json.loads((GOLDEN_DIR / "train_golden.json").read_text(encoding="utf-8"))
RTOL = 0.0 if os.environ.get("VITRINE_GOLDEN_EXACT") else 1e-5


@pytest.fixture(autouse=True)
def one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def same(got, want, path="") -> None:
    if isinstance(want, dict):
        assert set(got) == set(want), path
        for k in want:
            same(got[k], want[k], f"{path}.{k}")
    elif isinstance(want, list):
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, f"{path}[{i}]")
    else:
        assert got == pytest.approx(want, rel=RTOL, abs=1e-7 if RTOL else 0), path


@pytest.mark.parametrize("name", ["vitrine", "bf16", "dcgan"])
def test_base_training_gives_the_recorded_losses_and_weights(tmp_path, name):
    kw = {"vitrine": {}, "bf16": {"precision": "bf16", "max_steps": 2}, "dcgan": {"recipe": "dcgan", "max_steps": 2}}[name]
    from app.engine.train import Trainer
    from bench.dcgan import DcganTrainer

    t = (DcganTrainer if name == "dcgan" else Trainer)(mg.train_request(tmp_path / name, **kw), mg.photos())
    got = {"losses": mg.losses(list(t.run())), "G": mg.stats(t.G), "G_ema": mg.stats(t.G_ema), "D": mg.stats(t.D)}
    same(got, GOLDEN["base"][name])


def test_a_checkpoint_written_before_the_refactor_resumes_exactly(tmp_path):
    from app.engine.train import Trainer

    shutil.copytree(GOLDEN_DIR / "old-run" / "checkpoint", tmp_path / "run" / "checkpoint")
    t = Trainer(mg.train_request(tmp_path / "run", gan=mg.MICRO_GAN, resume=True), mg.photos())
    progress = list(t.run())
    got = {"losses": mg.losses(progress), "G_ema": mg.stats(t.G_ema), "D": mg.stats(t.D), "step": t.step}
    same(got, GOLDEN["resume"]["resumed"])
    same(got["G_ema"], GOLDEN["resume"]["straight"]["G_ema"])


def _finetune_drive(tmp_path, home: str, resume: bool = False) -> dict:
    from PIL import Image
    import numpy as np

    from app.data.photo_import import import_photos
    from app.engine.checkpoints import ModelError
    from app.engine.finetune import FinetuneRequest, Finetuner
    from app.engine.text import TextConditioner
    from app.paths import AppPaths

    from conftest import fake_embedder

    mg.micro_model(tmp_path / "bundled" / "micro")
    (tmp_path / "bundled" / "attribute-classifier").symlink_to(mg.HERE.parent.parent / "models" / "attribute-classifier")
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(4):
        rng = np.random.default_rng(i)
        Image.fromarray(rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)).save(folder / f"red-heels-{i:02d}.png")
    req = FinetuneRequest((str(folder),), "Golden", base="micro", batch=2, eval_every=2, eval_samples=4,
                          checkpoint_every=100, max_steps=4, judge="discriminator", resume=resume,
                          adapt="styles", framing=False)  # the recipe as recorded (before the colour grade default)
    paths = AppPaths.default(home=tmp_path / home, bundled=tmp_path / "bundled")
    t = Finetuner(req, paths, import_photos([folder]).photos, TextConditioner(embedder=fake_embedder))
    progress = []
    try:
        for p in t.run():
            progress.append(p)
    except ModelError:  # not closer to the photos after 4 steps: nothing published, the steps were taken
        pass
    return {"losses": mg.losses(progress), "G_ema": mg.stats(t.G_ema), "D": mg.stats(t.D),
            "best_step": t.best["step"], "step": t.step}


def test_fine_tuning_gives_the_recorded_losses_and_weights(tmp_path):
    same(_finetune_drive(tmp_path, "a"), GOLDEN["finetune"]["straight"])


def test_a_fine_tuning_checkpoint_written_before_the_refactor_resumes_exactly(tmp_path):
    shutil.copytree(GOLDEN_DIR / "old-finetune" / "checkpoint",
                    tmp_path / "b" / "data" / "finetune-runs" / "golden" / "checkpoint")
    same(_finetune_drive(tmp_path, "b", resume=True), GOLDEN["finetune"]["resumed"])


def _upscaler(tmp_path, **kw):
    from app.engine import upscale as U
    from test_upscale import TINY, make_dataset

    hr, lr = make_dataset(tmp_path)
    req = U.UpscalerTrainRequest(out=str(tmp_path / "up"), data=str(hr), lr_data=str(lr), max_steps=3, batch=2,
                                 crop=32, network=TINY, checkpoint_every=2, val_images=1, **kw)
    t = U.UpscalerTrainer(req)
    progress = list(t.run())
    return {"losses": [{k: float(v) for k, v in p.metrics.items()} for p in progress], "net": mg.stats(t.net),
            "ema": mg.stats(t.ema), "step": t.step}


def test_upscaler_training_gives_the_recorded_losses_and_weights(tmp_path):
    same(_upscaler(tmp_path), GOLDEN["upscaler"]["straight"])


def test_an_upscaler_checkpoint_written_before_the_refactor_resumes_exactly(tmp_path):
    (tmp_path / "up").mkdir()
    shutil.copy(GOLDEN_DIR / "old-upscaler" / "checkpoint.pt", tmp_path / "up" / "checkpoint.pt")
    same(_upscaler(tmp_path, resume=True), GOLDEN["upscaler"]["resumed"])
