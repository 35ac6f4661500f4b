"""Where Vitrine keeps things: platformdirs folders (or one portable folder), created on demand."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Vitrine"
# In a PyInstaller bundle (sys.frozen) models/ and resources/ lie in the bundle's data folder, sys._MEIPASS.
REPO_ROOT = (Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) if getattr(sys, "frozen", False)
             else Path(__file__).resolve().parent.parent.parent)


@dataclass(frozen=True)
class AppPaths:
    """All folders the app reads or writes; nothing is created until `ensure` is called."""

    data: Path  # gallery history, the shop's own models
    config: Path  # settings
    cache: Path  # thumbnails
    bundled_models: Path  # read-only models shipped with the app

    @property
    def user_models(self) -> Path:
        return self.data / "models"

    @property
    def gallery(self) -> Path:
        return self.data / "gallery"

    @classmethod
    def default(cls, home: str | os.PathLike | None = None, bundled: str | os.PathLike | None = None) -> "AppPaths":
        """platformdirs locations, or everything under `home` / $VITRINE_HOME (portable and test use)."""
        home = home or os.environ.get("VITRINE_HOME")
        bundled_dir = Path(bundled or os.environ.get("VITRINE_BUNDLED_MODELS") or REPO_ROOT / "models")
        if home:
            root = Path(home)
            return cls(root / "data", root / "config", root / "cache", bundled_dir)
        return cls(Path(platformdirs.user_data_dir(APP_NAME, False)), Path(platformdirs.user_config_dir(APP_NAME, False)),
                   Path(platformdirs.user_cache_dir(APP_NAME, False)), bundled_dir)

    def ensure(self, *folders: Path) -> None:
        for folder in folders or (self.data, self.config, self.cache):
            folder.mkdir(parents=True, exist_ok=True)
