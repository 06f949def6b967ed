"""Yahoo Finance through yfinance: daily history and fund facts for one ticker.

The only module of the app that imports yfinance (tests/test_architecture.py
checks it). Everything Yahoo can do wrong is turned into one of four errors,
so the refresh can report each ticker in plain words:

- ``NoData``: Yahoo knows nothing for the ticker (unknown or delisted) or sent
  no rows for the window. yfinance would only *log* this by default; here its
  exceptions are switched on (``yf.config.debug.hide_exceptions = False``).
- ``RateLimited``: HTTP 429 (``YFRateLimitError``) — worth retrying later.
- ``NetworkError``: Yahoo could not be reached (curl_cffi connection, DNS or
  timeout errors): the machine is probably offline.
- ``MalformedResponse``: an answer that is not the chart JSON we expect.

Prices are always fetched with ``auto_adjust=False`` passed explicitly (the
yfinance default is True, which would overwrite Close with the adjusted
close and drop "Adj Close"), ``actions=True`` and ``repair=False``, so the
stored ``close`` is Yahoo's split-adjusted close and ``adj_close`` its
split-and-dividend-adjusted close.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import yfinance as yf
from curl_cffi.requests import exceptions as curl_errors
from yfinance.exceptions import (
    YFDataException,
    YFRateLimitError,
    YFTickerMissingError,
    YFTzMissingError,
)

from rotation_desk.core.instruments import Instrument
from rotation_desk.core.live_bar import LiveBar, last_bar
from rotation_desk.data.store_listing import Listing

log = logging.getLogger(__name__)

# yfinance 1.7 still passes inplace= to pandas 3.1, which warns on every call; keep the CLI quiet.
warnings.filterwarnings("ignore", message="The inplace keyword", module=r"yfinance(\.|$)")

SOURCE = "yahoo"
DEFAULT_TIMEOUT_S = 20.0

# yfinance column -> store column (rotation_desk.data.store.COLUMNS)
_COLUMN_MAP = {
    "Open": "open",
    "High": "high",
    "Low": "low",
    "Close": "close",
    "Adj Close": "adj_close",
    "Volume": "volume",
    "Dividends": "dividend",
    "Stock Splits": "split",
}
_cache_dir: Path | None = None

FRAME_COLUMNS = ("open", "high", "low", "close", "adj_close", "volume", "dividend", "split")


class YahooError(Exception):
    """A fetch that failed; ``kind`` says how, the message says it in words."""

    kind = "error"

    def __init__(self, ticker: str, reason: str):
        super().__init__(f"{ticker}: {reason}")
        self.ticker = ticker
        self.reason = reason


class NoData(YahooError):
    kind = "no_data"


class RateLimited(YahooError):
    kind = "rate_limit"


class NetworkError(YahooError):
    kind = "network"


class MalformedResponse(YahooError):
    kind = "malformed"


@dataclass(frozen=True)
class FundInfo:
    """Live fund facts from Yahoo; either field may be missing."""

    ticker: str
    name: str | None
    expense_ratio_pct: float | None  # percent, as in the bundled table (0.05 means 0.05 %)


def use_cache_dir(directory: Path) -> None:
    """Keep yfinance's own caches (time zones, cookie) under the app's data directory.

    yfinance opens its cache on first use and keeps it, so this must run before
    the first request of the process; calling it again with the same directory
    does nothing.
    """
    global _cache_dir
    directory = Path(directory)
    if directory == _cache_dir:
        return
    directory.mkdir(parents=True, exist_ok=True)
    yf.set_tz_cache_location(str(directory))
    _cache_dir = directory


def _prepare() -> None:
    # Raise instead of logging: the refresh needs to know what went wrong per ticker.
    yf.config.debug.hide_exceptions = False
    # Retries and back-off are the refresh's job (bounded, cancellable, injectable sleep).
    yf.config.network.retries = 0


@dataclass(frozen=True)
class Fetched:
    """One ticker's rows with what Yahoo's chart meta says it is, and the unfinished bar left out (if any)."""

    frame: pd.DataFrame
    listing: Listing
    dropped: LiveBar | None = None  # today's bar, not stored: its session is not over


def fetch_history(ticker: str, start: date | str | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> pd.DataFrame:
    """Daily rows of ``ticker`` from ``start`` (inclusive; None: the whole history) to today.

    Returns a frame indexed by session date (naive ``datetime64``, name ``date``)
    with the store's columns: open, high, low, close, adj_close, volume,
    dividend, split (yfinance conventions: dividend 0 and split 0 mean none).
    Raises one of the ``YahooError`` subclasses. ``fetch_listing`` also gives
    the listing and leaves out an unfinished last bar.
    """
    return fetch_listing(ticker, start, timeout).frame


def fetch_listing(
    ticker: str, start: date | str | None = None, timeout: float = DEFAULT_TIMEOUT_S, now: datetime | None = None
) -> Fetched:
    """``fetch_history`` plus the listing (``meta.instrumentType``, ``currency``, exchange and its time zone);
    a last bar whose session is not over at ``now`` (default: the clock) is left out (core/live_bar.py)."""
    _prepare()
    symbol = ticker.upper()
    options = dict(
        interval="1d",
        auto_adjust=False,  # explicit: keep Close and Adj Close apart
        back_adjust=False,
        actions=True,
        repair=False,
        keepna=False,
        timeout=timeout,
    )
    try:
        t = yf.Ticker(symbol)
        if start is None:
            raw = t.history(period="max", **options)
        else:
            raw = t.history(start=pd.Timestamp(start).strftime("%Y-%m-%d"), **options)
    except Exception as exc:  # classified below; nothing escapes unnamed
        raise classify(symbol, exc) from exc
    try:
        meta = t.get_history_metadata()
    except Exception as exc:  # noqa: BLE001 - the rows arrived; a listing we cannot read stays unknown
        log.info("%s: no chart meta (%s)", symbol, exc)
        meta = {}
    listing = Listing.from_meta(meta)
    frame = normalise_history(symbol, raw, rate=Instrument(symbol).is_rate)
    verdict = last_bar(
        frame.index[-1].date(),
        now or datetime.now(UTC),
        listing.timezone,
        *_regular_period(meta),
    )
    if not verdict.unfinished:
        return Fetched(frame, listing)
    frame = frame.iloc[:-1]
    if frame.empty:
        raise NoData(symbol, f"no finished session yet ({verdict.describe()})")
    return Fetched(frame, listing, verdict)


def _regular_period(meta) -> tuple[datetime | None, datetime | None]:
    """Start and end of ``meta.currentTradingPeriod.regular`` (yfinance gives aware Timestamps), if sent."""
    try:
        regular = meta.get("currentTradingPeriod", {}).get("regular", {})
        start, end = regular.get("start"), regular.get("end")
    except Exception:  # noqa: BLE001 - an odd meta: no trading period
        return None, None
    out = []
    for value in (start, end):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = pd.Timestamp(int(value), unit="s", tz="UTC")
        out.append(value.to_pydatetime() if isinstance(value, pd.Timestamp) and value.tzinfo is not None else None)
    return out[0], out[1]


def normalise_history(ticker: str, raw, rate: bool = False) -> pd.DataFrame:
    """yfinance's history frame -> the store's columns, with sanity checks (a yield, ``rate``, may be 0 or
    below; a price must be positive)."""
    if not isinstance(raw, pd.DataFrame):
        raise MalformedResponse(ticker, f"unexpected answer from yfinance ({type(raw).__name__})")
    if raw.empty:
        raise NoData(ticker, "no data on Yahoo for the requested dates")
    if "Adj Close" not in raw.columns or "Close" not in raw.columns:
        raise MalformedResponse(ticker, "the answer has no separate Close and Adj Close columns")
    index = pd.DatetimeIndex(raw.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    missing = np.full(len(raw), np.nan)
    columns = {}
    for source, target in _COLUMN_MAP.items():
        if source in raw.columns:
            try:
                columns[target] = raw[source].to_numpy(dtype="float64", na_value=np.nan)
            except (TypeError, ValueError):
                columns[target] = pd.to_numeric(raw[source], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        else:
            columns[target] = missing
    frame = pd.DataFrame(columns, index=pd.DatetimeIndex(index.normalize(), name="date").as_unit("ns"))
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    frame = frame[frame["adj_close"].notna()]
    if frame.empty:
        raise NoData(ticker, "Yahoo sent rows without prices")
    adj = frame["adj_close"].to_numpy()
    if not np.isfinite(adj).all() or (not rate and (adj <= 0).any()):
        raise MalformedResponse(ticker, "Yahoo sent non-positive or infinite adjusted closes")
    return frame[list(FRAME_COLUMNS)]


def classify(ticker: str, exc: BaseException) -> YahooError:
    """Map whatever yfinance / curl_cffi raised to one of the four failures."""
    if isinstance(exc, YahooError):
        return exc
    if isinstance(exc, YFRateLimitError):
        return RateLimited(ticker, "rate limited by Yahoo (HTTP 429)")
    if isinstance(exc, YFTzMissingError):  # yfinance's probe found no exchange: Yahoo does not know it
        return NoData(ticker, "no data on Yahoo: unknown or delisted ticker")
    if isinstance(exc, YFTickerMissingError):
        detail = getattr(exc, "yahoo_reason", None) or getattr(exc, "rationale", None) or str(exc)
        return NoData(ticker, f"no data on Yahoo: {detail}")
    if isinstance(exc, json.JSONDecodeError):  # before RequestException: curl_cffi's subclasses both
        return MalformedResponse(ticker, f"Yahoo's answer is not valid JSON ({exc.msg})")
    if isinstance(exc, curl_errors.HTTPError):
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status == 404:
            return NoData(ticker, "no data on Yahoo: unknown or delisted ticker (HTTP 404)")
        if status == 429:
            return RateLimited(ticker, "rate limited by Yahoo (HTTP 429)")
        return YahooError(ticker, f"Yahoo answered HTTP {status}")
    if isinstance(exc, (curl_errors.RequestException, OSError, TimeoutError)):
        log.info("%s: network error: %s", ticker, exc)
        return NetworkError(ticker, f"Yahoo Finance could not be reached ({_network_words(exc)})")
    if isinstance(exc, YFDataException):
        return YahooError(ticker, _short(exc))
    if isinstance(exc, (ValueError, KeyError, TypeError, IndexError, AttributeError)):
        return MalformedResponse(ticker, f"unexpected answer from Yahoo ({type(exc).__name__}: {_short(exc)})")
    return YahooError(ticker, f"{type(exc).__name__}: {_short(exc)}")


def _network_words(exc: BaseException) -> str:
    if isinstance(exc, curl_errors.DNSError):
        return "host name not resolved"
    if isinstance(exc, (curl_errors.Timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, curl_errors.ConnectionError):
        return "no connection"
    return _short(exc, 80)


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fetch_facts(ticker: str) -> FundInfo:
    """Fund name and net expense ratio from ``Ticker.info``; missing fields are None."""
    _prepare()
    symbol = ticker.upper()
    t = yf.Ticker(symbol)
    try:
        info = t.info
    except Exception as exc:
        # ``info`` ends with a side request (PEG ratio) that may fail on its own;
        # what the main request already parsed is enough for name and fee.
        partial = getattr(getattr(t, "_quote", None), "_info", None)
        if not (isinstance(partial, dict) and partial):
            raise classify(symbol, exc) from exc
        log.info("%s: fund facts incomplete (%s)", symbol, exc)
        info = partial
    if not isinstance(info, dict):
        raise MalformedResponse(symbol, "fund facts are not a mapping")
    facts = parse_facts(symbol, info)
    if facts.name is None and facts.expense_ratio_pct is None:
        raise NoData(symbol, "Yahoo has no fund facts for this ticker")
    return facts


def parse_facts(ticker: str, info: dict) -> FundInfo:
    """Name and expense ratio (percent) from a yfinance ``info`` dict, tolerating missing or odd fields.

    Yahoo gives ``netExpenseRatio`` in percent (0.03 means 0.03 %) and the older
    ``annualReportExpenseRatio`` as a fraction (0.0003 means 0.03 %).
    """
    name = None
    for key in ("longName", "shortName"):
        value = info.get(key)
        if isinstance(value, str) and value.strip():
            name = " ".join(value.split())
            break
    ratio = _number(info.get("netExpenseRatio"))
    if ratio is None:
        fraction = _number(info.get("annualReportExpenseRatio"))
        ratio = None if fraction is None else fraction * 100.0
    if ratio is not None and not (0.0 <= ratio < 10.0):
        log.warning("%s: ignoring implausible expense ratio %r", ticker, ratio)
        ratio = None
    return FundInfo(ticker, name, ratio)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    f = float(value)
    return f if math.isfinite(f) else None
