"""Data-parallel training: two CPU processes (gloo) take Trainer steps on different data and stay identical."""

from __future__ import annotations

import os
import socket

import numpy as np
import torch
import torch.multiprocessing as mp
from torch import distributed as dist

from app.data.datasets import PhotoSet
try:
    from conftest import TINY_GAN
except ImportError:  # imported as tests.test_ddp
    from tests.conftest import TINY_GAN


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker(rank: int, world: int, port: int, out_dir: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), WORLD_SIZE=str(world), RANK=str(rank),
                      LOCAL_RANK=str(rank))
    torch.set_num_threads(1)
    from app.engine.train import Trainer, TrainRequest

    rng = np.random.default_rng(0)  # same photos on every rank; each rank draws its own batches from them
    n = 16
    photos = PhotoSet(rng.integers(0, 256, (n, 64, 64, 3), dtype=np.uint8),
                      np.stack([rng.integers(0, 44, n), rng.integers(0, 18, n), rng.integers(0, 5, n)], 1),
                      [f"photo {i}" for i in range(n)], [f"{i}.jpg" for i in range(n)])
    req = TrainRequest(data="-", out=os.path.join(out_dir, f"rank{rank}"), batch=4, device="cpu", gan=TINY_GAN,
                       r1_every=2, seed=0)
    trainer = Trainer(req, photos=photos)
    assert (trainer.rank, trainer.world) == (rank, world)
    for _ in range(3):
        trainer.train_step()
    # Check that the ranks really saw different batches (otherwise the test proves nothing).
    x_real = trainer._batch()[0]
    state = {**{f"G.{k}": v for k, v in trainer.G.state_dict().items()},
             **{f"D.{k}": v for k, v in trainer.D.state_dict().items()},
             **{f"E.{k}": v for k, v in trainer.G_ema.state_dict().items()}, "_batch": x_real}
    torch.save(state, os.path.join(out_dir, f"state{rank}.pt"))
    dist.barrier()
    dist.destroy_process_group()


def test_two_process_ddp_keeps_replicas_identical(tmp_path):
    port = _free_port()
    mp.spawn(_worker, args=(2, port, str(tmp_path)), nprocs=2, join=True)
    a = torch.load(tmp_path / "state0.pt", weights_only=True)
    b = torch.load(tmp_path / "state1.pt", weights_only=True)
    assert not torch.equal(a.pop("_batch"), b.pop("_batch")), "both ranks drew the same batch"
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), f"replicas differ in {k}"
    # and training actually moved the weights (compare with a fresh init of the same seed)
    torch.manual_seed(0)
    from app.engine import networks

    G0 = networks.Generator(networks.GanConfig.from_dict({**networks.GanConfig().to_dict(), **TINY_GAN}))
    moved = [k for k, v in G0.state_dict().items() if not torch.equal(v, a[f"G.{k}"])]
    assert moved, "the generator did not change during training"
