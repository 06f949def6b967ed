"""Rates and risk for the Market Overview (pure): the 10-year and 3-month yields, their spread, the VIX,
and the small-cap ratio against the 10-year yield.

Each reading is dated (its last value on or before the window's end) and carries its change over one
month (the same calendar offset as ``metrics``' 1M, core/returns.py ``period_start``):

- ``^TNX`` (10-year) and ``^IRX`` (13-week bill): the level in percent, the 1M change in basis points
  (core/rates.py ``rate_summary``, the figures of ``rotation-desk metrics ^TNX``);
- the spread 10Y − 3M in basis points on the last date both have, and its 1M change;
- ``^VIX``: the index level and its 1M change in index points.

When a yield is not cached (the bundled snapshot holds no yields), its bond-fund proxy is read instead
and says so: IEF (7-10 year Treasuries) for the 10-year, SHY (1-3 year) for the 3-month, each as its
1M price return. A bond fund's price rises when yields fall: it is a proxy, not a yield, and there is
no spread without both yields.

``small_caps_vs_rates``: IWM/SPY (rebased to 100 at the window's first common close) with the 10-year
yield over the same window (or, without it, IEF's price rebased to 100, marked as the proxy).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rotation_desk.core.rates import BP_PER_PERCENT, rate_summary
from rotation_desk.core.returns import close_on_or_before, period_start

TEN_YEAR, THREE_MONTH, VIX = "^TNX", "^IRX", "^VIX"
PROXIES = {TEN_YEAR: ("IEF", "7–10 yr Treasury fund"), THREE_MONTH: ("SHY", "1–3 yr Treasury fund")}
RATE_TICKERS = (TEN_YEAR, THREE_MONTH, VIX, "IEF", "SHY", "IWM", "SPY")


@dataclass(frozen=True)
class Reading:
    key: str  # 10y | 3m | spread | vix
    label: str  # "10Y yield", "IEF (proxy)"
    ticker: str | None
    value: float | None  # percent (yield), bp (spread), index level (VIX), fraction (a proxy's 1M return)
    unit: str  # percent | bp | level | fraction
    date: pd.Timestamp | None
    change_1m: float | None  # bp (yield, spread), index points (VIX); None for a proxy (its value is the change)
    proxy: bool = False
    note: str = ""  # why there is no value, or what the proxy is


@dataclass(frozen=True)
class RatesStrip:
    readings: tuple[Reading, ...]
    yields_cached: bool  # both ^TNX and ^IRX

    def reading(self, key: str) -> Reading:
        return next(r for r in self.readings if r.key == key)

    @property
    def note(self) -> str:
        if self.yields_cached:
            return ""
        absent = [t for t in (TEN_YEAR, THREE_MONTH) if self.reading("10y" if t == TEN_YEAR else "3m").proxy]
        used = ", ".join(f"{PROXIES[t][0]} for {t}" for t in absent)
        return (
            f"{' and '.join(absent)} not cached (refresh them when online): "
            f"bond-fund proxies shown ({used}), their 1M price return, not a yield."
        )


def _levels(closes: pd.DataFrame, ticker: str, end) -> pd.Series | None:
    if ticker not in closes.columns:
        return None
    s = closes[ticker].loc[:end].dropna()
    return s if len(s) >= 2 else None


def _yield_reading(closes: pd.DataFrame, key: str, ticker: str, label: str, end) -> Reading:
    levels = _levels(closes, ticker, end)
    if levels is not None:
        s = rate_summary(ticker, levels, None, end)
        return Reading(key, label, ticker, s.level_end, "percent", s.end, s.changes_bp.get("1M"))
    proxy, words = PROXIES[ticker]
    prices = _levels(closes, proxy, end)
    if prices is None:
        return Reading(key, label, ticker, None, "percent", None, None, note=f"{ticker} not cached")
    last = prices.index[-1]
    base = close_on_or_before(prices, period_start(last, "1M", prices))
    value = None if base is None else float(prices.iloc[-1]) / base[1] - 1.0
    return Reading(
        key, f"{proxy} 1M (proxy)", proxy, value, "fraction", last, None, True, f"{words}: a price, not a yield"
    )


def _change_1m(series: pd.Series) -> float | None:
    last = series.index[-1]
    base = close_on_or_before(series, period_start(last, "1M", series))
    return None if base is None else float(series.iloc[-1]) - base[1]


def rates_strip(closes: pd.DataFrame, end=None) -> RatesStrip:
    """The four readings as of ``end`` (default: the last date in ``closes``)."""
    end = closes.index[-1] if end is None else pd.Timestamp(end)
    ten = _yield_reading(closes, "10y", TEN_YEAR, "10Y yield", end)
    three = _yield_reading(closes, "3m", THREE_MONTH, "3M yield", end)
    a, b = _levels(closes, TEN_YEAR, end), _levels(closes, THREE_MONTH, end)
    if a is not None and b is not None:
        spread = (a - b).dropna() * BP_PER_PERCENT
        spread_reading = Reading(
            "spread", "10Y − 3M", None, float(spread.iloc[-1]), "bp", spread.index[-1], _change_1m(spread)
        )
    else:
        spread_reading = Reading(
            "spread", "10Y − 3M", None, None, "bp", None, None, note="needs ^TNX and ^IRX (not cached)"
        )
    vix = _levels(closes, VIX, end)
    if vix is not None:
        vix_reading = Reading("vix", "VIX", VIX, float(vix.iloc[-1]), "level", vix.index[-1], _change_1m(vix))
    else:
        vix_reading = Reading("vix", "VIX", VIX, None, "level", None, None, note="^VIX not cached")
    cached = not ten.proxy and not three.proxy and ten.value is not None and three.value is not None
    return RatesStrip((ten, three, spread_reading, vix_reading), cached)


@dataclass(frozen=True)
class RatesChart:
    ratio: pd.Series  # IWM/SPY rebased to 100 at the first common close in the window
    rate: pd.Series  # ^TNX levels (percent) or, as a proxy, IEF rebased to 100
    rate_ticker: str
    proxy: bool


def small_caps_vs_rates(closes: pd.DataFrame, start, end) -> RatesChart | None:
    """None when IWM, SPY and both ^TNX and IEF are missing from the window."""
    if "IWM" not in closes.columns or "SPY" not in closes.columns:
        return None
    pair = closes[["IWM", "SPY"]].loc[:end].dropna()
    if start is not None and len(pair):
        base = pair.loc[:start]  # the last common close on or before the start, as every window return
        pair = pair.loc[base.index[-1] if len(base) else pair.index[0] :]
    if len(pair) < 2:
        return None
    ratio = pair["IWM"] / pair["SPY"]
    ratio = ratio / ratio.iloc[0] * 100.0
    a = ratio.index[0]
    levels = _levels(closes, TEN_YEAR, end)
    if levels is not None and len(levels.loc[a:]) >= 2:
        return RatesChart(ratio, levels.loc[a:], TEN_YEAR, False)
    ief = _levels(closes, "IEF", end)
    if ief is None or len(ief.loc[a:]) < 2:
        return RatesChart(ratio, pd.Series(dtype="float64"), TEN_YEAR, False)
    ief = ief.loc[a:]
    return RatesChart(ratio, ief / ief.iloc[0] * 100.0, "IEF", True)
