"""What every command needs: the user paths, logging, and (lazily) the market data."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from dataclasses import dataclass, field

from rotation_desk import APP_NAME
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import AppPaths, resolve_paths
from rotation_desk.logsetup import setup_logging

log = logging.getLogger(__name__)


@dataclass
class Context:
    paths: AppPaths
    offline: bool
    _market: MarketData | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        """Raises EnvironmentProblem when the data folder is unusable (a file, say); a log folder
        that cannot be written only moves the log elsewhere (``logsetup``)."""
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

    @property
    def journal(self):
        """The DCA journal (``MarketData.journal``); a notice it gives on opening is printed like the store's."""
        market = self.market
        before = len(market.notices)
        journal = market.journal
        for notice in market.notices[before:]:
            print(f"{APP_NAME}: {notice}", file=sys.stderr)
        return journal

    def close(self) -> None:
        if self._market is not None:
            try:
                self._market.store.close()
            except sqlite3.Error as exc:  # closing never turns a result into a failure
                log.warning("closing the price database: %s", exc)
