"""Data health of the cached series (``rotation-desk data check``, the Data health dialog).

Reads each ticker's closes, metadata and recorded splits from the store and
runs the pure checks of core/data_health.py against its calendar
(core/instruments.py, core/calendars.py). Adds what only the store knows: a
refresh that failed last time (``refresh_failed``, dated when it failed, with
Yahoo's reason) and a currency that is not known (``unknown_currency``: a
foreign listing imported from a file).

``today`` is the day staleness is measured against (default: the UTC date
now): the newest close should be the calendar's last session before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from rotation_desk.core import calendars
from rotation_desk.core.data_health import Problem, check_series
from rotation_desk.core.instruments import Instrument

SOURCE_KINDS = {"snapshot": "snapshot", "yahoo": "Yahoo"}


@dataclass(frozen=True)
class TickerHealth:
    ticker: str
    source: str  # snapshot | yahoo | import:<file name>
    first: str | None
    last: str | None
    rows: int
    fetched_at: str | None  # last successful write (UTC)
    refreshed_at: str | None  # last refresh attempt (UTC)
    refresh_status: str | None  # ok | no_data | error
    refresh_message: str | None
    last_error: str | None
    error_at: str | None
    instrument: Instrument
    calendar: str | None
    checked_from: pd.Timestamp | None
    checked_to: pd.Timestamp | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def source_words(self) -> str:
        """ "snapshot", "Yahoo", "file mine.csv"."""
        if self.source.startswith("import:"):
            return "file " + self.source.split(":", 1)[1]
        return SOURCE_KINDS.get(self.source, self.source)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def refresh_words(self) -> str:
        """ "never", "2026-08-04 ok", "2026-08-04 error": the last refresh and its result."""
        if not self.refreshed_at:
            return "never" if self.source != "yahoo" else (self.fetched_at or "—")[:10]
        return f"{self.refreshed_at[:10]} {self.refresh_status or ''}".strip()

    @property
    def health_words(self) -> str:
        n = len(self.problems)
        return "ok" if not n else f"{n} problem{'s' * (n != 1)}"

    def as_dict(self) -> dict:
        inst = self.instrument
        return {
            "ticker": self.ticker,
            "source": self.source,
            "source_kind": "file" if self.source.startswith("import:") else self.source,
            "first": self.first,
            "last": self.last,
            "rows": self.rows,
            "instrument_type": inst.type,
            "currency": inst.currency_code,
            "exchange": inst.exchange,
            "timezone": inst.timezone,
            "calendar": self.calendar,
            "checked_from": self.checked_from,
            "checked_to": self.checked_to,
            "fetched_at": self.fetched_at,
            "last_refresh": self.refreshed_at,
            "last_refresh_result": self.refresh_status,
            "last_refresh_message": self.refresh_message,
            "last_error": self.last_error,
            "last_error_at": self.error_at,
            "problems": [p.as_dict() for p in self.problems],
        }


def summary_line(report: Sequence[TickerHealth]) -> str:
    """ "88 tickers checked: 86 clean; 1 jump, 1 spike." (the last line of ``data check``)."""
    kinds = Counter(p.kind for h in report for p in h.problems)
    clean = sum(1 for h in report if h.ok)
    found = ", ".join(f"{n} {k}{'s' * (n != 1)}" for k, n in sorted(kinds.items()))
    n = len(report)
    return f"{n} ticker{'s' * (n != 1)} checked: {clean} clean" + (f"; {found}" if found else "") + "."


def remove_tickers(market, tickers: Sequence[str]) -> list[tuple[str, int]]:
    """``data remove``: every ticker checked first (DataUnavailable naming the ones not cached), then
    each removed in its own transaction; (ticker, rows removed) each."""
    return [(name, market.store.remove(name)) for name in market.require(tickers)]


def today_utc() -> pd.Timestamp:
    return pd.Timestamp(datetime.now(UTC).date())


def check_store(market, tickers: Sequence[str] | None = None, today=None) -> list[TickerHealth]:
    """One TickerHealth per ticker (default: every ticker with rows or a recorded failure)."""
    store = market.store
    metas = {m.ticker: m for m in store.tickers()}
    if tickers is None:
        names = sorted(t for t, m in metas.items() if m.rows > 0 or m.last_error or m.refresh_status)
    else:
        names = market.require(tickers)
    day = today_utc() if today is None else pd.Timestamp(today).normalize()
    closes = store.read_closes([n for n in names if metas[n].rows > 0]) if names else pd.DataFrame()
    splits = store.splits(names)
    return [_one(metas[n], closes[n] if n in closes.columns else None, splits.get(n, {}), day) for n in names]


def _one(meta, series: pd.Series | None, split_days: dict[str, float], today: pd.Timestamp) -> TickerHealth:
    inst = meta.instrument
    name = inst.calendar if calendars.known(inst.calendar) else None
    result = None
    if series is not None and series.notna().any():
        clean = series.dropna()
        sessions = calendars.sessions(name, clean.index[0], clean.index[-1]) if name else None
        expected = calendars.last_session_before(name, today) if name else None
        behind = 0
        if expected is not None and clean.index[-1] < expected:
            behind = len(calendars.sessions(name, clean.index[-1] + pd.Timedelta(days=1), expected))
        result = check_series(
            clean,
            name,
            sessions,
            expected,
            behind,
            {pd.Timestamp(d) for d in split_days},
            inst.is_rate,
        )
    problems = list(result.problems) if result else []
    problems += _store_problems(meta, inst)
    return TickerHealth(
        ticker=meta.ticker,
        source=meta.source,
        first=meta.first,
        last=meta.last,
        rows=meta.rows,
        fetched_at=meta.fetched_at,
        refreshed_at=meta.refreshed_at,
        refresh_status=meta.refresh_status,
        refresh_message=meta.refresh_message,
        last_error=meta.last_error,
        error_at=meta.error_at,
        instrument=inst,
        calendar=result.calendar if result else name,
        checked_from=result.checked_from if result else None,
        checked_to=result.checked_to if result else None,
        problems=problems,
    )


def _store_problems(meta, inst: Instrument) -> list[Problem]:
    out = []
    if meta.last_error and meta.error_at:
        when = pd.Timestamp(meta.error_at[:10])
        kept = " (cached prices kept)" if meta.rows else ""
        out.append(Problem("refresh_failed", f"last refresh failed: {meta.last_error}{kept}", date=when))
    if meta.rows and not inst.is_rate and inst.currency_code is None:
        out.append(
            Problem(
                "unknown_currency",
                "currency unknown: refresh it from Yahoo, or import it again with --currency",
                date=pd.Timestamp(meta.last) if meta.last else None,
            )
        )
    return out
