"""Build networks from a config and load a model folder into memory (verified, never unpickled)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch

from app.engine import baseline, networks, vocab
from app.engine.checkpoints import ModelError, load_state, load_tensors, read_config
from app.engine.generators import style_layers


def build_networks(gan: dict) -> tuple[torch.nn.Module, torch.nn.Module, object]:
    """(generator, discriminator, config) for a `gan` config dict of any known architecture."""
    arch = gan.get("arch")
    if arch == networks.ARCH:
        cfg = networks.GanConfig.from_dict(gan)
        return networks.Generator(cfg), networks.build_discriminator(cfg), cfg
    if arch == baseline.ARCH:
        cfg = baseline.DcganConfig.from_dict(gan)
        return baseline.DcganGenerator(cfg), baseline.DcganDiscriminator(cfg), cfg
    raise ModelError(f"This Vitrine does not know the network type {arch!r}.")


@dataclass
class Direction:
    """A named latent direction (a slider): unit vector in w space and the spread of w along it."""

    name: str
    label_zh: str
    vector: torch.Tensor  # (w_dim,)
    sigma: float
    description: str = ""
    layers: tuple[int, int] | None = None  # synthesis layers it moves: (first, last + 1); None = all


def move_latent(w: torch.Tensor, moves, num_layers: int | None = None) -> torch.Tensor:
    """w + value·sigma·vector for each (Direction, value) in moves; w: (N, w_dim) or per layer (N, L, w_dim).

    A direction with `layers` moves only those synthesis layers, so a shared w becomes per-layer
    (N, num_layers, w_dim) when such a direction is used; without one, w keeps its shape (and its pixels).
    """
    moves = [(d, float(v)) for d, v in moves]
    if w.dim() == 2 and num_layers and any(d.layers is not None for d, _ in moves):
        w = w[:, None, :].expand(-1, num_layers, -1)
    for d, value in moves:
        step = value * d.sigma * d.vector
        if w.dim() == 3 and d.layers is not None:
            a, b = d.layers
            w = w.clone()
            w[:, a:b] = w[:, a:b] + step
        else:
            w = w + (step if w.dim() == 2 else step[None, None])
    return w


def _layers(meta: dict, num_layers: int | None, model: str) -> tuple[int, int] | None:
    value = meta.get("layers")
    if value is None:
        return None
    ok = (isinstance(value, (list, tuple)) and len(value) == 2 and all(type(x) is int for x in value)
          and 0 <= value[0] < value[1] and (num_layers is None or value[1] <= num_layers))
    if not ok:
        raise ModelError(f"The slider {meta.get('name')!r} of the model {model} names layers this network does not have.")
    return int(value[0]), int(value[1])


@dataclass
class LoadedModel:
    """A model ready to run: its generator in eval mode, its config and its named directions."""

    model_id: str
    folder: Path
    config: dict
    generator: torch.nn.Module
    model_hash: str
    directions: list[Direction] = field(default_factory=list)
    discriminator: torch.nn.Module | None = None

    @property
    def resolution(self) -> int:
        return int(self.config["gan"]["resolution"])

    @property
    def conditional(self) -> bool:
        return int(self.config["gan"].get("cond_dim", 0)) > 0

    @property
    def vocabulary(self) -> vocab.Vocabulary:
        """The product vocabulary this model is conditioned on (config `vocab_version`, absent = 1)."""
        return vocab.for_config(self.config, self.model_id)


def load_model(folder: Path, model_id: str | None = None, with_discriminator: bool = False,
               device: torch.device | str = "cpu") -> LoadedModel:
    """Load and verify a model folder. Raises ModelError with a merchant-readable sentence."""
    folder = Path(folder)
    config = read_config(folder)
    if not isinstance(config.get("gan"), dict):
        raise ModelError(f"The model {folder.name} does not describe its network.")
    voc = vocab.for_config(config, folder.name)  # an unknown or mismatched vocabulary is refused, never re-mapped
    G, D, _ = build_networks(config["gan"])
    G.vocab_version = voc.version  # the vocabulary its condition vector follows (directions, evaluation)
    load_state(G, load_tensors(folder, "generator", config), "generator")
    G.eval().requires_grad_(False).to(device)
    if with_discriminator:
        if "discriminator.safetensors" in config["files"]:
            load_state(D, load_tensors(folder, "discriminator", config), "discriminator")
            D.to(device)
        else:
            D = None
    directions = []
    if "directions.safetensors" in config["files"]:
        vectors = load_tensors(folder, "directions", config)
        for meta in config.get("directions", []):
            if meta.get("name") in vectors:
                directions.append(Direction(meta["name"], meta.get("label_zh", meta["name"]),
                                            vectors[meta["name"]].float().to(device), float(meta.get("sigma", 1.0)),
                                            meta.get("description", ""),
                                            _layers(meta, style_layers(G), folder.name)))
    return LoadedModel(model_id or config.get("id") or folder.name, folder, config, G,
                       config["files"]["generator.safetensors"][:12], directions,
                       D if with_discriminator else None)
