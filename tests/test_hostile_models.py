"""Hostile model files: pickles in disguise, renamed zips, wrong shapes, bad hashes, unknown formats and
`.vitrine` files that try to escape or smuggle a pickle → refused with a clear reason, nothing executes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from app.engine import shop_models
from app.engine.checkpoints import CONFIG, ModelError, sha256_file
from app.engine.loading import load_model
from app.engine.registry import Registry
from app.paths import AppPaths
from tests.conftest import make_tiny_model


class _Payload:
    """Unpickling this creates the marker file: if the marker exists, untrusted code ran."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _rewrite_config(folder: Path, **changes) -> None:
    cfg = json.loads((folder / CONFIG).read_text())
    for k, v in changes.items():
        if isinstance(v, dict) and isinstance(cfg.get(k), dict):
            cfg[k].update(v)
        else:
            cfg[k] = v
    (folder / CONFIG).write_text(json.dumps(cfg))


def _rehash(folder: Path) -> None:
    cfg = json.loads((folder / CONFIG).read_text())
    cfg["files"] = {n: sha256_file(folder / n) for n in cfg["files"]}
    (folder / CONFIG).write_text(json.dumps(cfg))


@pytest.fixture
def model(tmp_path) -> Path:
    return make_tiny_model(tmp_path / "m")


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "PWNED"


def _pickle_bytes(marker: Path, zip_format: bool) -> bytes:
    buf = io.BytesIO()
    torch.save({"w": _Payload(marker)}, buf, _use_new_zipfile_serialization=zip_format)
    return buf.getvalue()


@pytest.mark.parametrize("zip_format", [True, False], ids=["torch-zip", "legacy-pickle"])
def test_a_pickle_renamed_safetensors_is_refused_and_never_unpickled(model, marker, zip_format):
    (model / "generator.safetensors").write_bytes(_pickle_bytes(marker, zip_format))
    _rehash(model)  # even with a matching hash (an attacker controls config.json too)
    with pytest.raises(ModelError, match="unreadable generator.safetensors"):
        load_model(model)
    assert not marker.exists()


def test_a_renamed_zip_is_refused(model):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", b"\x80\x04K\x01.")
    (model / "generator.safetensors").write_bytes(buf.getvalue())
    _rehash(model)
    with pytest.raises(ModelError, match="unreadable"):
        load_model(model)


def test_wrong_shapes_are_refused(model):
    from safetensors.torch import load_file

    state = load_file(str(model / "generator.safetensors"))
    name = next(iter(state))
    state[name] = torch.zeros(*[s + 1 for s in state[name].shape]) if state[name].dim() else torch.zeros(3)
    save_file(state, str(model / "generator.safetensors"))
    _rehash(model)
    with pytest.raises(ModelError, match="do not fit this network"):
        load_model(model)


def test_a_mismatched_hash_is_refused(model):
    data = bytearray((model / "generator.safetensors").read_bytes())
    data[-1] ^= 1
    (model / "generator.safetensors").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="changed after it was saved"):
        load_model(model)


@pytest.mark.parametrize("changes,match", [
    ({"format_version": 99}, "format version 99"),
    ({"format_version": "1"}, "format version 1"),
    ({"gan": {"arch": "transformer-9000"}}, "network type 'transformer-9000'"),
    ({"gan": "not a dict"}, "does not describe its network"),
    ({"files": ["generator.safetensors"]}, "does not list its generator"),
])
def test_unknown_formats_and_architectures_are_refused(model, changes, match):
    _rewrite_config(model, **changes)
    with pytest.raises(ModelError, match=match):
        load_model(model)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"{" * 50_000])
def test_a_damaged_config_is_refused(model, content):
    (model / CONFIG).write_bytes(content)
    with pytest.raises(ModelError):
        load_model(model)
    assert Registry(model.parent).list() == []  # the picker just does not list it


# ---- .vitrine import ---------------------------------------------------------------------------------
@pytest.fixture
def paths(tmp_path) -> AppPaths:
    bundled = tmp_path / "bundled"
    make_tiny_model(bundled / "base", model_id="base")
    p = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "cache", bundled)
    p.user_models.mkdir(parents=True)
    return p


def _vitrine_file(tmp_path: Path, model: Path, extra: dict[str, bytes] | None = None,
                  replace: dict[str, bytes] | None = None, name: str = "evil.vitrine") -> Path:
    """A .vitrine file built from a real model folder, with members added or replaced (hashes kept honest
    where the attacker could make them so)."""
    files = {p.name: p.read_bytes() for p in model.iterdir() if p.is_file()}
    files.update(replace or {})
    cfg = json.loads(files[CONFIG])
    import hashlib
    cfg["files"] = {n: hashlib.sha256(files[n]).hexdigest() for n in cfg["files"] if n in files}
    files[CONFIG] = json.dumps(cfg).encode()
    manifest = {"export_format": 1, "id": "evil", "name": "evil", "config_sha256": hashlib.sha256(files[CONFIG]).hexdigest()}
    out = tmp_path / name
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(shop_models.MANIFEST, json.dumps(manifest))
        for n, data in {**files, **(extra or {})}.items():
            z.writestr(n, data)
    return out


def _nothing_installed(paths: AppPaths, tmp_path: Path) -> None:
    assert [p.name for p in paths.user_models.iterdir()] == []  # staging folder cleaned up too
    assert not (tmp_path / "escaped.txt").exists()
    assert not (paths.data / "escaped.txt").exists()


@pytest.mark.parametrize("member", ["../escaped.txt", "../../escaped.txt", "/tmp/escaped.txt", "sub/config.json",
                                    "..\\escaped.txt", "generator.pkl", "evil.py", ".hidden.safetensors"])
def test_vitrine_import_refuses_paths_and_foreign_files(paths, tmp_path, model, member):
    f = _vitrine_file(tmp_path, model, extra={member: b"escaped"})
    with pytest.raises(ModelError, match="does not belong in a model|outside|refusing"):
        shop_models.import_model_file(paths, f)
    _nothing_installed(paths, tmp_path)


def test_vitrine_import_refuses_a_pickle_disguised_as_weights(paths, tmp_path, model, marker):
    f = _vitrine_file(tmp_path, model, replace={"generator.safetensors": _pickle_bytes(marker, True)})
    with pytest.raises(ModelError, match="unreadable generator.safetensors"):
        shop_models.import_model_file(paths, f)
    assert not marker.exists()
    _nothing_installed(paths, tmp_path)


@pytest.mark.parametrize("bad", ["format", "arch", "unlisted", "hash", "not-zip", "manifest"])
def test_vitrine_import_refuses_other_damage(paths, tmp_path, model, bad):
    if bad == "not-zip":
        f = tmp_path / "x.vitrine"
        f.write_bytes(b"PK\x03\x04 this is not really a zip")
        match = "not a Vitrine model file"
    elif bad == "manifest":
        f = _vitrine_file(tmp_path, model)
        with zipfile.ZipFile(f) as z:
            members = {i.filename: z.read(i) for i in z.infolist()}
        members[shop_models.MANIFEST] = b'{"export_format": 42}'
        with zipfile.ZipFile(f, "w") as z:
            for n, d in members.items():
                z.writestr(n, d)
        match = "export format 42"
    else:
        cfg = json.loads((model / CONFIG).read_text())
        extra = None
        if bad == "format":
            cfg["format_version"] = 7
            match = "format version 7"
        elif bad == "arch":
            cfg["gan"]["arch"] = "unknown-net"
            match = "network type 'unknown-net'"
        elif bad == "unlisted":
            extra = {"classifier.safetensors": (model / "generator.safetensors").read_bytes()}
            match = "does not list"
        else:
            match = "does not match its hash"
        f = _vitrine_file(tmp_path, model, extra=extra, replace={CONFIG: json.dumps(cfg).encode()})
        if bad == "hash":  # break a weight file after the hashes were computed
            with zipfile.ZipFile(f) as z:
                members = {i.filename: z.read(i) for i in z.infolist()}
            g = bytearray(members["generator.safetensors"])
            g[-1] ^= 1
            members["generator.safetensors"] = bytes(g)
            with zipfile.ZipFile(f, "w") as z:
                for n, d in members.items():
                    z.writestr(n, d)
    with pytest.raises(ModelError, match=match):
        shop_models.import_model_file(paths, f)
    _nothing_installed(paths, tmp_path)


def test_an_honest_vitrine_file_still_imports(paths, tmp_path, model):
    f = _vitrine_file(tmp_path, model, name="good.vitrine")
    dest = shop_models.import_model_file(paths, f, name="Shop shoes")
    assert load_model(dest).model_id == "shop-shoes"
