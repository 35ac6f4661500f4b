"""The 4x upscaler on tiny random data: shapes, determinism, checkpoints, resume, command line."""

from __future__ import annotations

import csv
import io
import json
import tarfile

import numpy as np
import pytest
import torch
from PIL import Image

from app.cli import main as cli_main
from app.engine import upscale as U
from app.engine import upscale_consistency as C
from app.engine.checkpoints import ModelError

TINY = {"channels": 8, "blocks": 1, "up_channels": 4}


def tiny_net(seed=0):
    torch.manual_seed(seed)
    net = U.Upscaler(U.UpscalerConfig.from_dict(TINY))
    with torch.no_grad():  # make the residual branch non-zero, so outputs differ from plain bicubic
        for p in net.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return net


def make_dataset(root, n=6, val=2):
    """A fake fashion-hires-256: images.tar of 256 px JPEGs + captions.csv with a split; plus aligned 64 px tars."""
    hr_dir, lr_dir = root / "hr", root / "lr"
    hr_dir.mkdir(parents=True)
    lr_dir.mkdir(parents=True)
    rng = np.random.default_rng(0)
    rows = []
    with tarfile.open(hr_dir / "images.tar", "w") as th, tarfile.open(lr_dir / "images-000.tar", "w") as tl:
        for i in range(n):
            a = np.full((256, 256, 3), 255, np.uint8)
            a[40:220, 50:200] = rng.integers(0, 255, (1, 1, 3)) + rng.integers(0, 60, (180, 150, 3))
            img = Image.fromarray(a)
            for tf, im in ((th, img), (tl, img.resize((64, 64)))):
                buf = io.BytesIO()
                im.save(buf, "JPEG", quality=90)
                info = tarfile.TarInfo(f"{i}.jpg")
                info.size = len(buf.getvalue())
                tf.addfile(info, io.BytesIO(buf.getvalue()))
            rows.append({"file_name": f"{i}.jpg", "id": i, "split": "val" if i < val else "train"})
    for d in (hr_dir, lr_dir):
        with open(d / "captions.csv", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["file_name", "id", "split"])
            w.writeheader()
            w.writerows(rows)
    return hr_dir, lr_dir


def test_shapes_and_determinism():
    up = U.LoadedUpscaler(tiny_net())
    x = np.random.default_rng(1).integers(0, 255, (3, 64, 64, 3), dtype=np.uint8)
    y = up(x)
    assert y.shape == (3, 256, 256, 3) and y.dtype == np.uint8
    assert np.array_equal(y, up(x))
    assert np.array_equal(y[1:2], up(x[1:2]))  # a picture never depends on its batch
    assert up(x[:, :20, :36]).shape == (3, 80, 144, 3)


def test_tiling_matches_whole_picture():
    net = tiny_net()
    x = np.random.default_rng(2).integers(0, 255, (1, 100, 90, 3), dtype=np.uint8)
    whole = U.LoadedUpscaler(net, tile=512)(x)
    tiled = U.LoadedUpscaler(net, tile=32, context=12)(x)
    assert np.abs(whole.astype(int) - tiled.astype(int)).max() <= 1


def test_starts_as_bicubic():
    net = U.Upscaler()
    x = torch.rand(1, 3, 16, 16)
    ref = torch.nn.functional.interpolate(x, scale_factor=4, mode="bicubic", align_corners=False)
    assert torch.allclose(net(x), ref)
    assert U.param_count(net) < 300_000


def test_model_folder_round_trip(tmp_path):
    net = tiny_net()
    U.save_upscaler(tmp_path / "upscaler-x4", net, {"training": {"steps": 0}}, card="# t\n")
    assert (tmp_path / "upscaler-x4" / "upscaler.safetensors").exists()
    up = U.load_default_upscaler(tmp_path, "cpu")
    x = np.random.default_rng(3).integers(0, 255, (1, 64, 64, 3), dtype=np.uint8)
    assert np.array_equal(up(x), U.LoadedUpscaler(net)(x))
    assert U.load_default_upscaler(tmp_path / "nothing", "cpu") is None
    (tmp_path / "upscaler-x4" / "upscaler.safetensors").write_bytes(b"broken")
    with pytest.raises(ModelError):
        U.load_upscaler(tmp_path / "upscaler-x4")


def test_registry_does_not_list_upscaler(tmp_path):
    from app.engine.registry import Registry

    U.save_upscaler(tmp_path / "upscaler-x4", tiny_net())
    assert Registry(tmp_path, None).list() == []


def test_ssim_and_psnr():
    a = np.random.default_rng(4).integers(0, 255, (32, 32, 3), dtype=np.uint8)
    assert U.ssim_y(a, a) == pytest.approx(1.0)
    assert U.psnr(a, a) == float("inf")
    b = np.clip(a.astype(int) + 10, 0, 255).astype(np.uint8)
    assert U.ssim_y(a, b) < 1.0 and 20 < U.psnr(a, b) < 40


def test_train_checkpoint_and_exact_resume(tmp_path):
    hr, lr = make_dataset(tmp_path)
    common = dict(data=str(hr), lr_data=str(lr), max_steps=2, batch=2, crop=32, network=TINY, checkpoint_every=1,
                  val_images=1)
    straight = U.UpscalerTrainer(U.UpscalerTrainRequest(out=str(tmp_path / "a"), **common))
    steps = [p.done for p in straight.run()]
    assert steps[-1] == 2 and (tmp_path / "a" / "model" / "upscaler.safetensors").exists()

    stop = {"now": False}
    first = U.UpscalerTrainer(U.UpscalerTrainRequest(out=str(tmp_path / "b"), **common))
    for p in first.run(lambda: stop["now"]):
        if p.done == 1:
            stop["now"] = True
    assert first.step == 1
    resumed = U.UpscalerTrainer(U.UpscalerTrainRequest(out=str(tmp_path / "b"), resume=True, **common))
    assert resumed.step == 1
    list(resumed.run())
    for k, v in straight.net.state_dict().items():
        assert torch.equal(v, resumed.net.state_dict()[k]), k
    up = U.load_upscaler(tmp_path / "b" / "model")
    assert up(np.zeros((1, 64, 64, 3), np.uint8)).shape == (1, 256, 256, 3)


def test_cli_upscale_writes_pngs(tmp_path, capsys):
    U.save_upscaler(tmp_path / "m", tiny_net())
    Image.fromarray(np.random.default_rng(5).integers(0, 255, (40, 30, 3), dtype=np.uint8)).save(tmp_path / "a.jpg")
    Image.new("RGBA", (64, 64), (10, 200, 30, 128)).save(tmp_path / "b.png")
    (tmp_path / "bad.png").write_bytes(b"not a picture")
    out = tmp_path / "out"
    rc = cli_main(["upscale", str(tmp_path / "a.jpg"), str(tmp_path / "bad.png"), str(tmp_path / "b.png"),
                   str(tmp_path / "missing.jpg"), "--out", str(out), "--size", "300", "--model", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert rc == 1
    assert "bad.png is not a picture" in err and "missing.jpg does not exist" in err
    for name in ("a.png", "b.png"):
        with Image.open(out / name) as im:
            assert im.size == (300, 300) and im.mode == "RGB"
    assert not (out / "bad.png").exists()


def test_cli_upscale_without_model(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VITRINE_BUNDLED_MODELS", str(tmp_path / "none"))
    Image.new("RGB", (64, 64)).save(tmp_path / "a.png")
    assert cli_main(["upscale", str(tmp_path / "a.png"), "--out", str(tmp_path / "o")]) == 2
    assert "No upscaler model is installed" in capsys.readouterr().err


def test_cli_train_upscaler(tmp_path):
    hr, _ = make_dataset(tmp_path)
    rc = cli_main(["train-upscaler", "--data", str(hr), "--out", str(tmp_path / "run"), "--max-steps", "1",
                   "--batch", "2", "--crop", "32", "--network", '{"channels": 8, "blocks": 1, "up_channels": 4}'])
    assert rc == 0 and (tmp_path / "run" / "model" / "config.json").exists()
    assert cli_main(["train-upscaler", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "r2")]) == 2


# ---- downscale consistency (the Sharp model's post-process, app/engine/upscale_consistency.py) ------------
def box64(a: np.ndarray) -> np.ndarray:
    """The view bench/upscale.py gives the classifier: PIL's BOX downscale by 4."""
    return np.asarray(Image.fromarray(a).resize((a.shape[1] // 4, a.shape[0] // 4), Image.Resampling.BOX)).astype(int)


def test_consistency_step_gives_back_the_input():
    x = np.random.default_rng(6).integers(0, 256, (1, 64, 64, 3), dtype=np.uint8)
    t = U._to_tensor(x)
    torch.manual_seed(0)
    wild = torch.nn.functional.interpolate(t, scale_factor=4, mode="bicubic") + 0.1 * torch.randn(1, 3, 256, 256)
    assert (C.down(C.enforce(wild, t, "nearest", 1, clamp=False)) - t).abs().max() < 1e-5  # exact before clamping
    fixed = C.enforce(wild, t, "nearest", 1)  # clamped to [0, 1] and still exact (the clamp-aware projection)
    assert fixed.min() >= 0 and fixed.max() <= 1 and (C.down(fixed) - t).abs().max() < 1e-3
    plain = U.LoadedUpscaler(tiny_net())
    step = C.Consistency({"match": "input", "down": "box", "up": "nearest", "iterations": 1})
    for shape, tile in (((1, 64, 64, 3), 128), ((1, 100, 92, 3), 32)):  # whole, and tiled with a border tile
        x = np.random.default_rng(7).integers(0, 256, shape, dtype=np.uint8)
        y = U.LoadedUpscaler(plain.net, tile=tile, post=step)(x)[0]
        assert np.abs(box64(y) - x[0]).max() <= 1  # after clamping and rounding to 8 bits
        assert np.abs(box64(plain(x)[0]) - x[0]).max() > 1  # (the network alone does not give it back)


def test_anchored_model_shows_its_anchor_at_64_px(tmp_path):
    sharp, anchor = tiny_net(1), tiny_net(2)
    C.save_anchored(tmp_path / "s", sharp, anchor, C.SHARP_STEP, {"style": "sharp"})
    up = U.load_upscaler(tmp_path / "s")
    x = np.random.default_rng(8).integers(0, 256, (2, 64, 64, 3), dtype=np.uint8)
    y = up(x)
    assert np.array_equal(y, up(x)) and np.array_equal(y[1:], up(x[1:]))  # deterministic, batch-independent
    a, s = U.LoadedUpscaler(anchor)(x), U.LoadedUpscaler(sharp)(x)
    for i in range(2):
        assert np.abs(box64(y[i]) - box64(a[i])).max() <= 1  # what a 64 px view sees is the anchor's
        assert np.abs(box64(s[i]) - box64(a[i])).max() > 1
    assert np.abs(y.astype(int) - a).mean() > 1  # and the finer detail is its own


@pytest.mark.parametrize("change", [
    {"iterations": 0}, {"iterations": 99}, {"iterations": "1"}, {"iterations": True}, {"up": "lanczos"},
    {"down": "bilinear"}, {"match": "photo"}, {"detail_gain": 1e9}, {"detail_gain": float("nan")},
    {"detail_gain": "1.2"}, {"surprise": 1}, "yes", {"match": "input"}])
def test_tampered_consistency_setting_is_refused(tmp_path, change):
    C.save_anchored(tmp_path / "s", tiny_net(1), tiny_net(2), C.SHARP_STEP)
    config_path = tmp_path / "s" / "config.json"
    config = json.loads(config_path.read_text())
    config["consistency"] = change if isinstance(change, str) else {**config["consistency"], **change}
    config_path.write_text(json.dumps(config))  # the hashes cover the weights, not config.json: the values are checked
    with pytest.raises(ModelError, match="invalid consistency setting") as e:
        U.load_upscaler(tmp_path / "s")
    assert e.value.reason == "its consistency setting is invalid"


def test_anchor_weights_are_hash_checked(tmp_path):
    C.save_anchored(tmp_path / "s", tiny_net(1), tiny_net(2), C.SHARP_STEP)
    weights = tmp_path / "s" / "anchor.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="anchor.safetensors does not match its hash"):
        U.load_upscaler(tmp_path / "s")
    config = json.loads((tmp_path / "s" / "config.json").read_text())
    del config["files"]["anchor.safetensors"]
    (tmp_path / "s" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="does not list anchor.safetensors"):
        U.load_upscaler(tmp_path / "s")


def test_shipped_sharp_model_keeps_faithful_at_64_px():
    from pathlib import Path

    models = Path(__file__).resolve().parent.parent / "models"
    config = U.read_upscaler_config(models / "upscaler-sharp-x4")
    faithful = U.read_upscaler_config(models / "upscaler-x4")
    assert config["consistency"]["match"] == "anchor"  # the shipped step is recorded in the model, not a code default
    assert config["files"]["anchor.safetensors"] == faithful["files"]["upscaler.safetensors"]  # Faithful, byte for byte


@pytest.fixture(autouse=True)
def _one_thread():
    """Tiny tensors: one thread is faster than several (and far faster on a busy machine)."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)
