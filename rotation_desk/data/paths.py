"""Where user files live: platformdirs locations, or one folder given by the user.

``--data-dir DIR`` (or ``ROTATION_DESK_DATA_DIR``) puts the database, plans,
settings and logs all under DIR, which keeps tests and scripted runs away
from the real user folders. Nothing is ever written inside the install dir.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from rotation_desk import APP_NAME
from rotation_desk.errors import EnvironmentProblem, environment_problem

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
        """Create the folders that are missing.

        A path that is a file where a folder belongs raises EnvironmentProblem
        (exit 4). A folder that cannot be created for want of permission or on a
        read-only file system is left out: reads still work, and whatever needs
        to write there says so (the price store, the log falls back elsewhere).
        """
        for d in (self.cache_dir, self.data_dir, self.config_dir, self.log_dir):
            try:
                d.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                raise _not_a_folder(d) from None
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                    raise environment_problem(exc, d, "create the folder") from None
        return self


def _not_a_folder(path: Path) -> EnvironmentProblem:
    """The first part of ``path`` that exists but is not a folder, named."""
    for part in [path, *path.parents]:
        if part.exists() and not part.is_dir():
            return EnvironmentProblem(
                f"{part} is a file, not a folder (the app keeps its data in folders; "
                f"--data-dir or {ENV_DATA_DIR} must name a folder)"
            )
    return EnvironmentProblem(f"{path}: cannot create the folder (a part of the path is not a folder)")


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
