"""The models Vitrine can use: bundled ones (models/) and the merchant's own (user data folder).

A folder that fails the validator (app.engine.model_check) is never hidden: `list_all` reports it as
damaged with its reason, `find` names it as damaged, and one damaged folder never stops the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.engine.checkpoints import CONFIG, ModelError, read_config, recover_model_dir
from app.engine.messages import reason as say_reason, say

DEFAULT_MODEL = "vitrine-base"


@dataclass(frozen=True)
class ModelInfo:
    """What the model picker and `python -m app models` show about one model."""

    id: str
    name: str
    folder: Path
    resolution: int
    source: str  # "bundled" | "user"
    model_hash: str
    conditional: bool
    damaged: str = ""  # the reason this folder cannot be used ("" = usable)
    message: str = ""  # the whole sentence for a damaged model


def _other_kind(folder: Path) -> bool:
    """A folder of another kind (the upscaler, the attribute classifier) that the picture-model list skips."""
    if (folder / "generator.safetensors").exists():
        return False
    try:
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(config, dict) and "gan" not in config and ("kind" in config or "arch" in config)


def _damaged(folder: Path, source: str, e: ModelError) -> ModelInfo:
    why = getattr(e, "reason", "") or str(e)
    return ModelInfo(folder.name, folder.name, folder, 0, source, "", False, why,
                     say("damaged", model=folder.name, reason=say_reason(why)))


class Registry:
    """Lists and finds models by id or name; user models shadow nothing (ids must be unique)."""

    def __init__(self, bundled: Path, user: Path | None = None):
        self.bundled, self.user = Path(bundled), Path(user) if user else None

    def _scan(self, root: Path | None, source: str, verify: bool) -> list[ModelInfo]:
        out = []
        if root is None or not root.is_dir():
            return out
        for old in root.glob(".*.old"):  # a save killed between its two renames (see write_model_dir)
            recover_model_dir(root / old.name[1:-len(".old")])
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if _other_kind(folder):
                continue
            try:
                cfg = read_config(folder, verify=verify)
            except ModelError as e:
                out.append(_damaged(folder, source, e))
                continue
            gan = cfg["gan"]
            out.append(ModelInfo(folder.name, str(cfg.get("name") or folder.name), folder,
                                 int(gan.get("resolution", 64)), source,
                                 cfg["files"]["generator.safetensors"][:12], int(gan.get("cond_dim", 0)) > 0))
        return out

    def list_all(self, verify: bool = False) -> list[ModelInfo]:
        """Usable and damaged models (see ModelInfo.damaged); `verify` also checks every weight file's hash."""
        return self._scan(self.bundled, "bundled", verify) + self._scan(self.user, "user", verify)

    def list(self) -> list[ModelInfo]:
        """The usable models only."""
        return [m for m in self.list_all() if not m.damaged]

    def damaged(self) -> list[ModelInfo]:
        return [m for m in self.list_all() if m.damaged]

    def default_id(self, models: list[ModelInfo] | None = None) -> str | None:
        ids = [m.id for m in (self.list() if models is None else models)]
        if DEFAULT_MODEL in ids:
            return DEFAULT_MODEL
        return ids[0] if ids else None

    def find(self, key: str | None = None) -> ModelInfo:
        """By id (folder name) or display name; None/"" → the default model. A damaged one is named as such."""
        everything = self.list_all()
        models = [m for m in everything if not m.damaged]
        key = key or self.default_id(models) or DEFAULT_MODEL  # one folder scan per request, not two
        for m in models:
            if key in (m.id, m.name):
                return m
        for m in everything:
            if m.damaged and key == m.id:
                e = ModelError(m.message)
                e.reason = m.damaged
                raise e
        if not everything:
            raise ModelError(f"No model is installed (looked in {self.bundled}).")
        raise ModelError(say("no_model", model=key, installed=", ".join(m.id for m in models) or "-"))
