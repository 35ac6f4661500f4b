"""The one training checkpoint writer: everything a run needs to resume exactly, in safetensors, killed at any point
it leaves a usable checkpoint.

A checkpoint folder holds `state-<step>.safetensors` (weights, optimiser states, RNG states, named by the step) and
`state.json` (step, times, optimiser layouts, the request, the weights file's name and sha256). The weights go to a
new file first and state.json is replaced last, so a kill leaves a state.json whose weights file is complete; older
weights files are removed after. A recipe may add more files (fine-tuning: best.safetensors, finetune.json), written
the same way (temp file, fsync, rename, fsync of the folder).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from app.engine.checkpoints import sha256_file
from app.engine.files import atomic_save_tensors, atomic_write_json, fsync_file

STATE = "state.json"


def module_tensors(prefix: str, module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {f"{prefix}.{k}": v.detach().cpu().contiguous() for k, v in module.state_dict().items()}


def prefixed(prefix: str, tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The tensors under `prefix.`, without it (a module's state dict)."""
    return {k[len(prefix) + 1:]: v for k, v in tensors.items() if k.startswith(prefix + ".")}


def load_module(prefix: str, module: torch.nn.Module, tensors: dict[str, torch.Tensor]) -> None:
    module.load_state_dict(prefixed(prefix, tensors))


def optimizer_tensors(prefix: str, opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict]:
    """An optimiser's state as tensors (safetensors) plus its layout (JSON: param groups, state keys)."""
    sd = opt.state_dict()
    tensors, meta = {}, {"param_groups": sd["param_groups"], "state_keys": {}}
    for pid, state in sd["state"].items():
        meta["state_keys"][str(pid)] = list(state.keys())
        for k, v in state.items():
            tensors[f"{prefix}.{pid}.{k}"] = (v if torch.is_tensor(v) else torch.tensor(v)).detach().cpu().contiguous()
    return tensors, meta


def optimizer_state(prefix: str, tensors: dict, meta: dict) -> dict:
    """An optimiser's state dict back from optimizer_tensors' two halves."""
    state = {int(pid): {k: tensors[f"{prefix}.{pid}.{k}"] for k in keys} for pid, keys in meta["state_keys"].items()}
    return {"state": state, "param_groups": meta["param_groups"]}


def load_optimizer(prefix: str, opt: torch.optim.Optimizer, tensors: dict, meta: dict) -> None:
    opt.load_state_dict(optimizer_state(prefix, tensors, meta))


class Checkpointer:
    """Writes and reads one run's checkpoint folder (see the module docstring)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def exists(self) -> bool:
        return (self.folder / STATE).exists()

    def save(self, step: int, tensors: dict[str, torch.Tensor], meta: dict,
             extra_tensors: dict[str, dict[str, torch.Tensor]] | None = None,
             extra_json: dict[str, dict] | None = None) -> Path:
        """state-<step>.safetensors, then state.json naming it; then the recipe's extra files; old weights removed."""
        ckpt = self.folder
        ckpt.mkdir(parents=True, exist_ok=True)
        name = f"state-{step:09d}.safetensors"
        tmp = ckpt / f"{name}.partial"
        save_file(tensors, str(tmp))
        meta = {**meta, "sha256": sha256_file(tmp), "tensors": name}
        fsync_file(tmp)
        os.replace(tmp, ckpt / name)
        atomic_write_json(ckpt / STATE, meta)
        for old in list(ckpt.glob("state*.safetensors")) + list(ckpt.glob("*.partial")):
            if old.name != name:
                old.unlink(missing_ok=True)
        for file, t in (extra_tensors or {}).items():
            atomic_save_tensors(ckpt / file, t)
        for file, doc in (extra_json or {}).items():
            atomic_write_json(ckpt / file, doc)
        return ckpt

    def meta(self) -> dict:
        return json.loads((self.folder / STATE).read_text(encoding="utf-8"))

    def load(self) -> tuple[dict[str, torch.Tensor], dict]:
        """(tensors, meta) of the checkpoint; refuses weights that do not match the hash state.json recorded."""
        meta = self.meta()
        weights = self.folder / Path(str(meta.get("tensors", "state.safetensors"))).name  # older ones: a fixed name
        if not weights.is_file() or sha256_file(weights) != meta.get("sha256"):
            raise RuntimeError("the training checkpoint does not match its hash; refusing to resume from it")
        return load_file(str(weights)), meta

    def read_json(self, file: str) -> dict | None:
        path = self.folder / file
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def read_tensors(self, file: str) -> dict[str, torch.Tensor] | None:
        path = self.folder / file
        return load_file(str(path)) if path.exists() else None


def rng_tensors(data_gen: torch.Generator, device: torch.device) -> dict[str, torch.Tensor]:
    t = {"rng.torch": torch.get_rng_state(), "rng.data": data_gen.get_state()}
    if device.type == "cuda":
        t["rng.cuda"] = torch.cuda.get_rng_state(device)
    return t


def load_rng(tensors: dict[str, torch.Tensor], data_gen: torch.Generator, device: torch.device) -> None:
    torch.set_rng_state(tensors["rng.torch"])
    data_gen.set_state(tensors["rng.data"])
    if device.type == "cuda" and "rng.cuda" in tensors:
        torch.cuda.set_rng_state(tensors["rng.cuda"], device)


def gan_tensors(gan, data_gen: torch.Generator, device: torch.device) -> tuple[dict[str, torch.Tensor], dict]:
    """A GanStep's networks (G, D, G_ema), optimisers and the RNG states as tensors; the optimisers' layouts."""
    tensors, meta = {}, {}
    for name, module in gan.modules().items():
        tensors.update(module_tensors(name, module))
    for name, opt in gan.optimizers().items():
        t, meta[name] = optimizer_tensors(name, opt)
        tensors.update(t)
    tensors.update(rng_tensors(data_gen, device))
    return tensors, meta


def load_gan_tensors(gan, tensors: dict[str, torch.Tensor], meta: dict, data_gen: torch.Generator,
                     device: torch.device) -> None:
    for name, module in gan.modules().items():
        load_module(name, module, tensors)
    for name, opt in gan.optimizers().items():
        load_optimizer(name, opt, tensors, meta[name])
    load_rng(tensors, data_gen, device)
