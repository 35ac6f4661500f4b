"""Start a run from a model made with another vocabulary or a slightly different network (weight transplant).

Training a generator from scratch costs many CPU-hours; a model made with vocabulary version 1 (44 product
types) already knows how to paint products. Its weights carry over to a version-2 network (66 types) column
by column of the condition vector: a product type that version 1 folded into another one ("Track Pants" was
read as trousers) starts from that type's column, so it starts as what version 1 painted for it; a value
with no counterpart starts at zero. Network changes that only add an input carry over exactly:
the minibatch-std channel of the discriminator's last convolution starts with zero weights (the network
computes what it computed before). Every other tensor with the same name and shape is copied as it is;
anything else keeps its fresh initialisation and is listed in the report.
"""

from __future__ import annotations

import torch

from app.engine.vocab import Vocabulary

__all__ = ["column_map", "transplant"]



def _is_condition(name: str) -> bool:
    """A tensor of a condition embedding (`embed`, also under spectral norm's parametrizations): its last
    dimension (Linear weight) or only dimension (spectral norm's v) runs over the condition vector."""
    parts = name.split(".")
    return "embed" in parts and parts[-1] in ("weight", "original", "_v", "weight_orig", "weight_v")


def column_map(old: Vocabulary, new: Vocabulary) -> list[int | None]:
    """For each column of `new`'s condition vector, the column of `old`'s that meant the same (None: none)."""
    mapping: list[int | None] = []
    offset = 0
    old_offsets = {}
    for attribute in old.attributes:
        old_offsets[attribute] = offset
        offset += len(old.attributes[attribute])
    for attribute in new.attributes:
        for key in new.keys(attribute):
            j = old.index_of(attribute, key) if attribute in old.attributes else None
            mapping.append(None if j is None else old_offsets[attribute] + j)
    return mapping


def _remap_columns(old: torch.Tensor, fresh: torch.Tensor, cols: list[int | None]) -> torch.Tensor:
    out = torch.zeros_like(fresh)
    for i, j in enumerate(cols):
        if j is not None:
            out[..., i] = old[..., j]
    return out


def _pad_inputs(old: torch.Tensor, fresh: torch.Tensor) -> torch.Tensor | None:
    """An input-channel-extended tensor: old weights first, zeros for the new channels (None if not that case)."""
    if old.dim() == 4 and fresh.dim() == 4 and old.shape[0] == fresh.shape[0] and old.shape[2:] == fresh.shape[2:] \
            and old.shape[1] < fresh.shape[1]:
        out = torch.zeros_like(fresh)
        out[:, : old.shape[1]] = old
        return out
    if old.dim() == 1 and fresh.dim() == 1 and old.shape[0] < fresh.shape[0]:  # spectral norm's v of that conv
        out = torch.zeros_like(fresh)
        out[: old.shape[0]] = old
        return out
    return None


def transplant(module: torch.nn.Module, old_state: dict[str, torch.Tensor], cols: list[int | None],
               prefixes: tuple[str, ...] = ("",)) -> dict[str, list[str]]:
    """Load `old_state` into `module` as far as it fits; returns {"copied", "remapped", "padded", "fresh"} names.

    `prefixes`: where an old tensor may sit under another name (a pixel discriminator inside a combined one
    is "pixel.<name>"). `cols` is `column_map(old_vocab, new_vocab)`.
    """
    state = module.state_dict()
    report: dict[str, list[str]] = {"copied": [], "remapped": [], "padded": [], "fresh": []}
    for name, fresh in state.items():
        old = next((old_state[name[len(p):]] for p in prefixes if name.startswith(p) and name[len(p):] in old_state),
                   None)
        if old is None:
            report["fresh"].append(name)
            continue
        if _is_condition(name) and fresh.shape[-1] == len(cols) and old.shape[:-1] == fresh.shape[:-1] \
                and not (old.shape == fresh.shape and cols == list(range(len(cols)))):
            state[name] = _remap_columns(old, fresh, cols)
            report["remapped"].append(name)
        elif old.shape == fresh.shape:
            state[name] = old.to(fresh.dtype)
            report["copied"].append(name)
        elif (padded := _pad_inputs(old, fresh)) is not None:
            state[name] = padded
            report["padded"].append(name)
        else:
            report["fresh"].append(name)
    module.load_state_dict(state)
    return report


@torch.no_grad()
def fold_condition_norm(G: torch.nn.Module, conditions: torch.Tensor) -> float:
    """Switching on `cond_norm` (the embedding scaled to unit RMS before it meets z) changes what the mapping
    sees; scale the mapping's first layer by the embedding's mean RMS over `conditions` so the transplanted
    generator starts out painting (nearly) what it painted before. Returns that scale."""
    scale = G.embed(conditions).pow(2).mean(dim=1).sqrt().mean().item()
    first = G.mapping_net[0]
    first.weight[:, G.cfg.z_dim:] *= scale
    return scale
