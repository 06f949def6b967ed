"""``MarketData``: the one object the CLI and the UI ask for prices, facts and refreshes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from rotation_desk.core.data_age import DataAge
from rotation_desk.core.instruments import Instrument
from rotation_desk.data.facts import FundFacts, load_bundled_facts, merge_live
from rotation_desk.data.journal import Journal
from rotation_desk.data.journal_copy import BACKUP_NAME
from rotation_desk.data.paths import AppPaths
from rotation_desk.data.snapshot import SOURCE as SNAPSHOT_SOURCE
from rotation_desk.data.snapshot import seed_store
from rotation_desk.data.store import PriceStore, TickerMeta
from rotation_desk.errors import DataUnavailable, EnvironmentProblem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Freshness:
    """Where the data comes from and how fresh it is, for the status bar."""

    last_session: str | None  # newest session date in the store
    snapshot_as_of: str | None
    live_tickers: int  # tickers last written by a Yahoo refresh
    total_tickers: int
    last_fetch: datetime | None  # newest successful Yahoo write (UTC)
    offline: bool

    def age(self, today: date | None = None) -> DataAge | None:
        """How old the newest close is on ``today`` (None when the store is empty)."""
        if self.last_session is None:
            return None
        return DataAge(date.fromisoformat(self.last_session), today or date.today())

    def describe(self, now: datetime | None = None, today: date | None = None) -> str:
        """ "snapshot · last close 2026-08-03 (4 months ago)", or for refreshed data
        "Yahoo Finance, 88/88 tickers · updated 5 min ago · last close 2026-11-30 (1 day ago)"."""
        parts = []
        if self.live_tickers == 0:
            parts.append("snapshot")
        else:
            parts.append(f"Yahoo Finance, {self.live_tickers}/{self.total_tickers} tickers")
            if self.last_fetch is not None:
                parts.append(f"updated {humanise_age(self.last_fetch, now)}")
        age = self.age(today or (now.date() if now is not None else None))
        parts.append(age.describe() if age is not None else "no prices cached")
        if self.offline:
            parts.append("offline — cached data")
        return " · ".join(parts)


def humanise_age(when: datetime, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


class MarketData:
    """Prices for these tickers over this window, from the store; refreshes from Yahoo."""

    def __init__(self, paths: AppPaths, offline: bool = False, check: bool = True):
        """``check``: run the store's quick integrity check now (``PriceStore.check_health``);
        a caller on the GUI thread passes False and calls ``store.check_health()`` in a worker."""
        self.paths = paths.ensure()
        self.offline = offline
        self.notices: list[str] = []
        self.store = PriceStore(
            paths.database,
            seed=seed_store,
            notices=self.notices,
            check=check,
            journal_backup=paths.data_dir / BACKUP_NAME,
        )
        self._facts: dict[str, FundFacts] | None = None
        self._journal: Journal | None = None

    @property
    def journal(self) -> Journal:
        """The DCA journal (in the same database); opened on first use, when its copy is checked
        (``Journal.check_copy``: an emptied journal comes back from the copy, with a notice)."""
        if self._journal is None:
            journal = Journal(self.store, self.store.journal_backup)
            journal.check_copy(self.notices)
            self._journal = journal
        return self._journal

    # -- tickers and facts ------------------------------------------------------
    def tickers(self) -> list[TickerMeta]:
        return [m for m in self.store.tickers() if m.rows > 0]

    def ticker_names(self) -> list[str]:
        return [m.ticker for m in self.tickers()]

    def facts(self) -> dict[str, FundFacts]:
        if self._facts is None:
            self._facts = merge_live(load_bundled_facts(), self.store.live_facts())
        return self._facts

    def fund(self, ticker: str) -> FundFacts | None:
        return self.facts().get(ticker.upper())

    def instruments(self, tickers: Sequence[str]) -> dict[str, Instrument]:
        """What each ticker is (core/instruments.py): its stored listing, or what its symbol tells."""
        metas = {m.ticker: m for m in self.store.tickers()}
        out = {}
        for t in tickers:
            name = t.strip().upper()
            meta = metas.get(name)
            out[name] = meta.instrument if meta is not None else Instrument(name)
        return out

    # -- prices -----------------------------------------------------------------
    def require(self, tickers: Sequence[str]) -> list[str]:
        """Upper-cased tickers, or DataUnavailable naming the ones not in the store."""
        wanted = [t.strip().upper() for t in tickers if t.strip()]
        missing = [t for t in wanted if not self.store.has(t)]
        if missing:
            hint = "" if self.offline else " (try: rotation-desk data refresh " + " ".join(missing) + ")"
            names = ", ".join(missing)
            raise DataUnavailable(f"no price data for {names}{hint}")
        return wanted

    def closes(self, tickers: Sequence[str], start=None, end=None) -> pd.DataFrame:
        """Adjusted closes, dates × tickers. Raises DataUnavailable for unknown tickers or an empty window."""
        wanted = self.require(tickers)
        frame = self.store.read_closes(wanted, _iso(start), _iso(end))
        empty = [t for t in wanted if frame.empty or frame[t].dropna().empty]
        if empty:
            raise DataUnavailable(
                f"no prices for {', '.join(empty)} between {_iso(start) or 'the start'} and {_iso(end) or 'the end'}"
            )
        return frame

    def all_closes(self) -> pd.DataFrame:
        return self.store.read_closes()

    def last_session(self) -> pd.Timestamp | None:
        lasts = [m.last for m in self.tickers() if m.last]
        return pd.Timestamp(max(lasts)) if lasts else None

    def freshness(self) -> Freshness:
        metas = self.tickers()
        live = [m for m in metas if m.source != SNAPSHOT_SOURCE]
        fetched = [datetime.fromisoformat(m.fetched_at) for m in live if m.fetched_at and m.source == "yahoo"]
        last = self.last_session()
        return Freshness(
            last_session=None if last is None else last.strftime("%Y-%m-%d"),
            snapshot_as_of=self.store.get_meta("snapshot_as_of"),
            live_tickers=sum(1 for m in live if m.source == "yahoo"),
            total_tickers=len(metas),
            last_fetch=max(fetched) if fetched else None,
            offline=self.offline,
        )

    # -- refresh ----------------------------------------------------------------
    def refresh(
        self,
        tickers: Sequence[str] | None = None,
        full: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        now: Callable[[], datetime] | None = None,
    ):
        """Update tickers (default: all cached) from Yahoo; returns a RefreshReport (``now``: the clock that
        decides whether today's bar is finished, see core/live_bar.py)."""
        if self.offline:
            raise DataUnavailable("offline mode: refresh needs the network (drop --offline)")
        if self.store.read_only:
            raise EnvironmentProblem(f"cannot refresh: {self.store.read_only}; the cached prices are unchanged")
        from rotation_desk.data.refresh import refresh_facts, refresh_tickers

        names = [t.upper() for t in tickers] if tickers else self.ticker_names()
        report = refresh_tickers(self.store, names, full=full, progress=progress, cancel=cancel, now=now)
        if not report.offline and not report.cancelled:
            ok = [o.ticker for o in report.outcomes if o.status == "ok"]
            try:
                refresh_facts(self.store, ok)
            except Exception as exc:  # noqa: BLE001 - facts are a bonus; prices already landed
                log.warning("fund facts refresh failed: %s", exc)
            self._facts = None
        return report


def _iso(value) -> str | None:
    if value is None or value == "":
        return None
    return pd.Timestamp(value).strftime("%Y-%m-%d")
