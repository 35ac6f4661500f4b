"""Few-shot fine-tuning: photo import (rejects with reasons), atomic shop models, cancel, resume, export/import."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from app.data.photo_import import hint_from_name, import_photos, whiten_background
from app.engine.checkpoints import ModelError, read_config, sha256_file
from app.engine.finetune import FinetuneControl, FinetuneRequest, Finetuner, safe_name
from app.engine.finetune_data import product_mask
from app.engine.loading import load_model
from app.engine.registry import Registry
from app.engine.shop_models import delete_model, export_model_file, import_model_file, rename_model
from app.engine.text import TextConditioner
from app.paths import AppPaths

from conftest import fake_embedder, make_tiny_model


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny networks run fastest on one thread (and do not fight other processes for the cores)."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def _photo(path: Path, seed: int, size=(80, 60), mode="RGB", fmt=None, **save):
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 255, (size[1], size[0], 4 if mode == "RGBA" else 3), dtype=np.uint8)
    Image.fromarray(arr, mode).save(path, fmt, **save)
    return path


@pytest.fixture
def shop(tmp_path):
    root = tmp_path
    make_tiny_model(root / "bundled" / "tiny")
    # The shipped attribute classifier judges "best so far" (fine-tuning finds it among the bundled models).
    (root / "bundled" / "attribute-classifier").symlink_to(Path(__file__).resolve().parent.parent / "models" /
                                                           "attribute-classifier")
    paths = AppPaths.default(home=root / "home", bundled=root / "bundled")
    photos = root / "photos"
    photos.mkdir()
    for i in range(4):
        _photo(photos / f"red-heels-{i:02d}.png", i)
    return paths, photos


def _tuner(paths, photos, **kw):
    res = import_photos([photos])
    req = FinetuneRequest((str(photos),), kw.pop("name", "My Heels"), base="tiny", batch=2, eval_every=2, eval_samples=4,
                          checkpoint_every=100, **kw)
    return Finetuner(req, paths, res.photos, TextConditioner(embedder=fake_embedder))


# ---- import -----------------------------------------------------------------------------------------
def test_import_rejects_with_reasons(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    good = _photo(d / "blue-shirt-01.jpg", 1, (100, 50), fmt="JPEG", quality=95)
    (d / "notes.jpg").write_text("this is not a picture")
    data = good.read_bytes()
    (d / "broken.jpg").write_bytes(data[: len(data) // 3])
    _photo(d / "tiny.png", 2, (20, 18))
    (d / "copy.jpg").write_bytes(data)
    # RGBA: transparent pixels become white.
    rgba = np.zeros((40, 40, 4), np.uint8)
    rgba[10:30, 10:30] = (200, 0, 0, 255)
    Image.fromarray(rgba, "RGBA").save(d / "alpha.png")
    # EXIF-rotated: stored 80×40 landscape with orientation 6 (rotate 90°) → upright portrait.
    img = np.full((40, 80, 3), 255, np.uint8)
    img[:, :40] = (0, 0, 255)  # left half blue in the stored pixels → top half after the rotation
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(img).save(d / "rotated.jpg", exif=exif.tobytes(), quality=95)
    res = import_photos([d], resolution=32)
    reasons = {r.path.name: r.code for r in res.rejected}
    assert reasons == {"notes.jpg": "not_image", "broken.jpg": "corrupt", "tiny.png": "too_small", "copy.jpg": "duplicate"} \
        or reasons == {"notes.jpg": "not_image", "broken.jpg": "corrupt", "tiny.png": "too_small", "blue-shirt-01.jpg": "duplicate"}
    assert all(r.reason for r in res.rejected)
    by_name = {p.path.name: p for p in res.photos}
    assert set(by_name) >= {"alpha.png", "rotated.jpg"} and len(by_name) == 3
    a = by_name["alpha.png"].pixels
    assert a.shape == (32, 32, 3) and tuple(a[0, 0]) == (255, 255, 255) and a[16, 16, 0] > 150 and a[16, 16, 1] < 60
    r = by_name["rotated.jpg"].pixels.astype(int)
    # Turned upright (90° clockwise): the stored left half is now the top; white padding left and right.
    assert r[6, 16, 2] > 150 and r[6, 16, 0] < 100 and r[26, 16].min() > 200 and r[6, 3].min() > 200
    assert by_name["rotated.jpg"].original_size == (40, 80)


def test_decompression_bomb_and_hints_and_whitening(tmp_path):
    Image.new("1", (8000, 6000)).save(tmp_path / "huge.png")  # 48 MP in a tiny file
    res = import_photos([tmp_path / "huge.png"])
    assert [r.code for r in res.rejected] == ["too_large"]
    assert hint_from_name("red-heels-01.jpg") == "red heels"
    assert hint_from_name("IMG_2043 Navy_Blue shirt (2).JPG") == "navy blue shirt"
    px = np.full((8, 8, 3), 245, np.uint8)
    px[3:5, 3:5] = 10
    out = whiten_background(px)
    assert (out[0] == 255).all() and (out[3:5, 3:5] == 10).all()


# ---- engine -------------------------------------------------------------------------------------------
def test_finetune_writes_a_complete_shop_model(shop):
    paths, photos = shop
    tuner = _tuner(paths, photos, max_steps=4)
    progress = list(tuner.run())
    assert progress[-1].message_key == "finetune.finished" and progress[-1].done == 4
    assert any(p.preview is not None for p in progress)
    folder = paths.user_models / safe_name("My Heels")
    cfg = read_config(folder)
    assert cfg["name"] == "My Heels" and cfg["training"]["steps"] == 4 and cfg["training"]["photos"] == 4
    # the bundled attribute classifier judges "closer to the shop's photos"; the base discriminator without it
    assert cfg["training"]["judge"] == "attribute-classifier features"
    assert cfg["training"]["diversity"] == 10.0 and cfg["training"]["keep_catalogue"] == 10.0
    assert _tuner(paths, photos, judge="discriminator").judge_name == "base discriminator features"
    assert sorted(cfg["training"]["photo_sha256"]) == sorted(sha256_file(p) for p in photos.iterdir())
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "4 of the shop's own photos" in card and sha256_file(next(photos.iterdir())) in card
    assert not list(paths.user_models.glob(".*partial"))  # nothing half-written left behind
    m = Registry(paths.bundled_models, paths.user_models).find("My Heels")  # addressable by name
    assert m.source == "user" and load_model(m.folder).generator.grade is not None  # the shop's colour grade kept
    assert cfg["gan"]["look_grade"] > 0 and read_config(paths.bundled_models / "tiny")["gan"].get("look_grade", 0) == 0


def test_keeping_the_catalogue_holds_other_descriptions_close_to_the_base(shop):
    """Without the keep term the shop model drifts for every description; with it, other products stay put."""
    paths, photos = shop
    text = TextConditioner(embedder=fake_embedder)
    c = torch.from_numpy(np.stack([text.understand(d).condition() for d in ("blue jeans for men", "white watch")]))
    base = load_model(paths.bundled_models / "tiny").generator
    z = torch.randn(2, base.cfg.z_dim, generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        before = base(z, c)
    drift = {}
    for weight in (0.0, 50.0):
        tuner = _tuner(paths, photos, keep_catalogue=weight, lr_g=3e-3, adapt="all", description="red heels for women")
        assert (tuner.extra_generator_loss() is None) == (weight == 0)
        for _ in range(15):
            tuner.train_step()
        with torch.no_grad():
            drift[weight] = float((tuner.G(z, c) - before).pow(2).mean())
    assert 0 < drift[50.0] < 0.5 * drift[0.0], drift


def _product_on(backdrop: tuple[float, float, float], size: int = 16) -> torch.Tensor:
    """One picture in [-1, 1]: a dark product with a white patch inside it, on a flat backdrop."""
    x = torch.tensor(backdrop).view(1, 3, 1, 1).repeat(1, 1, size, size)
    x[..., 4:12, 4:12] = -0.6
    x[..., 7:9, 7:9] = 1.0  # a white logo on the product is product, not backdrop
    return x


def test_the_product_mask_covers_the_product_not_the_backdrop():
    m = product_mask(_product_on((1.0, 1.0, 1.0)))[0, 0]
    assert m[0, 0] == 0 and m[15, 15] == 0 and m[8, 8] == 1 and m[4, 4] == 1
    assert m.sum() == 8 * 8


def test_keeping_the_catalogue_lets_the_backdrop_take_the_shops_look(shop):
    """Other products may stand on the shop's backdrop (pink here) while still being held to the base product."""
    paths, photos = shop
    white, pink = _product_on((1.0, 1.0, 1.0)), _product_on((0.91, 0.6, 0.71))
    loss = {}
    for where in ("product", "everywhere"):
        tuner = _tuner(paths, photos, keep_where=where, framing=False)
        tuner.base_G = lambda z, c: white.expand(len(z), -1, -1, -1)
        tuner.G = lambda z, c: pink.expand(len(z), -1, -1, -1)
        loss[where] = float(tuner.extra_generator_loss())
    assert loss["product"] == 0 < loss["everywhere"], loss


def test_late_adaptation_moves_only_the_late_styles_and_to_rgb(shop):
    paths, photos = shop
    tuner = _tuner(paths, photos, adapt="late")
    n = len(tuner.G.blocks)
    moving = {name for name, p in tuner.G.named_parameters() if p.requires_grad}
    assert moving and all(name.startswith(("out_mod.", "to_rgb.")) or
                          (name.startswith((f"blocks.{n - 2}.", f"blocks.{n - 1}.")) and ".affine." in name)
                          for name in moving), moving
    assert any(name.startswith("to_rgb.") for name in moving) and any(name.startswith(f"blocks.{n - 2}.") for name in moving)
    assert sum(p.numel() for g in tuner.opt_g.param_groups for p in g["params"]) == \
        sum(p.numel() for p in tuner.G.parameters() if p.requires_grad)


def test_quick_learns_a_colour_grade_that_starts_as_no_change(shop):
    """Quick (the default) moves only the shop's colour grade: the same for every product, so the shop's backdrop
    and light reach products it never showed; before training the shop model paints exactly the base's pictures."""
    paths, photos = shop
    tuner = _tuner(paths, photos, framing=False)  # (the framing, measured, is the other part of a look: below)
    moving = {name for name, p in tuner.G.named_parameters() if p.requires_grad}
    assert moving and all(name.startswith("grade.") for name in moving), moving
    base = load_model(paths.bundled_models / "tiny").generator
    z, c = torch.randn(3, base.cfg.z_dim), torch.rand(3, base.cfg.cond_dim)
    with torch.no_grad():
        assert torch.equal(tuner.G(z, c), base(z, c))


def test_the_shops_framing_is_measured_and_kept_in_the_shop_model(shop, monkeypatch):
    """The zoom measured from the shop's photos (finetune_framing) frames every picture of the shop model."""
    paths, photos = shop
    assert _tuner(paths, photos, framing=False).cfg.look_zoom == 1.0
    monkeypatch.setattr("app.engine.finetune.measure_zoom", lambda *a, **k: 1.3)
    tuner = _tuner(paths, photos, max_steps=2, name="Tight Heels")
    assert tuner.cfg.look_zoom == 1.3 and tuner.G.cfg.look_zoom == 1.3
    list(tuner.run())
    shop_model = load_model(paths.user_models / safe_name("Tight Heels"))
    assert read_config(paths.user_models / safe_name("Tight Heels"))["gan"]["look_zoom"] == 1.3
    assert shop_model.generator.cfg.look_zoom == 1.3


def test_shared_adaptation_moves_only_late_biases_and_to_rgb(shop):
    paths, photos = shop
    tuner = _tuner(paths, photos, adapt="shared")
    n = len(tuner.G.blocks)
    moving = {name for name, p in tuner.G.named_parameters() if p.requires_grad}
    assert "to_rgb.weight" in moving and f"blocks.{n - 1}.conv2.bias" in moving
    assert all(name.startswith("to_rgb.") or (name.endswith(".bias") and name.startswith(
        (f"blocks.{n - 2}.", f"blocks.{n - 1}.", "out_mod."))) for name in moving), moving
    with pytest.raises(ValueError):
        _tuner(paths, photos, adapt="colour")


def test_best_so_far_is_never_a_snapshot_that_lost_the_product(shop, monkeypatch):
    """A closer snapshot whose pictures the classifier no longer reads as the shop's product type never wins."""
    paths, photos = shop
    tuner = _tuner(paths, photos, description="red heels for women")
    assert (tuner.eval_type >= 0).all()  # "heels" is a type the classifier knows
    tuner.best = {"step": 0, "distance": 1.0, "state": {}}
    tuner.start_type_accuracy = 0.8
    for step, (dist, acc, wins) in enumerate([(0.5, 0.5, False), (0.6, 0.75, True), (0.4, 0.7, False)], 1):
        tuner.step = step

        def fake_distance(d=dist, a=acc):
            tuner.last_type_accuracy = a
            return d

        monkeypatch.setattr(tuner, "distance", fake_distance)
        m = {}
        tuner._check_best(m)
        assert m["type_accuracy"] == acc and (tuner.best["step"] == step) == wins, (step, tuner.best["step"])
    assert tuner.best["distance"] == 0.6


def test_repeated_collapse_stops_and_keeps_the_best(shop, monkeypatch):
    paths, photos = shop
    tuner = _tuner(paths, photos, max_steps=200)
    monkeypatch.setattr(tuner, "preview", lambda: (np.zeros((8, 8, 3), np.uint8), 0.0))  # every check: collapsed
    progress = list(tuner.run())
    assert progress[-1].message_key == "finetune.finished" and tuner.step < 200
    assert sum(p.message_key == "finetune.collapse_restored" for p in progress) == 3
    assert read_config(paths.user_models / "my-heels")["training"]["outcome"].startswith("stopped: the pictures kept")


def test_cancel_leaves_the_existing_model_untouched(shop):
    paths, photos = shop
    list(_tuner(paths, photos, max_steps=2).run())
    folder = paths.user_models / "my-heels"
    before = {p.name: sha256_file(p) for p in folder.iterdir()}
    control = FinetuneControl()
    tuner = _tuner(paths, photos, max_steps=50, seed=3)
    for p in tuner.run(control=control):
        if p.done == 2:
            control.cancel()
    assert p.message_key == "finetune.cancelled" and tuner.model_folder is None
    assert {p.name: sha256_file(p) for p in folder.iterdir()} == before


def test_crash_leaves_the_existing_model_untouched(shop, monkeypatch):
    paths, photos = shop
    list(_tuner(paths, photos, max_steps=2).run())
    folder = paths.user_models / "my-heels"
    before = {p.name: sha256_file(p) for p in folder.iterdir()}
    tuner = _tuner(paths, photos, max_steps=5)
    calls = {"n": 0}
    real = tuner.train_step

    def boom():
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return real()

    monkeypatch.setattr(tuner, "train_step", boom)
    with pytest.raises(RuntimeError):
        list(tuner.run())
    assert {p.name: sha256_file(p) for p in folder.iterdir()} == before


def test_resume_continues_the_step_count(shop):
    paths, photos = shop
    stop = {"now": False}
    first = _tuner(paths, photos, max_steps=5)
    for p in first.run(lambda: stop["now"]):
        if p.done == 3:
            stop["now"] = True
    assert first.step == 3 and first.model_folder is None
    second = _tuner(paths, photos, max_steps=5, resume=True)
    progress = list(second.run())
    assert progress[0].message_key == "finetune.resumed" and progress[0].args["step"] == 3
    assert [p.done for p in progress if p.message_key == "finetune.step"] == [4, 5]
    assert read_config(paths.user_models / "my-heels")["training"]["steps"] == 5


def test_presets_are_steps_so_a_slow_clock_gives_the_same_model(shop, monkeypatch):
    """Quick is a number of steps: the same photos, seed and preset give the same weights on a busy machine."""
    from app.engine import finetune_plan
    from app.engine.finetune_plan import Preset

    monkeypatch.setitem(finetune_plan.PRESETS, "quick", Preset("Quick", 6, 3))
    paths, photos = shop
    weights, etas = [], []
    for tick in (0.001, 50.0):  # an idle machine, then one where every step seems to take minutes
        clock = {"t": 0.0}

        def slow():
            clock["t"] += tick
            return clock["t"]

        tuner = _tuner(paths, photos, name=f"clock {tick}", preset="quick", seed=5)
        tuner.clock = slow
        progress = list(tuner.run())
        assert [p.done for p in progress if p.message_key == "finetune.step"] == [1, 2, 3, 4, 5, 6]
        assert progress[-1].message_key == "finetune.finished" and progress[-1].args["name"] == f"clock {tick}"
        weights.append(load_model(tuner.model_folder).generator.state_dict())
        etas.append(progress[-2].eta_s)
    assert weights[0].keys() == weights[1].keys()
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])
    assert finetune_plan.measured_speed(paths, "tiny") is not None  # the estimate is measured on this machine


def test_estimate_in_minutes_from_the_measured_step_time(tmp_path):
    from app.engine.finetune_plan import estimate_seconds, minutes, preset_estimate, remember_speed

    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "bundled")
    assert estimate_seconds(paths, "quick") is None and "two-core" in preset_estimate(paths, "quick")
    remember_speed(paths, "vitrine-base", 2.0)
    assert estimate_seconds(paths, "quick") == 240.0 and minutes(240.0) == 4
    assert preset_estimate(paths, "quick") == "Quick: 120 steps, about 4 min on this computer"


def test_blank_or_near_uniform_photos_are_refused_with_a_reason(tmp_path):
    Image.fromarray(np.full((60, 60, 3), 250, np.uint8)).save(tmp_path / "white.png")
    noisy = np.clip(np.full((60, 60, 3), 128.0) + np.random.default_rng(0).normal(0, 2, (60, 60, 3)), 0, 255)
    Image.fromarray(noisy.astype(np.uint8)).save(tmp_path / "grey-noise.png")
    _photo(tmp_path / "product.png", 1)
    res = import_photos([tmp_path])
    assert [p.path.name for p in res.photos] == ["product.png"]
    assert {r.path.name: r.code for r in res.rejected} == {"white.png": "blank", "grey-noise.png": "blank"}
    assert all("one colour" in r.reason for r in res.rejected)


def test_stop_and_keep_best_writes_a_model(shop):
    paths, photos = shop
    control = FinetuneControl()
    tuner = _tuner(paths, photos, max_steps=100)
    for p in tuner.run(control=control):
        if p.done == 2:
            control.stop_and_keep_best()
    assert p.message_key == "finetune.finished" and tuner.step == 2
    assert read_config(paths.user_models / "my-heels")["training"]["outcome"] == "stopped early, best kept"


def test_nan_step_is_recovered(shop, monkeypatch):
    paths, photos = shop
    tuner = _tuner(paths, photos, max_steps=3)
    real, calls = tuner.train_step, {"n": 0}

    def flaky():
        calls["n"] += 1
        m = real()
        return {**m, "loss_d": float("nan")} if calls["n"] == 2 else m

    monkeypatch.setattr(tuner, "train_step", flaky)
    progress = list(tuner.run())
    assert any(p.message_key == "finetune.nan_restored" for p in progress)
    assert progress[-1].message_key == "finetune.finished" and tuner.recoveries == 1


# ---- rename, delete, export/import -----------------------------------------------------------------
def test_models_rename_delete_export_import(shop, tmp_path):
    paths, photos = shop
    list(_tuner(paths, photos, max_steps=1).run())
    rename_model(paths, "My Heels", "Autumn Heels")
    reg = Registry(paths.bundled_models, paths.user_models)
    assert reg.find("Autumn Heels").id == "autumn-heels"
    with pytest.raises(ModelError):
        delete_model(paths, "tiny")  # bundled
    file = export_model_file(paths, "Autumn Heels", tmp_path / "out" / "heels")
    assert file.suffix == ".vitrine"
    with pytest.raises(ModelError, match="already"):
        import_model_file(paths, file)
    delete_model(paths, "Autumn Heels")
    assert [m.source for m in reg.list()] == ["bundled"]
    dest = import_model_file(paths, file)
    assert dest.name == "autumn-heels" and load_model(dest).generator is not None
    import_model_file(paths, file, name="Copy of heels")
    assert {m.name for m in reg.list()} == {"tiny", "Autumn Heels", "Copy of heels"}


def _rewrite(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    items = change(items)
    with zipfile.ZipFile(dst, "w") as z:
        for k, v in items.items():
            z.writestr(k, v)
    return dst


def test_tampered_or_hostile_files_are_refused(shop, tmp_path):
    paths, photos = shop
    file = export_model_file(paths, "tiny", tmp_path / "tiny.vitrine")

    def flip(items):
        b = bytearray(items["generator.safetensors"])
        b[-1] ^= 1
        return {**items, "generator.safetensors": bytes(b)}

    def slip(items):
        return {**items, "../evil.safetensors": b"x"}

    def version(items):
        cfg = json.loads(items["config.json"])
        cfg["format_version"] = 99
        return {**items, "config.json": json.dumps(cfg).encode()}

    def pickle_in(items):
        return {**items, "generator.pt": b"\x80\x04K\x01."}

    cases = {"flip": ("does not match its hash", flip), "slip": ("does not belong", slip),
             "version": ("changed after it was exported", version), "pickle": ("does not belong", pickle_in)}
    for name, (message, change) in cases.items():
        bad = _rewrite(file, tmp_path / f"{name}.vitrine", change)
        with pytest.raises(ModelError, match=message):
            import_model_file(paths, bad, name=f"x {name}")
    (tmp_path / "junk.vitrine").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a Vitrine model file"):
        import_model_file(paths, tmp_path / "junk.vitrine")
    assert not (tmp_path / "evil.safetensors").exists()
    assert Registry(paths.bundled_models, paths.user_models).list()[0].id == "tiny"
    assert len(Registry(paths.bundled_models, paths.user_models).list()) == 1


def test_the_judging_classifier_comes_from_the_bundled_models(shop, tmp_path):
    """Fine-tuning finds the attribute classifier among the bundled models (VITRINE_BUNDLED_MODELS), not at a path
    of its own: without one there, the base discriminator judges "best so far"."""
    paths, photos = shop
    tuner = _tuner(paths, photos)
    assert tuner._clf is not None and tuner._typer is tuner._clf  # no product judge bundled: the classifier reads types
    (paths.bundled_models / "product-judge").symlink_to(Path(__file__).resolve().parent.parent / "models" / "product-judge")
    tuner = _tuner(paths, photos)
    assert tuner._typer is not tuner._clf and tuner._typer.config["id"] == "product-judge"  # the look-blind reader
    make_tiny_model(tmp_path / "bare" / "tiny")
    bare = AppPaths.default(home=tmp_path / "home2", bundled=tmp_path / "bare")
    tuner = _tuner(bare, photos)
    assert tuner._clf is None and tuner._typer is None and tuner.judge_name == "base discriminator features"
