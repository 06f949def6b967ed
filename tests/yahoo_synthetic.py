"""Synthetic Yahoo chart responses for the instrument types the snapshot has no real series of.

The repository's real data (../shared/data) holds only US ETFs. For an index,
a yield, a foreign listing, a currency pair, crypto and a mutual fund there is
no real series here, so these responses are **test fixtures with made-up
values**: the JSON has exactly Yahoo's ``/v8/finance/chart`` structure (meta
with the type's ``instrumentType``, ``currency``, ``exchangeName`` and
``exchangeTimezoneName``; bars stamped as Yahoo stamps that type; volume 0
where Yahoo sends 0), and the values are a seeded random walk. Each file says
so in its top-level ``_fixture`` key (yfinance ignores unknown keys). They
are HTTP fixtures, never app data.

``tools/record_yahoo.py synthetic`` writes them to tests/fixtures/yahoo/; a
test rebuilds them and checks the committed files are byte for byte these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from yahoo_replay import FIXTURES, Recording, chart_payload

from rotation_desk.core import calendars

START, END = "2025-01-02", "2026-08-03"
NOTE = (
    "SYNTHETIC TEST FIXTURE: Yahoo's chart JSON structure for a {what}; every price in it is made up "
    "(seeded random walk, tests/yahoo_synthetic.py), not market data."
)


@dataclass(frozen=True)
class Spec:
    ticker: str
    what: str
    instrument_type: str
    currency: str
    exchange: str
    timezone: str
    calendar: str
    session: tuple
    bar_time: tuple | None
    level: float  # first value
    daily: float  # stdev of the daily log return (or of the daily change for a yield, percentage points)
    seed: int
    volume: float | None = 0.0  # None: a real-looking volume (crypto, FX has 0)
    rate: bool = False
    null_rows: tuple = ()  # dates whose bar Yahoo sends as all nulls
    dividend: tuple | None = None  # (ex-date, amount) in the quoted currency


SPECS = {
    s.ticker: s
    for s in (
        Spec("^RUT", "price index (Russell 2000)", "INDEX", "USD", "WCB", "America/New_York", "XNYS",
             ((9, 30), (16, 0)), None, 2250.0, 0.013, 14),
        Spec("^VIX", "volatility index (VIX)", "INDEX", "USD", "CGI", "America/New_York", "XNYS",
             ((9, 30), (16, 15)), None, 16.0, 0.06, 15),
        Spec("^TNX", "yield index (10-year Treasury, percent)", "INDEX", "USD", "CGI", "America/New_York", "XNYS",
             ((9, 30), (16, 0)), None, 4.40, 0.05, 16, rate=True),
        Spec("^IRX", "yield index (13-week Treasury bill, percent)", "INDEX", "USD", "CGI", "America/New_York",
             "XNYS", ((9, 30), (16, 0)), None, 4.30, 0.02, 17, rate=True),
        Spec("VWRL.L", "foreign listing (London, priced in pence)", "ETF", "GBp", "LSE", "Europe/London", "XLON",
             ((8, 0), (16, 30)), None, 11200.0, 0.008, 18, volume=None, dividend=("2026-03-12", 42.5)),
        Spec("GBPUSD=X", "currency pair (US dollars per pound)", "CURRENCY", "USD", "CCY", "Europe/London", "24/5",
             ((0, 0), (23, 59)), (0, 0), 1.27, 0.005, 19),
        Spec("EURUSD=X", "currency pair (US dollars per euro)", "CURRENCY", "USD", "CCY", "Europe/London", "24/5",
             ((0, 0), (23, 59)), (0, 0), 1.04, 0.005, 20),
        Spec("BTC-USD", "cryptocurrency (trades every day)", "CRYPTOCURRENCY", "USD", "CCC", "UTC", "24/7",
             ((0, 0), (23, 59)), (0, 0), 94000.0, 0.03, 21, volume=None),
        Spec("VSIAX", "mutual fund (a daily net asset value)", "MUTUALFUND", "USD", "NAS", "America/New_York",
             "XNYS", ((9, 30), (16, 0)), None, 88.0, 0.012, 22, null_rows=("2025-07-03",)),
    )
}  # fmt: skip


def file_name(ticker: str) -> str:
    return f"chart-{ticker.replace('^', 'index-').replace('=', '-')}-synthetic.json"


def recording(spec: Spec) -> Recording:
    dates = calendars.sessions(spec.calendar, START, END)
    rng = np.random.default_rng(spec.seed)
    steps = rng.normal(0.0, spec.daily, len(dates))
    steps[0] = 0.0
    if spec.rate:
        close = np.round(np.maximum(spec.level + np.cumsum(steps), 0.05), 3)
    else:
        close = np.round(spec.level * np.exp(np.cumsum(steps)), 2 if spec.level > 2 else 4)
    spread = np.abs(rng.normal(0.0, spec.daily / 2, len(dates)))
    high = np.round(close * (1 + spread), 4)
    low = np.round(close * (1 - spread), 4)
    opened = np.r_[close[0], close[:-1]]
    if spec.volume is None:
        volume = np.round(rng.lognormal(13, 0.4, len(dates)))
    else:
        volume = np.full(len(dates), spec.volume)
    adj = close.copy()
    dividends = {}
    if spec.dividend is not None:
        ex = pd.Timestamp(spec.dividend[0])
        before = dates < ex
        prev = close[np.flatnonzero(before)[-1]]
        factor = 1 - spec.dividend[1] / prev
        adj = np.where(before, np.round(close * factor, 4), close)
        dividends[ex] = spec.dividend[1]
    for day in spec.null_rows:
        i = dates.get_loc(pd.Timestamp(day))
        for arr in (close, adj, high, low, opened, volume):
            arr[i] = np.nan
    return Recording(
        ticker=spec.ticker,
        dates=pd.DatetimeIndex(dates).as_unit("ns"),
        adjclose=adj,
        close=close,
        open=opened,
        high=high,
        low=low,
        volume=volume,
        dividends=dividends,
        name=f"{spec.ticker} (synthetic test fixture)",
        currency=spec.currency,
        instrument_type=spec.instrument_type,
        timezone=spec.timezone,
        exchange=spec.exchange,
        session=spec.session,
        bar_time=spec.bar_time,
        fixture_note=NOTE.format(what=spec.what),
    )


def fixture_text(ticker: str) -> str:
    rec = recording(SPECS[ticker])
    return json.dumps(chart_payload(rec, np.arange(len(rec))), separators=(",", ":")) + "\n"


def write_all(out: Path = FIXTURES) -> list[Path]:
    paths = []
    for ticker in SPECS:
        path = Path(out) / file_name(ticker)
        path.write_text(fixture_text(ticker))
        paths.append(path)
    return paths
