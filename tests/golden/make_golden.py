"""Write the training goldens (train_golden.json) and an old-format checkpoint (old-run/) with the code of today.

Run once before a refactor of the training code, commit the output, and tests/test_train_golden.py then checks
that the refactored code computes the same losses and weights, and resumes the checkpoint written before it:

    OMP_NUM_THREADS=1 .venv/bin/python tests/golden/make_golden.py
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent)]

from conftest import TINY_GAN, fake_embedder, make_tiny_model  # noqa: E402


def photos():
    from app.data.datasets import PhotoSet

    rng = np.random.default_rng(0)
    n = 16
    labels = np.stack([rng.integers(0, 5, n), rng.integers(0, 5, n), rng.integers(0, 3, n)], 1)
    return PhotoSet(rng.integers(0, 255, (n, 64, 64, 3), dtype=np.uint8), labels, ["x"] * n, [str(i) for i in range(n)])


def train_request(out: Path, **kw):
    from app.engine.train import TrainRequest

    base = dict(data="", out=str(out), max_steps=4, batch=4, gan=TINY_GAN, checkpoint_every=2, sample_every=2,
                r1_every=2, device="cpu", diversity_weight=1.0)
    base.update(kw)
    return TrainRequest(**base)


def stats(module: torch.nn.Module) -> list[float]:
    """Two numbers that move with any weight: the sum and the sum of squares of every parameter and buffer."""
    s = sum(float(v.double().sum()) for v in module.state_dict().values() if v.is_floating_point())
    q = sum(float(v.double().pow(2).sum()) for v in module.state_dict().values() if v.is_floating_point())
    return [s, q]


def losses(progress) -> list[dict[str, float]]:
    return [{k: float(v) for k, v in p.metrics.items()} for p in progress if "loss_d" in p.metrics]


def base_runs(tmp: Path) -> dict:
    from app.engine.train import Trainer

    out = {}
    for name, kw in (("vitrine", {}), ("bf16", {"precision": "bf16", "max_steps": 2}),
                     ("dcgan", {"recipe": "dcgan", "max_steps": 2})):
        t = Trainer(train_request(tmp / name, **kw), photos())
        out[name] = {"losses": losses(list(t.run())), "G": stats(t.G), "G_ema": stats(t.G_ema), "D": stats(t.D)}
    return out


# The smallest network that trains: the old-format checkpoint in the repository stays small.
MICRO_GAN = dict(g_channels=(8, 8, 8, 8, 8), d_channels=(8, 8, 8, 8, 8), w_dim=8, z_dim=8, cond_embed=8,
                 mapping_layers=1)


def old_checkpoint(tmp: Path) -> dict:
    """A run stopped at step 2 by today's code (kept in old-run/): tests resume it to step 4 with the code of their
    day and compare with this straight 4-step run of today's."""
    from app.engine.train import Trainer

    straight = Trainer(train_request(tmp / "straight", gan=MICRO_GAN), photos())
    progress = list(straight.run())
    list(Trainer(train_request(tmp / "old", gan=MICRO_GAN, max_steps=2), photos()).run())
    target = HERE / "old-run"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(tmp / "old" / "checkpoint", target / "checkpoint")
    resumed = Trainer(train_request(tmp / "old", gan=MICRO_GAN, resume=True), photos())
    resumed_progress = list(resumed.run())
    return {"straight": {"losses": losses(progress), "G_ema": stats(straight.G_ema), "D": stats(straight.D)},
            "resumed": {"losses": losses(resumed_progress), "G_ema": stats(resumed.G_ema), "D": stats(resumed.D),
                        "step": resumed.step}}


def micro_model(folder: Path) -> None:
    from app.engine import networks, vocab
    from app.engine.checkpoints import write_model_dir

    torch.manual_seed(0)
    cfg = networks.GanConfig(**MICRO_GAN)
    G, D = networks.Generator(cfg), networks.Discriminator(cfg)
    write_model_dir(folder, {"id": "micro", "name": "micro", "gan": cfg.to_dict(), "training": {"steps": 0},
                             "vocab_version": vocab.CURRENT_VERSION},
                    {"generator": G.state_dict(), "discriminator": D.state_dict()}, card="# micro\n")


def finetune_runs(tmp: Path) -> dict:
    """A 4-step fine-tuning run straight; one cancelled at step 2 (its checkpoint kept in old-finetune/) and resumed."""
    from PIL import Image

    from app.data.photo_import import import_photos
    from app.engine.checkpoints import ModelError
    from app.engine.finetune import FinetuneControl, FinetuneRequest, Finetuner
    from app.engine.text import TextConditioner
    from app.paths import AppPaths

    micro_model(tmp / "bundled" / "micro")
    (tmp / "bundled" / "attribute-classifier").symlink_to(HERE.parent.parent / "models" / "attribute-classifier")
    folder = tmp / "photos"
    folder.mkdir()
    for i in range(4):
        rng = np.random.default_rng(i)
        Image.fromarray(rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)).save(folder / f"red-heels-{i:02d}.png")

    def tuner(home: str, **kw):
        req = FinetuneRequest((str(folder),), "Golden", base="micro", batch=2, eval_every=2, eval_samples=4,
                              checkpoint_every=100, max_steps=4, judge="discriminator", adapt="styles", framing=False,
                              **kw)
        paths = AppPaths.default(home=tmp / home, bundled=tmp / "bundled")
        return Finetuner(req, paths, import_photos([folder]).photos, TextConditioner(embedder=fake_embedder))

    def drive(t, control=None, cancel_at=None):
        progress = []
        try:
            for p in t.run(control=control):
                progress.append(p)
                if cancel_at is not None and "loss_d" in p.metrics and p.done == cancel_at:
                    control.cancel()
        except ModelError:  # "not yet closer to your photos": the steps were taken all the same
            pass
        return {"losses": losses(progress), "G_ema": stats(t.G_ema), "D": stats(t.D), "best_step": t.best["step"],
                "step": t.step}

    straight = drive(tuner("a"))
    drive(tuner("b"), FinetuneControl(), cancel_at=2)
    target = HERE / "old-finetune"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(tmp / "b" / "data" / "finetune-runs" / "golden" / "checkpoint", target / "checkpoint")
    resumed = drive(tuner("b", resume=True))
    return {"straight": straight, "resumed": resumed}


def upscaler_runs(tmp: Path) -> dict:
    """A 3-step upscaler run straight; one stopped at step 2 (its checkpoint.pt kept in old-upscaler/) and resumed."""
    from app.engine import upscale as U
    from test_upscale import TINY, make_dataset

    hr, lr = make_dataset(tmp)
    common = dict(data=str(hr), lr_data=str(lr), max_steps=3, batch=2, crop=32, network=TINY, checkpoint_every=2,
                  val_images=1)

    def drive(t):
        progress = list(t.run())
        return {"losses": [{k: float(v) for k, v in p.metrics.items()} for p in progress], "net": stats(t.net),
                "ema": stats(t.ema), "step": t.step}

    straight = drive(U.UpscalerTrainer(U.UpscalerTrainRequest(out=str(tmp / "a"), **common)))
    stop = {"now": False}
    first = U.UpscalerTrainer(U.UpscalerTrainRequest(out=str(tmp / "b"), **common))
    for p in first.run(lambda: stop["now"]):
        stop["now"] = p.done >= 2
    target = HERE / "old-upscaler"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    shutil.copy(tmp / "b" / "checkpoint.pt", target / "checkpoint.pt")
    resumed = drive(U.UpscalerTrainer(U.UpscalerTrainRequest(out=str(tmp / "b"), resume=True, **common)))
    return {"straight": straight, "resumed": resumed, "data": {"n": 6, "val": 2}}


def main() -> None:
    import tempfile

    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        golden = {"base": base_runs(tmp / "base"), "finetune": finetune_runs(tmp / "ft"),
                  "upscaler": upscaler_runs(tmp / "up"), "resume": old_checkpoint(tmp / "ckpt")}
    (HERE / "train_golden.json").write_text(json.dumps(golden, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
