"""What every command needs: the user paths, logging, and (lazily) the market data."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

from rotation_desk import APP_NAME
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import AppPaths, resolve_paths
from rotation_desk.logsetup import setup_logging


@dataclass
class Context:
    paths: AppPaths
    offline: bool
    _market: MarketData | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        paths = resolve_paths(getattr(args, "data_dir", None)).ensure()
        setup_logging(paths.log_file)
        return cls(paths=paths, offline=bool(getattr(args, "offline", False)))

    @property
    def market(self) -> MarketData:
        if self._market is None:
            self._market = MarketData(self.paths, offline=self.offline)
            for notice in self._market.notices:
                print(f"{APP_NAME}: {notice}", file=sys.stderr)
        return self._market

    def close(self) -> None:
        if self._market is not None:
            self._market.store.close()
