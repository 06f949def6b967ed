"""Where user files live: platformdirs locations, or one folder given by the user.

``--data-dir DIR`` (or ``ROTATION_DESK_DATA_DIR``) puts the database, plans,
settings and logs all under DIR, which keeps tests and scripted runs away
from the real user folders. Nothing is ever written inside the install dir.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from rotation_desk import APP_NAME

ENV_DATA_DIR = "ROTATION_DESK_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    cache_dir: Path  # the price database and its backups
    data_dir: Path  # saved DCA plans
    config_dir: Path  # settings
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.cache_dir / "prices.sqlite3"

    @property
    def plans_dir(self) -> Path:
        return self.data_dir / "plans"

    @property
    def factors_dir(self) -> Path:
        """Fama/French factor files downloaded by ``rotation-desk factors update`` (newer than the bundled)."""
        return self.data_dir / "factors"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "rotation-desk.log"

    def ensure(self) -> AppPaths:
        for d in (self.cache_dir, self.data_dir, self.config_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(data_dir: str | os.PathLike | None = None) -> AppPaths:
    """Paths for this run: an explicit folder wins, then the env variable, then platformdirs."""
    chosen = data_dir if data_dir is not None else os.environ.get(ENV_DATA_DIR) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return AppPaths(root / "cache", root / "data", root / "config", root / "logs")
    return AppPaths(
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
