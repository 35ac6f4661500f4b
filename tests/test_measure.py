"""Attribute classifier, evaluation metrics and latent directions on tiny data (fast, CPU)."""

from __future__ import annotations

import csv
import io
import json
import tarfile

import numpy as np
import pytest
import torch
from PIL import Image

from app.data.datasets import PhotoSet
from app.engine import evaluate as ev
from app.engine.classifier import (AttributeClassifier, AttributeNet, accuracy, load_classifier, master_index,
                                   train_classifier)
from app.engine.directions import (find_directions, find_supervised_directions, picture_measures, product_measures,
                                   slider_sheet, write_directions)
from app.engine.loading import load_model
from app.engine.registry import Registry
from app.engine.text import TextConditioner

try:
    from conftest import fake_embedder, make_tiny_model
except ImportError:
    from tests.conftest import fake_embedder, make_tiny_model


def _photos(n=24, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.stack([rng.integers(0, 44, n), rng.integers(0, 18, n), rng.integers(0, 5, n)], 1)
    labels[0, 1] = -1
    images = rng.integers(0, 256, (n, 64, 64, 3), dtype=np.uint8)
    return PhotoSet(images, labels, [f"t{i}" for i in range(n)], [f"{i}.jpg" for i in range(n)])


@pytest.fixture(scope="module")
def tiny_clf():
    p = _photos()
    torch.set_num_threads(1)
    return train_classifier(p.images, p.labels, epochs=1, batch=8, width=4, feat_dim=8, log=lambda s: None)


def test_classifier_saves_loads_and_is_not_a_picture_model(tmp_path, tiny_clf):
    p = _photos(8, seed=1)
    folder = tiny_clf.save(tmp_path / "models" / "attribute-classifier", card="# c\n")
    assert (folder / "classifier.safetensors").exists() and not (folder / "generator.safetensors").exists()
    again = load_classifier(folder)
    assert np.array_equal(again.predict(p.images), tiny_clf.predict(p.images))
    assert Registry(tmp_path / "models").list() == []  # the GAN registry ignores it


def test_accuracy_ignores_unknown_labels_and_derives_master():
    labels = np.array([[0, -1, 0], [2, 1, 1], [3, 1, 1]])
    pred = np.array([[0, 5, 0], [4, 1, 0], [3, 0, 1]])  # Tshirts ok; Casual→Sports shoes (same master); Watches ok
    acc = accuracy(pred, labels)
    assert acc["category"] == pytest.approx(2 / 3) and acc["colour"] == pytest.approx(0.5)
    assert acc["gender"] == pytest.approx(2 / 3) and acc["masterCategory"] == 1.0
    assert master_index(np.array([-1]))[0] == -1


def test_fid_kid_and_pairwise_behave():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((400, 8)), rng.standard_normal((400, 8))
    assert ev.fid(a, a) == pytest.approx(0, abs=1e-6)
    assert ev.fid(a, b) < ev.fid(a, b + 1.0)
    assert ev.fid(a, b + 1.0) == pytest.approx(8.0, rel=0.15)  # |mu shift|^2 = 8, same covariance
    assert abs(ev.kid(a, b, subsets=5, subset_size=100)[0]) < ev.kid(a, b + 1.0, subsets=5, subset_size=100)[0]
    assert ev.mean_pairwise(np.array([[0.0, 0], [3, 4]])) == pytest.approx(5.0)


def test_generate_is_seeded_and_truncation_pulls_together(tmp_path):
    model = load_model(make_tiny_model(tmp_path / "tiny"))
    c = np.tile(ev.condition_from_labels(np.array([[0, 0, 0]])), (6, 1))
    a = ev.generate(model, c, 6, seed=3, truncation=1.0)
    assert a.shape == (6, 64, 64, 3) and a.dtype == np.uint8
    assert np.array_equal(a, ev.generate(model, c, 6, seed=3, truncation=1.0))
    b = ev.generate(model, c, 6, seed=3, truncation=0.0)
    assert b.astype(int).std(0).mean() <= a.astype(int).std(0).mean()


def test_evaluate_model_end_to_end_tiny(tmp_path, tiny_clf):
    model = load_model(make_tiny_model(tmp_path / "tiny"))
    ref = ev.Reference(_photos(12, 2), _photos(12, 3))
    ext = {"classifier": ev.classifier_extractor(tiny_clf)}
    ev.prepare_reference(ref, ext, tiny_clf, log=lambda s: None)
    floor = ev.floor_metrics(ref)
    assert floor["classifier"]["fid"] >= 0
    r = ev.evaluate_model(model, ref, ext, tiny_clf, TextConditioner(embedder=fake_embedder), diversity_prompts=2,
                          per_prompt=3, log=lambda s: None, min_real=1)
    assert set(r["accuracy"]) == {"ceiling_real_val", "samples", "en", "zh"}
    assert 0 <= r["accuracy"]["zh"]["category"] <= 1 and r["distribution"]["classifier"]["fid"] >= 0
    # descriptions are real English / Chinese sentences and the lexicon reads them back
    assert all(v >= 0.6 for v in r["accuracy"]["en"]["text_understanding"].values())
    assert all(v >= 0.6 for v in r["accuracy"]["zh"]["text_understanding"].values())
    assert r["diversity"]["prompts"] and r["diversity"]["mean_ratio"] >= 0


def _tiny_dataset(root, n_train=10, n_val=6):
    root.mkdir()
    rng = np.random.default_rng(0)
    with tarfile.open(root / "images-000.tar", "w") as tar, open(root / "captions.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file_name", "shard", "split", "id", "gender", "masterCategory", "subCategory", "articleType",
                    "baseColour", "productDisplayName"])
        for i in range(n_train + n_val):
            buf = io.BytesIO()
            Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(buf, "JPEG")
            info = tarfile.TarInfo(f"{i}.jpg")
            info.size = len(buf.getvalue())
            tar.addfile(info, io.BytesIO(buf.getvalue()))
            w.writerow([f"{i}.jpg", "images-000.tar", "val" if i < n_val else "train", i, "Men", "Apparel", "Topwear",
                        "Tshirts", "Black", "Black tee"])
    return root


def test_evaluate_cli_writes_json(tmp_path, tiny_clf, capsys):
    from app.cli import main

    data = _tiny_dataset(tmp_path / "data")
    model = make_tiny_model(tmp_path / "tiny")
    clf = tiny_clf.save(tmp_path / "clf")
    out = tmp_path / "r.json"
    assert main(["evaluate", "--model", str(model), "--data", str(data), "--samples", "6", "--classifier", str(clf),
                 "--features", "classifier", "--no-text", "--out", str(out)]) == 0
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["samples"] == 6 and "classifier" in r["floor_real_train_vs_val"]
    assert r["models"]["tiny"]["distribution"]["classifier"]["x_floor"] > 0


def test_picture_measures_see_size_and_brightness():
    img = np.full((2, 64, 64, 3), 255, np.uint8)
    img[1, 16:48, 16:48] = (200, 30, 30)
    m = picture_measures(img)
    assert m["zoom"][0] == 0 and m["zoom"][1] == pytest.approx(0.25)
    assert m["brightness"][1] < m["brightness"][0] and m["colour warmth"][1] > 0


def test_directions_found_written_and_used(tmp_path, tiny_clf):
    folder = make_tiny_model(tmp_path / "tiny", directions=False)
    G = load_model(folder).generator
    found = find_directions(G, tiny_clf, n_w=256, components=4, keep=3, min_keep=2, probe=4, log=lambda s: None)
    assert 2 <= len(found) <= 3 and len({d.name for d in found}) == len(found)
    for d in found:
        assert d.sigma > 0 and d.label_zh and d.description.startswith("PC")
        assert float(d.vector.norm()) == pytest.approx(1.0, abs=1e-5)
    write_directions(folder, found)
    model = load_model(folder)  # hashes verified
    assert [d.name for d in model.directions] == [d.name for d in found]
    assert "discriminator.safetensors" in model.config["files"] and (folder / "MODEL_CARD.md").exists()
    cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert cfg["training"] == {"steps": 0} and cfg["directions"][0]["sigma"] > 0


def test_supervised_directions_fitted_orthogonal_written_and_used(tmp_path, tiny_clf):
    folder = make_tiny_model(tmp_path / "tiny", directions=False)
    before = load_model(folder).model_hash
    G = load_model(folder).generator
    with torch.no_grad():  # untrained modulations are zero (only layer 0 would react to w): give them a style
        torch.manual_seed(0)
        for m in G.modules():
            if hasattr(m, "affine"):
                m.affine.weight.normal_(0, 0.2)
    found, report = find_supervised_directions(G, tiny_clf, n_conditions=8, per_condition=4, probe=4,
                                               min_spearman=-1.0, max_flip=1.0, log=lambda s: None)
    rows = report["directions"]
    assert report["protected_type_directions"] > 0  # shape sliders keep clear of product-type directions
    assert [r["name"] for r in rows] == ["brightness", "size", "colour warmth", "colour strength", "position",
                                         "contrast", "detail"]
    measured = [r for r in rows if "why" not in r]  # a measure that never varies on the tiny model is skipped
    assert measured and all(r["sigma"] > 0 and 0 <= r["type_flip_at_2"] <= 1 and -1 <= r["spearman"] <= 1
                            for r in measured)
    kept = [r["name"] for r in rows if r["passed"]]
    assert [d.name for d in found] == kept and kept  # a slider is kept only when its measured effect rises
    v = torch.stack([d.vector for d in found])
    assert torch.allclose(v @ v.T, torch.eye(len(found)), atol=1e-5)  # Gram–Schmidt: orthonormal
    assert all(d.label_zh and d.description.startswith("Fitted") for d in found)
    sheet = slider_sheet(G, found, tmp_path / "sliders.png", pictures=1)
    assert Image.open(sheet).size == (2 * 7 * 64, 2 * 64 * len(found) + 2 * 4 * (len(found) - 1))
    write_directions(folder, found)
    model = load_model(folder)  # hashes verified; the generator (and so the model hash) is unchanged
    assert model.model_hash == before and [d.name for d in model.directions] == kept
    # per layer (the default): style sliders try late layer ranges, shape sliders early/middle ones
    L = G.num_layers
    for r in measured:
        tried = [tuple(t["layers"]) for t in r["layer_trials"]]
        assert tuple(r["layers"]) in tried
        if r["key"] in ("brightness", "warmth", "saturation", "contrast", "detail"):
            assert all(b == L and a >= 1 for a, b in tried)
        else:
            assert all(a == 0 and b < L for a, b in tried)
    assert [d.layers for d in model.directions] == [d.layers for d in found]
    assert all(d.layers is not None for d in found)
    cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert all(list(d.layers) == e["layers"] for d, e in zip(found, cfg["directions"]))


def test_layered_pca_directions_named_checked_and_written(tmp_path, tiny_clf):
    from app.engine.directions_pca import NAMED, find_layered_directions, layer_ranges

    folder = make_tiny_model(tmp_path / "tiny", directions=False)
    G = load_model(folder).generator
    with torch.no_grad():  # give the untrained modulations a style, so every layer reacts to w
        torch.manual_seed(0)
        for m in G.modules():
            if hasattr(m, "affine"):
                m.affine.weight.normal_(0, 0.2)
    found, report = find_layered_directions(G, tiny_clf, n_conditions=8, per_condition=4, components=4, probe=4,
                                            min_spearman=-1.0, min_effect=0.0, max_flip=1.0, keep=3,
                                            skip_names=("brightness",), log=lambda s: None)
    assert 1 <= len(found) <= 3
    names = [d.name for d in found]
    assert len(set(names)) == len(names) and "brightness" not in names  # each name once; skipped names stay out
    assert {d.name for d in found} <= {v[0] for v in NAMED.values()}
    assert all(d.layers in layer_ranges(G.num_layers) and d.sigma > 0 and d.description.startswith("PC") for d in found)
    kept = [r for r in report["checked"] if r["passed"]]
    assert [r["name"] for r in kept] == names and all(r["per_unit"] > 0 for r in kept)  # positive = more
    assert len({r["component"] for r in kept}) == len(kept)  # a component is used once
    write_directions(folder, found)
    model = load_model(folder)
    assert [d.layers for d in model.directions] == [d.layers for d in found]


def test_layered_pca_drops_sliders_that_fail_their_check(tmp_path):
    from app.engine.directions_pca import find_layered_directions

    G = load_model(make_tiny_model(tmp_path / "tiny", directions=False)).generator
    found, report = find_layered_directions(G, None, n_conditions=6, per_condition=3, components=3, probe=3,
                                            min_effect=1e9, log=lambda s: None)
    assert found == [] and report["checked"] and not any(r["passed"] for r in report["checked"])


def test_supervised_directions_on_all_layers_when_asked(tmp_path):
    folder = make_tiny_model(tmp_path / "tiny", directions=False)
    G = load_model(folder).generator
    found, report = find_supervised_directions(G, None, n_conditions=6, per_condition=4, probe=3, keys=("size",),
                                               per_layer=False, min_spearman=-1.0, max_flip=1.0, log=lambda s: None)
    assert all(d.layers is None for d in found) and report["directions"][0].get("layers") is None
    assert report["per_layer"] is False


def test_product_measures_read_the_product_not_the_background():
    im = np.full((2, 64, 64, 3), 255, np.uint8)
    im[0, 16:48, 0:16] = (200, 50, 50)   # small, reddish, left
    im[1, 8:56, 40:64] = (40, 40, 160)   # larger, bluish, dark, right
    m = product_measures(im)
    assert m["size"][1] > m["size"][0] and m["position"][1] > 0 > m["position"][0]
    assert m["warmth"][0] > 0 > m["warmth"][1] and m["brightness"][0] > m["brightness"][1]



def test_engine_loads_the_classifier_once_and_a_broken_one_is_skipped(tmp_path, tiny_clf, tiny_engine):
    p = _photos(8, seed=2)
    assert tiny_engine.classifier() is None  # no classifier folder given: inversion searches instead
    tiny_engine.classifier_dir = tiny_clf.save(tmp_path / "clf", card="# c\n")
    tiny_engine._classifier = None
    clf = tiny_engine.classifier()
    assert np.array_equal(clf.predict(p.images), tiny_clf.predict(p.images))
    assert tiny_engine.classifier() is clf
    weights = tiny_engine.classifier_dir / "classifier.safetensors"
    weights.write_bytes(weights.read_bytes()[:-64] + b"\0" * 64)  # tampered file
    tiny_engine._classifier = None
    assert tiny_engine.classifier() is None


def test_real_inception_features_are_cached_per_set_of_photos(tmp_path, tiny_clf):
    calls = []

    def extract(images):
        calls.append(len(images))
        return images.reshape(len(images), -1)[:, :16].astype(np.float64)

    def prepared(val_seed):
        ref = ev.Reference(_photos(12, val_seed), _photos(12, 3))
        ev.prepare_reference(ref, {"inception": extract}, tiny_clf, log=lambda s: None, cache=tmp_path / "cache")
        return ref

    first = prepared(2)
    assert calls == [12, 12]
    again = prepared(2)  # same photos: read back, not recomputed
    assert calls == [12, 12] and np.array_equal(again.feats["inception"]["val"], first.feats["inception"]["val"])
    other = _photos(12, 4)
    other.ids[:] = [f"other-{i}.jpg" for i in range(12)]
    ref = ev.Reference(other, _photos(12, 3))
    ev.prepare_reference(ref, {"inception": extract}, tiny_clf, log=lambda s: None, cache=tmp_path / "cache")
    assert calls == [12, 12, 12, 12]  # other photos: computed afresh
