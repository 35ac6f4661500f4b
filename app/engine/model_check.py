"""The one validator of picture-model folders, used by load, list, export and import.

A config.json is checked against a schema with types and sane bounds before anything is built from it:
network sizes (so a hostile `resolution: 1e9` never reaches an allocation), file names confined to the
folder (flat `name.safetensors`, never `../`), sha256 digests, sliders, the product vocabulary and the
format version. Every refusal is a ModelError whose `reason` is a short phrase for the model list.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from app.engine import baseline, networks, vocab
from app.engine.checkpoints import SUPPORTED_FORMATS, ModelError, sha256_file

FILE_NAME = re.compile(r"^[a-z_]{1,64}\.safetensors$")
DIGEST = re.compile(r"^[0-9a-f]{64}$")
MAX_RESOLUTION = 1024
MAX_WIDTH = 2048  # channels of any layer, z_dim, w_dim, cond_embed
MAX_MAPPING_LAYERS = 16
MAX_PARAMETERS = 200_000_000  # ~800 MB of float32 weights: far above any Vitrine model, far below a crash
MAX_DIRECTIONS = 64
MAX_SIGMA = 1000.0
MAX_NAME = 200


def refuse(folder_name: str, sentence: str, reason: str) -> ModelError:
    """A ModelError for the merchant (`sentence`) that carries its short `reason` for the model list."""
    e = ModelError(sentence.replace("{model}", folder_name, 1))  # not format(): the sentence may quote hostile braces
    e.reason = reason
    return e


def _int(gan: dict, key: str, low: int, high: int, default: int | None = None) -> int:
    value = gan.get(key, default)
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"{key} must be a whole number from {low} to {high}, not {value!r}"[:120])
    return value


def _channels(gan: dict, key: str, levels: int) -> tuple[int, ...]:
    value = gan.get(key)
    if not isinstance(value, list) or len(value) != levels or \
            not all(type(c) is int and 1 <= c <= MAX_WIDTH for c in value):
        raise ValueError(f"{key} must list {levels} widths from 1 to {MAX_WIDTH}")
    return tuple(value)


def _modres_parameters(gan: dict) -> int:
    """About how many weights a vitrine-modres network of these sizes has (generator + discriminator)."""
    g, d, w = gan["g_channels"], gan["d_channels"], gan["w_dim"]
    n = gan["cond_dim"] * gan["cond_embed"] + (gan["z_dim"] + gan["cond_embed"]) * w
    n += (gan["mapping_layers"] - 1) * w * w + w * g[0] * 16
    n += sum(10 * a * b + 9 * b * b + 4 * (a + b) * w for a, b in zip(g[:-1], g[1:]))
    n += sum(9 * a * b + 9 * b * b + a * b for a, b in zip(d[:-1], d[1:])) + gan["cond_dim"] * d[-1]
    return n


def check_gan(gan) -> None:
    """Raise ValueError (a short English explanation) unless `gan` describes a network this Vitrine can build."""
    if not isinstance(gan, dict):
        raise TypeError("it does not describe its network")
    arch = gan.get("arch")
    if arch == baseline.ARCH:
        _int(gan, "resolution", 64, 64, 64)
        _int(gan, "z_dim", 1, MAX_WIDTH, 100)
        _int(gan, "cond_dim", 0, 0, 0)
        return
    if arch != networks.ARCH:
        raise LookupError(arch)
    res = _int(gan, "resolution", 8, MAX_RESOLUTION)
    levels = int(math.log2(res // 4)) + 1
    if res != 4 * 2 ** (levels - 1):
        raise ValueError(f"resolution {res} is not 4·2^k")
    for key in ("z_dim", "w_dim", "cond_embed"):
        _int(gan, key, 1, MAX_WIDTH)
    _int(gan, "cond_dim", 0, MAX_WIDTH)
    _int(gan, "mapping_layers", 1, MAX_MAPPING_LAYERS)
    _channels(gan, "g_channels", levels)
    _channels(gan, "d_channels", levels)
    if "mbstd_group" in gan:
        _int(gan, "mbstd_group", 0, 256)
    if not isinstance(gan.get("cond_norm", False), bool) or \
            not all(isinstance(gan.get(k, ""), str) and len(gan.get(k, "")) <= 40 for k in ("disc", "proj_backbone")):
        raise ValueError("a network switch has the wrong type")
    if _modres_parameters(gan) > MAX_PARAMETERS:
        raise ValueError(f"the network would have more than {MAX_PARAMETERS:,} weights")


def _check_files(files, name: str) -> None:
    if not isinstance(files, dict):
        raise refuse(name, "The model {model} does not list its generator weights.", "it lists its files wrongly")
    for fname, digest in files.items():
        if not isinstance(fname, str) or not FILE_NAME.match(fname):
            raise refuse(name, f"The model {{model}} names a file outside its folder ({str(fname)[:80]!r}).",
                         "it names a file outside its folder")
        if not isinstance(digest, str) or not DIGEST.match(digest):
            raise refuse(name, f"The model {{model}} lists {fname} without a valid hash.", "it lists its files wrongly")
    if "generator.safetensors" not in files:
        raise refuse(name, "The model {model} does not list its generator weights.",
                     "it does not list its generator weights")


def _check_directions(directions, name: str) -> None:
    ok = isinstance(directions, list) and len(directions) <= MAX_DIRECTIONS
    for d in directions if ok else ():
        sigma = d.get("sigma", 1.0) if isinstance(d, dict) else None
        ok = ok and isinstance(d, dict) and isinstance(d.get("name"), str) and 0 < len(d["name"]) <= MAX_NAME \
            and isinstance(d.get("label_zh", ""), str) and isinstance(d.get("description", ""), str) \
            and type(sigma) in (int, float) and math.isfinite(sigma) and 0 < sigma <= MAX_SIGMA
    if not ok:
        raise refuse(name, "The model {model} describes its sliders wrongly.", "its sliders are described wrongly")


def _vocabulary_fits(voc, cond: int) -> bool:
    """A recorded vocabulary names only attributes this Vitrine reads, and the condition is exactly its size."""
    if voc is None:  # nothing recorded: the condition must have the size of a vocabulary this Vitrine knows
        sizes = {v.condition_size() for v in getattr(vocab, "VERSIONS", {}).values()} | {vocab.condition_size()}
        return cond in {0} | sizes
    return (isinstance(voc, dict) and set(voc) == set(vocab.ATTRIBUTES)
            and all(isinstance(v, list) and 0 < len(v) <= 1000 and all(isinstance(k, str) and len(k) <= MAX_NAME for k in v)
                    for v in voc.values())
            and cond in (0, sum(len(v) for v in voc.values())))


def _check_vocabulary(config: dict, name: str) -> None:
    for_config = getattr(vocab, "for_config", None)  # versioned vocabularies: the version the model names
    if for_config is not None and ("vocab_version" in config or "vocabulary" in config):
        try:
            for_config(config, name)
        except ModelError as e:
            raise refuse(name, str(e), "it was made for another vocabulary of products and colours") from None
        return
    if not _vocabulary_fits(config.get("vocabulary"), config["gan"].get("cond_dim", 0)):
        raise refuse(name, "The model {model} was made for another vocabulary of products and colours.",
                     "it was made for another vocabulary of products and colours")


def check_config(config, name: str) -> dict:
    """Check a picture model's config.json (already parsed); returns it or raises ModelError with `reason`."""
    if not isinstance(config, dict):
        raise refuse(name, "The model {model} has a damaged config.json.", "its config.json is damaged")
    if type(config.get("format_version")) is not int or config["format_version"] not in SUPPORTED_FORMATS:
        version = config.get("format_version")
        raise refuse(name, f"The model {{model}} uses format version {str(version)[:20]}, which this Vitrine cannot read.",
                     "it uses a format version this Vitrine cannot read")
    _check_files(config.get("files"), name)
    for key in ("id", "name"):
        if key in config and not (isinstance(config[key], str) and len(config[key]) <= MAX_NAME):
            raise refuse(name, "The model {model} has a name that is not valid.", "its name is not valid")
    try:
        check_gan(config.get("gan"))
    except TypeError:
        raise refuse(name, "The model {model} does not describe its network.", "it does not describe its network") from None
    except LookupError as e:
        raise refuse(name, f"This Vitrine does not know the network type {str(e.args[0])[:60]!r}.",
                     "its network type is unknown") from None
    except ValueError as e:
        raise refuse(name, f"The model {{model}} has impossible network sizes ({e}).",
                     "its network sizes are impossible") from None
    _check_vocabulary(config, name)
    _check_directions(config.get("directions", []), name)
    return config


def check_folder(folder: Path, config: dict, verify: bool = False) -> dict:
    """Every listed file present (and, with `verify`, matching its sha256) inside `folder`; returns config."""
    folder = Path(folder)
    for fname, digest in config["files"].items():
        path = folder / fname
        if not path.is_file() or path.resolve().parent != folder.resolve():
            raise refuse(folder.name, f"The model {{model}} is missing {fname}.", "a weight file is missing")
        if verify and sha256_file(path) != digest:
            raise refuse(folder.name, f"The model {{model}} was changed after it was saved ({fname} does not match "
                         "its hash).", "a weight file does not match its hash")
    return config
