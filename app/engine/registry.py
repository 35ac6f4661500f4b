"""The models Vitrine can use: bundled ones (models/) and the merchant's own (user data folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.engine.checkpoints import ModelError, read_config, recover_model_dir

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


class Registry:
    """Lists and finds models by id or name; user models shadow nothing (ids must be unique)."""

    def __init__(self, bundled: Path, user: Path | None = None):
        self.bundled, self.user = Path(bundled), Path(user) if user else None

    def _scan(self, root: Path | None, source: str) -> list[ModelInfo]:
        out = []
        if root is None or not root.is_dir():
            return out
        for old in root.glob(".*.old"):  # a save killed between its two renames (see write_model_dir)
            recover_model_dir(root / old.name[1:-len(".old")])
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            try:
                cfg = read_config(folder)
            except ModelError:
                continue
            gan = cfg.get("gan", {})
            out.append(ModelInfo(folder.name, str(cfg.get("name") or folder.name), folder,
                                 int(gan.get("resolution", 64)), source,
                                 cfg["files"]["generator.safetensors"][:12], int(gan.get("cond_dim", 0)) > 0))
        return out

    def list(self) -> list[ModelInfo]:
        return self._scan(self.bundled, "bundled") + self._scan(self.user, "user")

    def default_id(self) -> str | None:
        models = self.list()
        ids = [m.id for m in models]
        if DEFAULT_MODEL in ids:
            return DEFAULT_MODEL
        return ids[0] if ids else None

    def find(self, key: str | None = None) -> ModelInfo:
        """By id (folder name) or display name; None/"" → the default model."""
        models = self.list()
        if not models:
            raise ModelError(f"No model is installed (looked in {self.bundled}).")
        key = key or self.default_id()
        for m in models:
            if key in (m.id, m.name):
                return m
        raise ModelError(f"There is no model called {key!r}. Available: {', '.join(m.id for m in models)}.")
