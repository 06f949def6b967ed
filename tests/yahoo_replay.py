"""Offline Yahoo Finance for tests: yfinance's real HTTP calls answered with recorded responses.

yfinance 1.7 sends all HTTP through ``curl_cffi.requests.Session`` (cookie and
crumb calls included), so replacing ``Session.request`` puts the whole of
yfinance — URL building, JSON parsing, time zones, adjustment — under test,
with no network. The replay answers:

- ``https://fc.yahoo.com`` (cookie), ``/v1/test/getcrumb`` (crumb) and the
  consent pages of yfinance's second cookie strategy;
- ``/v8/finance/chart/<T>``: chart JSON in Yahoo's shape (meta with currency,
  instrumentType, exchangeTimezoneName, …; one timestamp per session at the
  09:30 New York open; ``indicators.quote`` and ``indicators.adjclose``;
  ``events.dividends`` / ``events.splits``), honouring ``period1``/``period2``
  (``period1 <= t < period2``) and ``range``;
- ``/v10/finance/quoteSummary/<T>`` and ``/v7/finance/quote`` for ``Ticker.info``;
- unknown tickers as Yahoo does: HTTP 404 with its error JSON
  (``tests/fixtures/yahoo/chart-404-unknown-ticker.json``).

Where the prices come from (nothing is made up):

- ``adjclose`` is the repository's snapshot (``resources/snapshot.csv.xz``,
  real Yahoo adjusted closes of 88 ETFs to 2026-08-03).
- ``close``: after a fund's last ex-dividend date Yahoo's adjusted close *is*
  its close (whole cents, stored as float32), so ``close = adjclose`` there.
  Before that date the adjusted close is the close times one factor
  ``m = 1 - dividend / close(day before)``; ``recover_last_dividend`` finds the
  one ``m`` that puts those closes back on whole cents (to float32 precision,
  over 15 sessions: a chance match is ~1e-30), which gives the real ex-date,
  dividend and closes back to the previous ex-date. Older closes, and every
  open/high/low/volume, are unknown to the snapshot and sent as ``null`` —
  as Yahoo does for missing values.
- ``chart-*.json`` files under ``tests/fixtures/yahoo`` are recorded responses
  (``tools/record_yahoo.py``: online it saves Yahoo's real answers; offline,
  ``--from-snapshot`` rebuilds the committed ones with this module).

A recording can be viewed ``as_of`` an earlier date: rows after it are cut and
the dividends and splits after it are taken out of the adjustment, which is
exactly what Yahoo served on that day. That is how the tests stage a
re-adjustment: cache the 2026-06-24 view, then refresh against the final one.

Faults: ``fail(ticker, "rate_limit" | "malformed" | "server_error", times=n)``
answers that ticker's next n chart requests (forever if n is None) with HTTP
429 (Yahoo's "Too Many Requests" body), a truncated JSON body, or HTTP 500;
``offline = True`` makes every request raise curl_cffi's ConnectionError
("Couldn't connect to server", curl error 7), as a machine without network does.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "yahoo"
NEW_YORK = ZoneInfo("America/New_York")
CRUMB = "replayCrumb0"
VALID_RANGES = ["1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max"]
FLOAT32_REL = 1.2e-7  # two float32 ulps, relative
CENTS_ABS = 3e-5  # the snapshot keeps 6 decimals


# -- one ticker's recording ------------------------------------------------------------
@dataclass(frozen=True)
class Recording:
    """One ticker as Yahoo serves it on the last day of the recording."""

    ticker: str
    dates: pd.DatetimeIndex  # session dates (naive)
    adjclose: np.ndarray
    close: np.ndarray  # NaN -> null
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    volume: np.ndarray
    dividends: dict = field(default_factory=dict)  # Timestamp (ex-date) -> amount
    splits: dict = field(default_factory=dict)  # Timestamp -> (numerator, denominator)
    name: str | None = None
    expense_ratio_pct: float | None = None
    currency: str = "USD"
    instrument_type: str = "ETF"
    # Where and when it trades (Yahoo's meta): the exchange's time zone, the regular session's local open and
    # close, the local time of each daily bar's timestamp (Yahoo: the open for a US fund, midnight for FX and
    # crypto), and ``live``: the UTC instant of the last trade when the last bar is today's, unfinished one.
    timezone: str = "America/New_York"
    exchange: str = "PCX"
    session: tuple = ((9, 30), (16, 0))
    bar_time: tuple | None = None  # None: the session's open
    live: pd.Timestamp | None = None
    fixture_note: str | None = None  # "_fixture" at the top of the JSON: what in the file is synthetic

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def __len__(self) -> int:
        return len(self.dates)

    def as_of(self, day) -> Recording:
        """What Yahoo served at the close of ``day``: later rows cut, later dividends/splits unapplied."""
        if day is None:
            return self
        day = pd.Timestamp(day)
        keep = self.dates <= day
        factor = 1.0  # adjustment factors of events after ``day``
        price_factor = 1.0  # splits after ``day`` (Yahoo's close is split-adjusted)
        for ex, amount in self.dividends.items():
            if ex > day:
                prev = self.dates[self.dates < ex]
                close_prev = self.close[len(prev) - 1] if len(prev) else math.nan
                if not np.isfinite(close_prev):
                    raise ValueError(f"{self.ticker}: close before the {ex.date()} dividend is unknown")
                factor *= 1.0 - amount / close_prev
        for ex, (num, den) in self.splits.items():
            if ex > day:
                price_factor *= num / den
        return replace(
            self,
            dates=self.dates[keep],
            adjclose=self.adjclose[keep] / factor * price_factor,
            close=self.close[keep] * price_factor,
            open=self.open[keep] * price_factor,
            high=self.high[keep] * price_factor,
            low=self.low[keep] * price_factor,
            volume=self.volume[keep] / price_factor,
            dividends={k: v * price_factor for k, v in self.dividends.items() if k <= day},
            splits={k: v for k, v in self.splits.items() if k <= day},
        )

    def frame(self) -> pd.DataFrame:
        """The rows, in the store's column names (for assertions)."""
        out = pd.DataFrame(
            {
                "open": self.open,
                "high": self.high,
                "low": self.low,
                "close": self.close,
                "adj_close": self.adjclose,
                "volume": self.volume,
            },
            index=pd.DatetimeIndex(self.dates, name="date"),
        )
        out["dividend"] = pd.Series(self.dividends, dtype="float64").reindex(out.index).fillna(0.0)
        return out


@dataclass(frozen=True)
class Dividend:
    ex: pd.Timestamp
    amount: float
    factor: float  # Yahoo's adjustment factor for it: 1 - amount / close(day before)
    first: int  # index of the first session whose close it recovers (back to the previous ex-date)
    worst: float  # largest distance of a recovered close from whole cents


def _cents_error(x: np.ndarray) -> np.ndarray:
    return np.abs(x - np.round(x, 2))


def _cents_tolerance(x: np.ndarray) -> np.ndarray:
    return np.maximum(CENTS_ABS, FLOAT32_REL * np.abs(x))


def recover_last_dividend(adj: pd.Series, window: int = 15, max_yield: float = 0.15) -> Dividend | None:
    """The last dividend and its adjustment factor, read off Yahoo's adjusted closes.

    After the last ex-date the adjusted closes are whole cents; on the session
    before, they are ``close * m``. Every close in whole cents ``c`` near that
    session's adjusted close gives a candidate ``m``; the right one brings the
    ``window`` sessions before the ex-date back to whole cents as well. None if
    there is no such tail of whole cents or no unique candidate.
    """
    values = adj.to_numpy(dtype="float64")
    whole = _cents_error(values) < _cents_tolerance(values)
    i = len(values) - 1
    while i >= 0 and whole[i]:
        i -= 1
    if i < window - 1 or i == len(values) - 1:
        return None
    w = values[i - window + 1 : i + 1]
    last = w[-1]
    cents = np.arange(math.ceil(last * 100), math.floor(last / (1 - max_yield) * 100) + 1) / 100.0
    factors = last / cents
    restored = w[None, :] / factors[:, None]
    worst = (_cents_error(restored) / _cents_tolerance(restored)).max(axis=1)
    good = np.flatnonzero(worst < 1.0)
    if len(good) != 1:
        return None
    j = int(good[0])
    m = float(factors[j])
    # walk back while the restored closes stay whole cents: that is the span back to the previous ex-date
    k = i
    while k >= 0:
        c = values[k] / m
        if _cents_error(np.array([c]))[0] >= _cents_tolerance(np.array([c]))[0]:
            break
        k -= 1
    amount = round(float(cents[j]) * (1 - m), 6)
    return Dividend(pd.Timestamp(adj.index[i + 1]), amount, m, k + 1, float(_cents_error(restored[j]).max()))


def from_adjusted(
    ticker: str, adj: pd.Series, name: str | None = None, expense_ratio_pct: float | None = None
) -> Recording:
    """A recording from real adjusted closes (see the module doc for how ``close`` is recovered)."""
    adj = adj.dropna().sort_index()
    values = adj.to_numpy(dtype="float64")
    n = len(values)
    close = np.full(n, np.nan)
    whole = _cents_error(values) < _cents_tolerance(values)
    i = n - 1
    while i >= 0 and whole[i]:
        close[i] = values[i]  # after the last ex-date: adjusted close == close
        i -= 1
    dividends = {}
    div = recover_last_dividend(adj)
    if div is not None:
        span = slice(div.first, len(adj.index[adj.index < div.ex]))
        close[span] = np.round(values[span] / div.factor, 2)
        dividends[div.ex] = div.amount
    nan = np.full(n, np.nan)
    return Recording(
        ticker=ticker.upper(),
        dates=pd.DatetimeIndex(adj.index).as_unit("ns"),
        adjclose=values,
        close=close,
        open=nan,
        high=nan.copy(),
        low=nan.copy(),
        volume=nan.copy(),
        dividends=dividends,
        name=name,
        expense_ratio_pct=expense_ratio_pct,
    )


@lru_cache(maxsize=1)
def _snapshot_frame() -> pd.DataFrame:
    from rotation_desk.data.snapshot import load_snapshot

    long = load_snapshot()
    return long.pivot(index="date", columns="ticker", values="adj_close").sort_index()


@cache
def snapshot_recording(ticker: str) -> Recording:
    """The recording of one snapshot ticker (cached; recordings are immutable)."""
    from rotation_desk.data.facts import load_bundled_facts

    wide = _snapshot_frame()
    facts = load_bundled_facts().get(ticker.upper())
    return from_adjusted(
        ticker, wide[ticker.upper()], facts.name if facts else None, facts.expense_ratio_pct if facts else None
    )


def snapshot_tickers() -> list[str]:
    return list(_snapshot_frame().columns)


def load_chart_file(path: Path) -> Recording:
    """A recorded ``/v8/finance/chart`` response (a fixture file) as a recording."""
    data = json.loads(Path(path).read_text())
    result = data["chart"]["result"][0]
    meta = result["meta"]
    ts = pd.to_datetime(np.asarray(result.get("timestamp", []), dtype="int64"), unit="s", utc=True)
    dates = pd.DatetimeIndex(ts.tz_convert(meta["exchangeTimezoneName"]).date).as_unit("ns")
    quote = result["indicators"]["quote"][0]

    def arr(values):
        return np.array([math.nan if v is None else float(v) for v in values], dtype="float64")

    adj = arr(result["indicators"]["adjclose"][0]["adjclose"])
    events = result.get("events", {})

    zone = ZoneInfo(meta["exchangeTimezoneName"])

    def day(t):
        return pd.Timestamp(datetime.fromtimestamp(int(t), zone).date())

    regular = meta.get("currentTradingPeriod", {}).get("regular")
    session = ((9, 30), (16, 0))
    if regular:
        a, b = (datetime.fromtimestamp(int(regular[k]), zone) for k in ("start", "end"))
        session = ((a.hour, a.minute), (b.hour, b.minute))
    bar_time = live = None
    if len(ts):
        first_local = ts[0].tz_convert(zone)
        bar_time = (first_local.hour, first_local.minute)
        last_local = ts[-1].tz_convert(zone)
        if (last_local.hour, last_local.minute) != bar_time:
            live = ts[-1].tz_convert("UTC")
    return Recording(
        ticker=meta["symbol"],
        dates=dates,
        adjclose=adj,
        close=arr(quote["close"]),
        open=arr(quote["open"]),
        high=arr(quote["high"]),
        low=arr(quote["low"]),
        volume=arr(quote["volume"]),
        dividends={day(v["date"]): float(v["amount"]) for v in events.get("dividends", {}).values()},
        splits={day(v["date"]): (v["numerator"], v["denominator"]) for v in events.get("splits", {}).values()},
        name=meta.get("longName"),
        currency=meta.get("currency", "USD"),
        instrument_type=meta.get("instrumentType", "ETF"),
        timezone=meta["exchangeTimezoneName"],
        exchange=meta.get("exchangeName", "PCX"),
        session=session,
        bar_time=None if bar_time == session[0] else bar_time,
        live=live,
        fixture_note=data.get("_fixture"),
    )


# -- Yahoo's JSON ------------------------------------------------------------------------
def _open_ts(dates: pd.DatetimeIndex, hour: int = 9, minute: int = 30, zone: ZoneInfo = NEW_YORK) -> np.ndarray:
    """Unix seconds of each session's 09:30 New York open (or ``hour:minute`` in ``zone``)."""
    local = (pd.DatetimeIndex(dates) + pd.Timedelta(hours=hour, minutes=minute)).tz_localize(zone)
    return (local.as_unit("s").asi8).astype("int64")


def bar_ts(rec: Recording, dates: pd.DatetimeIndex | None = None) -> np.ndarray:
    """Unix seconds of each daily bar as Yahoo stamps it: the bar time in the exchange's zone; the live
    instant for today's unfinished bar."""
    dates = rec.dates if dates is None else dates
    hour, minute = rec.bar_time or rec.session[0]
    ts = _open_ts(dates, hour, minute, rec.zone)
    if rec.live is not None and len(dates) and len(rec.dates) and dates[-1] == rec.dates[-1]:
        ts = ts.copy()
        ts[-1] = int(pd.Timestamp(rec.live).timestamp())
    return ts


def _json_list(values: np.ndarray, volume: bool = False) -> list:
    if volume:
        return [None if not np.isfinite(v) else int(v) for v in values]
    return [None if not np.isfinite(v) else float(v) for v in values]


def _period(day: pd.Timestamp, name: str, zone: ZoneInfo = NEW_YORK, session=((9, 30), (16, 0))) -> dict:
    (oh, om), (ch, cm) = session
    if zone == NEW_YORK and session == ((9, 30), (16, 0)):
        hours = {"pre": ((4, 0), (9, 30)), "regular": ((9, 30), (16, 0)), "post": ((16, 0), (20, 0))}[name]
    else:  # elsewhere: an hour before and after the regular session (clipped to the day)
        hours = {
            "pre": ((max(oh - 1, 0), om if oh else 0), (oh, om)),
            "regular": ((oh, om), (ch, cm)),
            "post": ((ch, cm), (min(ch + 1, 23), cm if ch < 23 else 59)),
        }[name]
    start, end = (datetime(day.year, day.month, day.day, h, m, tzinfo=zone) for h, m in hours)
    return {
        "timezone": start.tzname(),
        "start": int(start.timestamp()),
        "end": int(end.timestamp()),
        "gmtoffset": int(start.utcoffset().total_seconds()),
    }


def _previous_close(rec: Recording, rows) -> float | None:
    """The close of the session before the first one sent, when known (Yahoo's chartPreviousClose)."""
    idx = np.arange(len(rec))[rows]
    if len(idx) == 0 or idx[0] == 0 or not np.isfinite(rec.close[idx[0] - 1]):
        return None
    return float(rec.close[idx[0] - 1])


def chart_payload(rec: Recording, rows: slice | np.ndarray, range_: str = "") -> dict:
    """Yahoo's ``/v8/finance/chart`` JSON for the selected rows of a recording."""
    dates = rec.dates[rows]
    ts = bar_ts(rec, dates)
    last = rec.dates[-1] if len(rec.dates) else pd.Timestamp("2026-08-03")
    regular = _period(last, "regular", rec.zone, rec.session)
    meta = {
        "currency": rec.currency,
        "symbol": rec.ticker,
        "exchangeName": rec.exchange,
        "fullExchangeName": rec.exchange,
        "instrumentType": rec.instrument_type,
        "firstTradeDate": int(bar_ts(rec, rec.dates[:1])[0]) if len(rec.dates) else None,
        "regularMarketTime": int(pd.Timestamp(rec.live).timestamp()) if rec.live is not None else regular["end"],
        "hasPrePostMarketData": True,
        "gmtoffset": regular["gmtoffset"],
        "timezone": regular["timezone"],
        "exchangeTimezoneName": rec.timezone,
        "regularMarketPrice": float(rec.adjclose[-1]) if len(rec) else None,
        "longName": rec.name,
        "shortName": rec.name,
        "chartPreviousClose": _previous_close(rec, rows),
        "priceHint": 2,
        "currentTradingPeriod": {
            name: _period(last, name, rec.zone, rec.session) for name in ("pre", "regular", "post")
        },
        "dataGranularity": "1d",
        "range": range_,
        "validRanges": VALID_RANGES,
    }
    result: dict = {"meta": meta}
    if len(ts):
        first, end = pd.Timestamp(dates[0]), pd.Timestamp(dates[-1])
        result["timestamp"] = [int(t) for t in ts]
        events = {}
        divs = {k: v for k, v in rec.dividends.items() if first <= k <= end}
        if divs:
            events["dividends"] = {
                str(int(bar_ts(rec, pd.DatetimeIndex([k]))[0])): {
                    "amount": v,
                    "date": int(bar_ts(rec, pd.DatetimeIndex([k]))[0]),
                }
                for k, v in sorted(divs.items())
            }
        splits = {k: v for k, v in rec.splits.items() if first <= k <= end}
        if splits:
            events["splits"] = {
                str(int(bar_ts(rec, pd.DatetimeIndex([k]))[0])): {
                    "date": int(bar_ts(rec, pd.DatetimeIndex([k]))[0]),
                    "numerator": num,
                    "denominator": den,
                    "splitRatio": f"{num}:{den}",
                }
                for k, (num, den) in sorted(splits.items())
            }
        if events:
            result["events"] = events
        result["indicators"] = {
            "quote": [
                {
                    "open": _json_list(rec.open[rows]),
                    "high": _json_list(rec.high[rows]),
                    "low": _json_list(rec.low[rows]),
                    "volume": _json_list(rec.volume[rows], volume=True),
                    "close": _json_list(rec.close[rows]),
                }
            ],
            "adjclose": [{"adjclose": _json_list(rec.adjclose[rows])}],
        }
    else:
        result["indicators"] = {"quote": [{}], "adjclose": [{}]}
    payload = {"chart": {"result": [result], "error": None}}
    return {"_fixture": rec.fixture_note, **payload} if rec.fixture_note else payload


def chart_rows(rec: Recording, params: dict) -> np.ndarray:
    """Which rows Yahoo sends for these query parameters."""
    ts = bar_ts(rec)
    if "period1" in params or "period2" in params:
        lo = int(params.get("period1", 0))
        hi = int(params.get("period2", 2**62))
        return np.flatnonzero((ts >= lo) & (ts < hi))
    span = params.get("range", "1mo")
    if span == "max" or len(ts) == 0:
        return np.arange(len(ts))
    if span == "1d":
        return np.arange(len(ts) - 1, len(ts))
    if span == "ytd":
        return np.flatnonzero(rec.dates >= pd.Timestamp(rec.dates[-1].year, 1, 1))
    offsets = {
        "5d": pd.Timedelta(days=7),
        "1mo": pd.DateOffset(months=1),
        "3mo": pd.DateOffset(months=3),
        "6mo": pd.DateOffset(months=6),
        "1y": pd.DateOffset(years=1),
        "2y": pd.DateOffset(years=2),
        "5y": pd.DateOffset(years=5),
        "10y": pd.DateOffset(years=10),
    }
    return np.flatnonzero(rec.dates > rec.dates[-1] - offsets[span])


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


# -- the replay --------------------------------------------------------------------------
@dataclass
class Call:
    method: str
    host: str
    path: str
    params: dict
    status: int | None = None  # None: raised (offline)
    rows: int = 0  # chart rows sent

    @property
    def ticker(self) -> str | None:
        parts = self.path.rstrip("/").split("/")
        if self.path.startswith(("/v8/finance/chart/", "/v10/finance/quoteSummary/")):
            return parts[-1].upper()
        return None

    @property
    def is_chart(self) -> bool:
        return self.path.startswith("/v8/finance/chart/")

    @property
    def start(self) -> pd.Timestamp | None:
        """period1 as a New York date (None for a ``range`` request)."""
        if "period1" not in self.params:
            return None
        return pd.Timestamp(datetime.fromtimestamp(int(self.params["period1"]), NEW_YORK).date())


class YahooReplay:
    """Answers yfinance's HTTP from recordings; see the module doc."""

    def __init__(self, recordings: Iterable[Recording] = (), snapshot: bool = True):
        self.snapshot = snapshot  # unknown tickers fall back to the snapshot's recording
        self.recordings: dict[str, Recording] = {r.ticker: r for r in recordings}
        self.as_of_day: pd.Timestamp | None = None
        self.calls: list[Call] = []
        self.unexpected: list[Call] = []
        self.offline = False
        self._faults: dict[str, list] = {}

    # -- set-up ------------------------------------------------------------------------
    def add(self, rec: Recording) -> YahooReplay:
        self.recordings[rec.ticker] = rec
        return self

    def as_of(self, day) -> YahooReplay:
        """Serve every ticker as Yahoo did at the close of ``day`` (None: the whole recording)."""
        self.as_of_day = None if day is None else pd.Timestamp(day)
        return self

    def fail(self, ticker: str, kind: str, times: int | None = None) -> YahooReplay:
        assert kind in ("rate_limit", "malformed", "server_error"), kind
        self._faults[ticker.upper()] = [kind, times]
        return self

    def recording(self, ticker: str) -> Recording | None:
        ticker = ticker.upper()
        rec = self.recordings.get(ticker)
        if rec is None and self.snapshot and ticker in _snapshot_frame().columns:
            rec = snapshot_recording(ticker)
        return None if rec is None else rec.as_of(self.as_of_day)

    def install(self, monkeypatch, cache_dir: Path) -> YahooReplay:
        """Patch curl_cffi (undone by pytest's monkeypatch) and reset yfinance's process-wide state."""
        import curl_cffi.requests

        reset_yfinance(cache_dir)
        monkeypatch.setattr(curl_cffi.requests.Session, "request", self._request_method())
        return self

    @contextlib.contextmanager
    def running(self, cache_dir: Path):
        """The same as ``install`` without pytest (for the benchmarks)."""
        import curl_cffi.requests

        reset_yfinance(cache_dir)
        original = curl_cffi.requests.Session.request
        curl_cffi.requests.Session.request = self._request_method()
        try:
            yield self
        finally:
            curl_cffi.requests.Session.request = original

    def _request_method(self):
        replay = self

        def request(session, method, url, params=None, **kwargs):
            return replay.handle(method, url, params, session)

        return request

    # -- queries -----------------------------------------------------------------------
    def chart_calls(self, ticker: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.is_chart and (ticker is None or c.ticker == ticker.upper())]

    def history_calls(self, ticker: str | None = None) -> list[Call]:
        """Chart calls that asked for a date window (not yfinance's 1-day time-zone probe)."""
        return [c for c in self.chart_calls(ticker) if "period1" in c.params]

    def rows_sent(self, ticker: str | None = None) -> int:
        return sum(c.rows for c in self.chart_calls(ticker))

    # -- answering ---------------------------------------------------------------------
    def handle(self, method: str, url: str, params, session=None) -> object:
        from curl_cffi.requests.exceptions import ConnectionError as CurlConnectionError

        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        if params:
            query.update({k: v for k, v in dict(params).items() if v is not None})
        call = Call(method.upper(), parts.hostname or "", parts.path, query)
        self.calls.append(call)
        if self.offline:
            raise CurlConnectionError(
                f"Failed to perform, curl: (7) Failed to connect to {call.host} port 443 after 0 ms: "
                "Couldn't connect to server.",
                7,
            )
        status, body, ctype = self._answer(call)
        call.status = status
        if call.host == "fc.yahoo.com" and session is not None:
            session.cookies.jar.set_cookie(_a3_cookie())  # Yahoo's consent cookie; yfinance caches it
        return _response(url, status, body, ctype)

    def _answer(self, call: Call) -> tuple[int, bytes, str]:
        host, path = call.host, call.path
        if host == "fc.yahoo.com":
            return 404, b"", "text/html"
        if path.endswith("/v1/test/getcrumb"):
            return 200, CRUMB.encode(), "text/plain;charset=utf-8"
        if host.endswith("consent.yahoo.com") or host == "guce.yahoo.com":
            return 200, b"<html><body><p>consent</p></body></html>", "text/html"
        if call.is_chart:
            return self._chart(call)
        if path.startswith("/v10/finance/quoteSummary/"):
            return self._quote_summary(call)
        if path.startswith("/v7/finance/quote"):
            return self._quote(call)
        if path.startswith("/ws/fundamentals-timeseries/"):
            symbol = call.params.get("symbol", path.rsplit("/", 1)[-1]).upper()
            body = fixture_text("timeseries-VBR-trailingPegRatio.json").replace("VBR", symbol)
            return 200, body.encode(), "application/json;charset=utf-8"
        self.unexpected.append(call)
        return (
            404,
            b'{"finance":{"result":null,"error":{"code":"Not Found","description":"HTTP 404 Not Found"}}}',
            "application/json;charset=utf-8",
        )

    def _fault(self, ticker: str) -> str | None:
        fault = self._faults.get(ticker)
        if fault is None:
            return None
        kind, times = fault
        if times is not None:
            if times <= 0:
                return None
            fault[1] = times - 1
        return kind

    def _chart(self, call: Call) -> tuple[int, bytes, str]:
        assert call.params.get("interval", "1d") == "1d", call.params
        ticker = call.ticker
        fault = self._fault(ticker)
        if fault == "rate_limit":
            return 429, fixture_text("http-429-body.txt").encode(), "text/html;charset=utf-8"
        if fault == "server_error":
            return 500, b"<html><body>Internal Server Error</body></html>", "text/html"
        rec = self.recording(ticker)
        if rec is None:
            return 404, fixture_text("chart-404-unknown-ticker.json").encode(), "application/json;charset=utf-8"
        rows = chart_rows(rec, call.params)
        body = json.dumps(chart_payload(rec, rows, call.params.get("range", "")), separators=(",", ":")).encode()
        call.rows = len(rows)
        if fault == "malformed":
            return 200, body[: len(body) // 2], "application/json;charset=utf-8"
        return 200, body, "application/json;charset=utf-8"

    def _quote_summary(self, call: Call) -> tuple[int, bytes, str]:
        rec = self.recording(call.ticker)
        if rec is None:
            body = fixture_text("quoteSummary-404-unknown-ticker.json").replace("NOPE", call.ticker)
            return 404, body.encode(), "application/json;charset=utf-8"
        payload = json.loads(fixture_text("quoteSummary-VBR.json"))
        result = payload["quoteSummary"]["result"][0]
        result["quoteType"].update(symbol=rec.ticker, longName=rec.name, shortName=rec.name)
        return 200, json.dumps(payload).encode(), "application/json;charset=utf-8"

    def _quote(self, call: Call) -> tuple[int, bytes, str]:
        symbols = [s for s in call.params.get("symbols", "").split(",") if s]
        results = []
        for symbol in symbols:
            rec = self.recording(symbol)
            if rec is None:
                continue
            item = json.loads(fixture_text("quote-VBR.json"))["quoteResponse"]["result"][0]
            item.update(
                symbol=rec.ticker,
                longName=rec.name,
                shortName=rec.name,
                netExpenseRatio=rec.expense_ratio_pct,
                regularMarketPrice=float(rec.adjclose[-1]),
            )
            if rec.expense_ratio_pct is None:
                item.pop("netExpenseRatio")
            results.append(item)
        return (
            200,
            json.dumps({"quoteResponse": {"result": results, "error": None}}).encode(),
            "application/json;charset=utf-8",
        )


def _response(url: str, status: int, body: bytes, ctype: str):
    from curl_cffi.requests import Response

    r = Response()
    r.url = url
    r.status_code = status
    r.reason = {200: "OK", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error"}.get(status, "")
    r.ok = 200 <= status < 400
    r.content = body
    r.headers["Content-Type"] = ctype
    return r


def _a3_cookie():
    from http.cookiejar import Cookie

    expires = int(datetime.now().timestamp()) + 365 * 86400
    return Cookie(
        0,
        "A3",
        "d=replay&S=replay",
        None,
        False,
        ".yahoo.com",
        True,
        True,
        "/",
        True,
        True,
        expires,
        False,
        None,
        None,
        {"HttpOnly": None, "SameSite": "None"},
    )


def reset_yfinance(cache_dir: Path) -> None:
    """Forget yfinance's process-wide state: the YfData singleton (session, cookie, crumb),
    the cached GETs, its time-zone/cookie caches (pointed at ``cache_dir``), the info-fallback counter."""
    import yfinance as yf
    import yfinance.base
    import yfinance.cache
    from yfinance.data import SingletonMeta, YfData

    from rotation_desk.data import yahoo

    YfData.cache_get.cache_clear()
    SingletonMeta._instances.pop(YfData, None)
    yfinance.cache._TzCacheManager._tz_cache = None
    yfinance.cache._CookieCacheManager._Cookie_cache = None
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    yf.set_tz_cache_location(str(cache_dir))
    yfinance.base._tz_info_fetch_ctr = 0
    yahoo._cache_dir = None  # let the next refresh point yfinance at its own data dir
