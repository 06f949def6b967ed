"""Refresh the price store from Yahoo Finance, one ticker at a time.

Incremental by default (README, "Where your data lives"): each ticker is fetched from its last
cached date minus a short overlap. If the overlap's adjusted closes differ from
the cached ones, Yahoo has re-adjusted the history (a new dividend or split),
so the ticker's full history is fetched again and replaces the cached rows.
Every ticker is written in one transaction; a failure leaves what is already
stored untouched and is remembered with ``store.record_error``. A store that
cannot be written (a full disk, a read-only folder) stops the refresh with
EnvironmentProblem: no other ticker would fare better.

Rate limits (HTTP 429) are retried a bounded number of times with exponential
back-off; the ``sleep`` is injectable so tests do not wait. When nothing can be
reached (every attempt a network error) the report says ``offline`` and the
cached data stays as it was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from rotation_desk.data import yahoo
from rotation_desk.errors import EnvironmentProblem

log = logging.getLogger(__name__)

OK, NO_DATA, ERROR, CANCELLED, SKIPPED = "ok", "no_data", "error", "cancelled", "skipped"
STATUSES = (OK, NO_DATA, ERROR, CANCELLED, SKIPPED)

RTOL = 1e-6  # relative tolerance of the overlap check
ATOL = 5e-7  # the snapshot's closes are rounded to 6 decimals
BACKOFF_BASE_S = 2.0
BACKOFF_SLICE_S = 0.5  # cancel is checked at least this often while backing off
OFFLINE_AFTER = 3  # consecutive network failures, with no success yet, before the rest is skipped
FACTS_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class TickerOutcome:
    """What happened to one ticker."""

    ticker: str
    status: str  # ok | no_data | error | cancelled | skipped
    reason: str = ""  # why it failed, in words ("" when ok)
    rows_written: int = 0  # rows written to the store (overlap rows included)
    readjusted: bool = False  # the overlap differed, so the full history was re-fetched
    requested_from: str | None = None  # first date asked of Yahoo (None: the whole history)
    new_rows: int = 0  # sessions after the previously cached last date
    rows_received: int = 0  # rows Yahoo sent, over all requests for this ticker
    attempts: int = 0  # HTTP attempts (more than 1 after rate limits)
    kind: str | None = None  # failure kind: no_data | rate_limit | network | malformed | error
    unfinished: str | None = None  # today's bar left out because its session is not over (in words)

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def message(self) -> str:
        """One line for the CLI and the refresh details dialog."""
        if self.status == OK:
            if self.readjusted:
                return f"history re-adjusted by Yahoo: full history re-fetched ({self.rows_written} rows)"
            if self.requested_from is None:
                text = f"full history fetched ({self.rows_written} rows)"
                return text + (f"; {self.unfinished}" if self.unfinished else "")
            new = (
                "no new sessions" if self.new_rows == 0 else f"{self.new_rows} new session{'s' * (self.new_rows != 1)}"
            )
            text = f"{new} (fetched from {self.requested_from})"
            return text + (f"; {self.unfinished}" if self.unfinished else "")
        return self.reason


@dataclass
class RefreshReport:
    outcomes: list[TickerOutcome] = field(default_factory=list)
    offline: bool = False  # nothing could be reached; cached data kept
    cancelled: bool = False

    @property
    def updated(self) -> list[TickerOutcome]:
        return [o for o in self.outcomes if o.status == OK]

    @property
    def failed(self) -> list[TickerOutcome]:
        return [o for o in self.outcomes if o.status in (NO_DATA, ERROR)]

    @property
    def readjusted(self) -> list[TickerOutcome]:
        return [o for o in self.outcomes if o.readjusted]

    def outcome(self, ticker: str) -> TickerOutcome:
        return next(o for o in self.outcomes if o.ticker == ticker.upper())

    def summary(self) -> str:
        """One sentence, e.g. "Updated 12 of 13 tickers; 1 failed (XYZ: no data on Yahoo)"."""
        total = len(self.outcomes)
        ok = len(self.updated)
        if self.offline:
            return f"Yahoo Finance could not be reached (offline?); cached data kept for all {total} tickers."
        if self.cancelled:
            done = sum(1 for o in self.outcomes if o.status != CANCELLED)
            text = f"Cancelled after {done} of {total} tickers: {ok} updated, the rest kept as cached"
        else:
            text = f"Updated {ok} of {total} ticker{'s' * (total != 1)}"
        extras = []
        if self.readjusted:
            names = ", ".join(o.ticker for o in self.readjusted)
            extras.append(f"{len(self.readjusted)} re-adjusted by Yahoo, full history re-fetched ({names})")
        failed = self.failed
        if failed:
            listed = "; ".join(f"{o.ticker}: {o.reason}" for o in failed[:5])
            more = f"; and {len(failed) - 5} more" if len(failed) > 5 else ""
            extras.append(f"{len(failed)} failed ({listed}{more})")
        skipped = [o for o in self.outcomes if o.status == SKIPPED]
        if skipped:
            extras.append(f"{len(skipped)} skipped")
        return text + ("; " + "; ".join(extras) if extras else "") + "."


Fetch = Callable[[str, "str | None"], "yahoo.Fetched | pd.DataFrame"]


def refresh_tickers(
    store,
    tickers: Sequence[str],
    full: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    overlap_days: int = 10,
    max_retries: int = 3,
    sleep: Callable[[float], None] = time.sleep,
    fetch: Fetch | None = None,
    now: Callable[[], datetime] | None = None,
) -> RefreshReport:
    """Update ``tickers`` in ``store`` from Yahoo; never raises for a per-ticker failure.

    ``progress(done, total, ticker)`` is called after each ticker; ``cancel()``
    is checked before each ticker and while backing off from a rate limit.
    ``fetch(ticker, start)`` defaults to ``yahoo.fetch_listing`` (which also
    gives the listing, stored with the rows, and leaves out today's bar while
    its session is open at ``now()``, default the clock). Each ticker's result
    is remembered (``store.record_refresh``) for the data health view.
    """
    if getattr(store, "read_only", None):
        raise EnvironmentProblem(f"cannot refresh: {store.read_only}; the cached prices are unchanged")
    if fetch is None:
        yahoo.use_cache_dir(store.path.parent / "yfinance")
        clock = now or (lambda: datetime.now(UTC))

        def fetch(name, start):
            return yahoo.fetch_listing(name, start, now=clock())

    names = _unique([t.strip().upper() for t in tickers if t and t.strip()])
    cancelled = cancel or (lambda: False)
    report = RefreshReport()
    total = len(names)
    network_streak = 0
    for i, name in enumerate(names):
        if cancelled():
            report.cancelled = True
            report.outcomes += [TickerOutcome(n, CANCELLED, "not refreshed (cancelled)") for n in names[i:]]
            break
        if network_streak >= OFFLINE_AFTER and not report.updated:
            reason = "not tried: Yahoo Finance could not be reached"
            report.outcomes += [TickerOutcome(n, SKIPPED, reason) for n in names[i:]]
            break
        outcome = _refresh_one(store, name, full, fetch, cancelled, overlap_days, max_retries, sleep)
        report.outcomes.append(outcome)
        if outcome.status in (OK, NO_DATA, ERROR):
            _remember(store, outcome)
        if outcome.status == CANCELLED:
            report.cancelled = True
            report.outcomes += [TickerOutcome(n, CANCELLED, "not refreshed (cancelled)") for n in names[i + 1 :]]
            break
        network_streak = network_streak + 1 if outcome.kind == "network" else 0
        if progress is not None:
            progress(i + 1, total, name)
    tried = [o for o in report.outcomes if o.status not in (CANCELLED, SKIPPED)]
    report.offline = bool(tried) and all(o.kind == "network" for o in tried)
    log.info("refresh: %s", report.summary())
    return report


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    return [n for n in names if not (n in seen or seen.add(n))]


class _Cancelled(Exception):
    pass


def _refresh_one(store, name, full, fetch, cancelled, overlap_days, max_retries, sleep) -> TickerOutcome:
    meta = store.ticker_meta(name)
    last = meta.last if meta is not None and meta.rows > 0 else None
    start = (
        None if full or last is None else (pd.Timestamp(last) - pd.Timedelta(days=overlap_days)).strftime("%Y-%m-%d")
    )
    attempts = [0]
    received = 0
    readjusted = False

    def get(from_date) -> yahoo.Fetched:
        got = _with_retries(lambda: fetch(name, from_date), cancelled, max_retries, sleep, attempts)
        return got if isinstance(got, yahoo.Fetched) else yahoo.Fetched(got, yahoo.Listing())

    try:
        fetched = get(start)
        frame = fetched.frame
        received += len(frame)
        if start is not None:
            cached = store.read_history(name, start=start)
            if _readjusted(cached, frame, last):
                log.info("%s: adjusted closes changed in the overlap; re-fetching the full history", name)
                readjusted = True
                fetched = get(None)
                frame = fetched.frame
                received += len(frame)
        if start is None or readjusted:
            written = store.replace_history(name, frame, yahoo.SOURCE)
        else:
            written = store.upsert_rows(name, frame, yahoo.SOURCE)
        if not fetched.listing.is_empty():
            store.set_listing(name, fetched.listing)
    except _Cancelled:
        return TickerOutcome(name, CANCELLED, "not refreshed (cancelled)", requested_from=start, attempts=attempts[0])
    except yahoo.YahooError as exc:
        status = NO_DATA if exc.kind == "no_data" else ERROR
        reason = exc.reason
        if readjusted:  # the new rows are not written either: they would not match the old adjustment
            reason = f"history re-adjusted by Yahoo, but the full re-fetch failed: {reason}"
        kept = " (cached prices kept)" if last is not None else ""
        _record(store, name, reason)
        return TickerOutcome(
            name,
            status,
            reason + kept,
            requested_from=start,
            rows_received=received,
            attempts=attempts[0],
            kind=exc.kind,
            readjusted=False,
        )
    except EnvironmentProblem:  # a full disk or a read-only store: no other ticker would fare better
        raise
    except Exception as exc:  # a bug or a store problem: report it, keep going with the others
        log.exception("%s: refresh failed", name)
        reason = f"unexpected error: {type(exc).__name__}: {exc}"
        _record(store, name, reason)
        return TickerOutcome(
            name, ERROR, reason, requested_from=start, rows_received=received, attempts=attempts[0], kind="error"
        )
    new_rows = len(frame) if last is None else int((frame.index > pd.Timestamp(last)).sum())
    return TickerOutcome(
        name,
        OK,
        "",
        rows_written=written,
        readjusted=readjusted,
        requested_from=start,
        new_rows=new_rows,
        rows_received=received,
        attempts=attempts[0],
        unfinished=fetched.dropped.describe() if fetched.dropped is not None else None,
    )


def _remember(store, outcome: TickerOutcome) -> None:
    try:
        store.record_refresh(outcome.ticker, outcome.status, outcome.message)
    except EnvironmentProblem:
        raise
    except Exception:  # the report is what matters; never lose it over the note
        log.exception("%s: could not record the refresh result", outcome.ticker)


def _with_retries(call, cancelled, max_retries, sleep, attempts):
    """``call()``, retried after rate limits with back-off 2 s, 4 s, 8 s, … (bounded)."""
    retries = 0
    while True:
        attempts[0] += 1
        try:
            return call()
        except yahoo.RateLimited:
            if retries >= max_retries:
                raise
        delay = BACKOFF_BASE_S * (2**retries)
        retries += 1
        log.info("rate limited; retry %d of %d in %.0f s", retries, max_retries, delay)
        _backoff(delay, cancelled, sleep)


def _backoff(delay: float, cancelled, sleep) -> None:
    remaining = delay
    while remaining > 1e-9:
        if cancelled():
            raise _Cancelled
        step = min(BACKOFF_SLICE_S, remaining)
        sleep(step)
        remaining -= step
    if cancelled():
        raise _Cancelled


def _readjusted(cached: pd.DataFrame, fetched: pd.DataFrame, last: str | None) -> bool:
    """True if Yahoo's adjusted closes in the overlap differ from the cached ones.

    The cached last session is left out when older overlap sessions exist: it
    may have been stored while the market was open (a live price), which is not
    a re-adjustment. No common session at all counts as a change (nothing to
    vouch for the cached history).
    """
    common = cached.index.intersection(fetched.index)
    if last is not None and len(common) > 1:
        common = common[common < pd.Timestamp(last)]
    if len(common) == 0:
        return True
    a = cached.loc[common, "adj_close"].to_numpy(dtype="float64")
    b = fetched.loc[common, "adj_close"].to_numpy(dtype="float64")
    return not bool(np.isclose(b, a, rtol=RTOL, atol=ATOL).all())


def _record(store, name: str, reason: str) -> None:
    try:
        store.record_error(name, reason)
    except Exception:  # the failure is reported anyway; never lose the report over it
        log.exception("%s: could not record the refresh error", name)


# -- fund facts -------------------------------------------------------------------
def refresh_facts(
    store,
    tickers: Sequence[str],
    *,
    max_age: timedelta | None = FACTS_MAX_AGE,
    fetch: Callable[[str], yahoo.FundInfo] | None = None,
) -> list[str]:
    """Fetch live fund facts (name, expense ratio) for ``tickers``; returns the tickers saved.

    Facts fetched less than ``max_age`` ago are kept (they change rarely and each
    costs two requests). Stops at the first rate limit or network error.
    """
    fetch = fetch or yahoo.fetch_facts
    now = datetime.now(UTC)
    existing = store.live_facts()
    saved = []
    for name in _unique([t.upper() for t in tickers]):
        if max_age is not None and name in existing:
            fetched_at = datetime.fromisoformat(existing[name][2])
            if now - fetched_at < max_age:
                continue
        try:
            info = fetch(name)
        except (yahoo.RateLimited, yahoo.NetworkError) as exc:
            log.warning("fund facts: stopping at %s (%s)", name, exc.reason)
            break
        except yahoo.YahooError as exc:
            log.info("fund facts: %s", exc)
            continue
        store.save_live_facts(name, info.name, info.expense_ratio_pct)
        saved.append(name)
    return saved
