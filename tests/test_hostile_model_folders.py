"""Model folders, round two: one validator for load, list, export and import. A damaged model is listed as
damaged with its reason and how to remove it, never hidden, never crashing the others; absurd network sizes
are refused before any allocation; a config cannot make export pack a file from outside the folder."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.engine import model_check, shop_models
from app.engine.checkpoints import CONFIG, ModelError, read_config, sha256_file
from app.engine.registry import Registry
from app.paths import AppPaths
from tests.conftest import make_tiny_model


def _edit(folder: Path, **changes) -> None:
    cfg = json.loads((folder / CONFIG).read_text())
    for k, v in changes.items():
        if isinstance(v, dict) and isinstance(cfg.get(k), dict):
            cfg[k].update(v)
        else:
            cfg[k] = v
    (folder / CONFIG).write_text(json.dumps(cfg))


@pytest.fixture
def paths(tmp_path) -> AppPaths:
    bundled = tmp_path / "bundled"
    make_tiny_model(bundled / "base", model_id="base")
    p = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "cache", bundled)
    make_tiny_model(p.user_models / "good", model_id="good")
    make_tiny_model(p.user_models / "bad", model_id="bad")
    return p


BAD_CONFIGS = [
    ({"gan": "x"}, "it does not describe its network"),
    ({"gan": {"resolution": 10 ** 9}}, "its network sizes are impossible"),
    ({"gan": {"resolution": 1e9}}, "its network sizes are impossible"),
    ({"gan": {"g_channels": [10 ** 7, 32, 16, 16, 8]}}, "its network sizes are impossible"),
    ({"gan": {"z_dim": 10 ** 12}}, "its network sizes are impossible"),
    ({"gan": {"w_dim": 2048, "mapping_layers": 16, "g_channels": [2048] * 5, "d_channels": [2048] * 5}},
     "its network sizes are impossible"),  # each number allowed, the whole far too big
    ({"gan": {"mapping_layers": True}}, "its network sizes are impossible"),
    ({"gan": {"arch": "transformer-9000"}}, "its network type is unknown"),
    ({"format_version": 2}, "it uses a format version this Vitrine cannot read"),
    ({"files": {"../../../etc/hostname": "0" * 64, "generator.safetensors": "0" * 64}},
     "it names a file outside its folder"),
    ({"files": {"/etc/hostname": "0" * 64}}, "it names a file outside its folder"),
    ({"files": "generator.safetensors"}, "it lists its files wrongly"),
    ({"directions": [{"name": "x", "sigma": float("nan")}]}, "its sliders are described wrongly"),
    ({"directions": [{"name": 5}]}, "its sliders are described wrongly"),
    ({"vocabulary": {"category": ["Tshirts"], "colour": ["Red"], "gender": ["Men"]}},
     "it was made for another vocabulary of products and colours"),
    ({"gan": {"cond_dim": 3}}, "it was made for another vocabulary of products and colours"),
    ({"name": ["not", "a", "name"]}, "its name is not valid"),
]


@pytest.mark.parametrize("changes,reason", BAD_CONFIGS)
def test_a_damaged_model_is_listed_with_its_reason_and_the_others_still_work(paths, changes, reason):
    _edit(paths.user_models / "bad", **changes)
    reg = Registry(paths.bundled_models, paths.user_models)
    t0 = time.perf_counter()
    everything = {m.id: m for m in reg.list_all()}
    assert time.perf_counter() - t0 < 5  # refused from the numbers, nothing allocated
    assert everything["bad"].damaged == reason
    assert "vitrine models --delete bad" in everything["bad"].message
    assert {m.id for m in reg.list()} == {"base", "good"}
    with pytest.raises(ModelError, match="is damaged") as e:
        reg.find("bad")  # not "there is no model called"
    assert e.value.reason == reason
    assert reg.find("good").id == "good"


def test_models_cli_lists_damaged_models_and_removes_them(paths, monkeypatch, capsys):
    monkeypatch.setenv("VITRINE_HOME", str(paths.data.parent))
    monkeypatch.setenv("VITRINE_BUNDLED_MODELS", str(paths.bundled_models))
    monkeypatch.setenv("VITRINE_LANG", "en")
    _edit(paths.user_models / "bad", gan="x")
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "good" in out and "base" in out
    assert "DAMAGED" in out and "it does not describe its network" in out and "--delete bad" in out
    assert main(["models", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["bad"]["damaged"] and rows["bad"]["remove"] == "vitrine models --delete bad" and not rows["good"]["damaged"]
    assert main(["generate", "red heels", "--model", "bad", "--out", str(paths.data / "o")]) == 2
    assert "is damaged" in capsys.readouterr().err
    assert main(["models", "--delete", "bad"]) == 0
    assert not (paths.user_models / "bad").exists()


def test_damaged_reasons_and_sentences_in_chinese(paths, monkeypatch):
    monkeypatch.setenv("VITRINE_LANG", "zh")
    _edit(paths.user_models / "bad", gan="x")
    m = {x.id: x for x in Registry(paths.bundled_models, paths.user_models).list_all()}["bad"]
    assert "已损坏" in m.message and "它没有描述自己的网络" in m.message


def test_a_changed_weight_file_shows_as_damaged_when_verified(paths):
    f = paths.user_models / "bad" / "generator.safetensors"
    data = bytearray(f.read_bytes())
    data[-1] ^= 1
    f.write_bytes(bytes(data))
    reg = Registry(paths.bundled_models, paths.user_models)
    verified = {m.id: m for m in reg.list_all(verify=True)}
    assert verified["bad"].damaged == "a weight file does not match its hash"


def test_export_never_packs_a_file_from_outside_the_folder(paths, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    folder = paths.user_models / "bad"
    cfg = json.loads((folder / CONFIG).read_text())
    cfg["files"]["../../secret.txt"] = sha256_file(secret)  # with its honest hash
    (folder / CONFIG).write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="damaged|outside its folder"):
        shop_models.export_model_file(paths, "bad", tmp_path / "out.vitrine")
    assert not (tmp_path / "out.vitrine").exists()


def test_a_vitrine_file_whose_listing_lies_is_refused_cleanly(paths, tmp_path):
    out = shop_models.export_model_file(paths, "good", tmp_path / "good.vitrine")
    data = bytearray(out.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("generator.safetensors")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 100] ^= 0xFF  # the bytes change, the CRC-32 in the listing does not
    bad = tmp_path / "lying.vitrine"
    bad.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged"):
        shop_models.import_model_file(paths, bad, name="lying")
    assert not (paths.user_models / "lying").exists()
    assert not [p for p in paths.user_models.iterdir() if p.name.startswith(".")]


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                     lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
                     max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["gan", "files", "directions", "vocabulary", "format_version", "id", "name"]),
       value=_json, gan_key=st.sampled_from(["resolution", "z_dim", "w_dim", "cond_dim", "cond_embed",
                                              "mapping_layers", "g_channels", "d_channels", "arch"]))
def test_any_config_value_is_accepted_or_refused_with_a_reason_never_a_crash(tmp_path_factory, key, value, gan_key):
    folder = make_tiny_model(tmp_path_factory.mktemp("m") / "m")
    cfg = json.loads((folder / CONFIG).read_text())
    if key == "gan":
        cfg["gan"][gan_key] = value
    else:
        cfg[key] = value
    try:
        model_check.check_config(cfg, "m")
    except ModelError as e:
        assert e.reason and str(e)
    (folder / CONFIG).write_text(json.dumps(cfg))
    listed = Registry(folder.parent).list_all()
    assert [m.id for m in listed] == ["m"]  # listed, usable or damaged, never hidden
    if not listed[0].damaged:
        read_config(folder)


def test_a_fine_tune_that_never_beats_its_base_saves_no_copy_of_it(tmp_path, monkeypatch):
    import numpy as np
    from PIL import Image

    from app.data.photo_import import import_photos
    from app.engine.finetune import FinetuneRequest, Finetuner
    from app.engine.text import TextConditioner
    from tests.conftest import fake_embedder

    make_tiny_model(tmp_path / "bundled" / "tiny")
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "bundled")
    photos = tmp_path / "photos"
    photos.mkdir()
    for i in range(4):
        Image.fromarray(np.random.default_rng(i).integers(0, 255, (60, 80, 3), dtype=np.uint8)).save(photos / f"red-heels-{i}.png")
    monkeypatch.setattr(Finetuner, "distance", lambda self: 1.0)  # never closer than the base
    req = FinetuneRequest((str(photos),), "Copy", base="tiny", batch=2, eval_every=1, eval_samples=4, max_steps=2)
    tuner = Finetuner(req, paths, import_photos([photos]).photos, TextConditioner(embedder=fake_embedder))
    with pytest.raises(ModelError, match="not yet closer to your photos than tiny"):
        list(tuner.run())
    assert not (paths.user_models / "copy").exists()


def test_a_huge_config_is_refused_without_reading_it(paths):
    cfg = json.loads((paths.user_models / "bad" / CONFIG).read_text())
    cfg["padding"] = "x" * (17 << 20)
    (paths.user_models / "bad" / CONFIG).write_text(json.dumps(cfg))
    m = {x.id: x for x in Registry(paths.bundled_models, paths.user_models).list_all()}["bad"]
    assert m.damaged == "its config.json is damaged"


@pytest.mark.parametrize("lang,words", [("en", "The disk is full"), ("zh", "磁盘已满")])
def test_a_full_disk_while_saving_is_named_as_such(tmp_path, monkeypatch, lang, words):
    from safetensors import SafetensorError

    from app.engine import checkpoints

    def full(*a, **k):
        raise SafetensorError('Error while serializing: IoError(Os { code: 28, kind: StorageFull, '
                              'message: "No space left on device" })')

    monkeypatch.setenv("VITRINE_LANG", lang)
    monkeypatch.setattr(checkpoints, "save_file", full)
    with pytest.raises(ModelError, match=words):
        make_tiny_model(tmp_path / "models" / "shop")
    assert list((tmp_path / "models").iterdir()) == []  # no .partial left behind
