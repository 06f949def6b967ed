"""A plain historical DCA simulation for the DCA tab's first version (Qt-free).

Rules (kept deliberately simple and stated on screen): one contribution per
calendar month on the first session of the month, the first one on the
window's first session; each contribution is split by the allocation and
buys fractional shares at that session's adjusted close (dividends are
thereby reinvested); no fees. Sessions are the dates every ticker in the
allocation has a close. The full plan engine (anchors, step-up, whole
shares, fees, XIRR) lives in ``rotation_desk.core`` when available.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.errors import BadInput, DataUnavailable


@dataclass(frozen=True)
class DcaHistory:
    value: pd.Series  # account value on every session
    invested: pd.Series  # money put in so far, on every session
    buys: pd.DataFrame  # date, ticker, amount, price, shares
    holdings: pd.DataFrame  # ticker, target, shares, cost, value, gain, weight
    benchmark_value: pd.Series | None  # the same contributions into the benchmark

    @property
    def start(self) -> pd.Timestamp:
        return self.value.index[0]

    @property
    def end(self) -> pd.Timestamp:
        return self.value.index[-1]

    @property
    def contributions(self) -> int:
        return int(self.buys["date"].nunique()) if len(self.buys) else 0


def buy_dates(sessions: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The first session of each calendar month among ``sessions`` (the first session always buys)."""
    if len(sessions) == 0:
        return sessions
    months = sessions.to_period("M")
    first = ~pd.Series(months).duplicated().to_numpy()
    return sessions[first]


def simulate_dca(
    closes: pd.DataFrame,
    allocation: dict[str, float],
    contribution: float,
    start=None,
    end=None,
    benchmark: str | None = None,
) -> DcaHistory:
    """Monthly contributions split by ``allocation`` (percent, sums to 100) over [start, end]."""
    if contribution <= 0:
        raise BadInput("the monthly contribution must be more than zero")
    total = sum(allocation.values())
    if abs(total - 100.0) > 1e-6:
        raise BadInput(f"the allocation must sum to 100 % (it sums to {total:g} %)")
    tickers = [t for t, w in allocation.items() if w > 0]
    prices = closes[tickers].dropna()
    if start is not None:
        prices = prices.loc[pd.Timestamp(start) :]
    if end is not None:
        prices = prices.loc[: pd.Timestamp(end)]
    if len(prices) < 2:
        raise DataUnavailable(f"{', '.join(tickers)} have no common prices in this window")
    dates = buy_dates(prices.index)
    weights = np.array([allocation[t] / 100.0 for t in tickers])
    buy_prices = prices.loc[dates].to_numpy()
    shares_bought = contribution * weights / buy_prices  # rows: buy dates, cols: tickers
    bought = pd.DataFrame(shares_bought, index=dates, columns=tickers)
    shares = bought.reindex(prices.index, fill_value=0.0).cumsum()
    value = (shares * prices).sum(axis=1)
    invested = pd.Series(contribution, index=dates).reindex(prices.index, fill_value=0.0).cumsum()

    buys = pd.DataFrame(
        [
            {"date": d, "ticker": t, "amount": contribution * w, "price": p, "shares": s}
            for d, row_p, row_s in zip(dates, buy_prices, shares_bought)
            for t, w, p, s in zip(tickers, weights, row_p, row_s)
        ]
    )
    last = prices.iloc[-1]
    held = shares.iloc[-1]
    cost = buys.groupby("ticker")["amount"].sum()
    values = held * last
    holdings = pd.DataFrame(
        {
            "ticker": tickers,
            "target": [allocation[t] / 100.0 for t in tickers],
            "shares": [held[t] for t in tickers],
            "cost": [cost[t] for t in tickers],
            "value": [values[t] for t in tickers],
        }
    )
    holdings["gain"] = holdings["value"] - holdings["cost"]
    holdings["weight"] = holdings["value"] / holdings["value"].sum()

    bench_value = None
    if benchmark and benchmark in closes.columns:
        bench = closes[benchmark].reindex(prices.index).ffill()
        if bench.notna().all():
            bench_shares = (pd.Series(contribution, index=dates) / bench.loc[dates]).reindex(prices.index, fill_value=0.0)
            bench_value = bench_shares.cumsum() * bench
    return DcaHistory(value, invested, buys, holdings, bench_value)
