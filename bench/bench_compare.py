"""Issue 7 figures: the ETF Comparison recompute for 12 tickers over 20 years, next to empyrical-reloaded.

"Ours" is everything the tab shows, computed by ``build_comparison`` (the
metrics rows of ``rotation-desk metrics``, growth, drawdown, rolling 1-year
return and volatility, calendar years, correlation matrix, fees). The peer
computes the measures empyrical has on the same 13 series (12 funds and the
benchmark) in the same run; the values are compared, not only the times.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import best_of, row
from rotation_desk.core.capture import monthly_returns
from rotation_desk.core.comparison_charts import build_comparison, rolling_series
from rotation_desk.core.correlation import correlation_matrix
from rotation_desk.core.metrics import window_prices
from rotation_desk.core.returns import daily_returns
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths

FUNDS = ["DIA", "QQQ", "IWM", "XLB", "XLE", "XLF", "XLI", "XLK", "XLP", "XLU", "XLV", "XLY"]
BENCH = "SPY"
YEARS = 20


def _window(closes: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    end = closes[FUNDS + [BENCH]].dropna().index[-1]
    return end - pd.DateOffset(years=YEARS), end


def empyrical_bundle(closes: pd.DataFrame, funds, bench: str, start, end) -> dict:
    """What empyrical (and plain pandas for the series it lacks) gives for the same window."""
    import empyrical

    series = {t: window_prices(closes[t], start, end) for t in [*funds, bench]}
    rets = {t: daily_returns(s) for t, s in series.items()}
    rb = rets[bench]
    mb = monthly_returns(series[bench])
    out = {}
    for t, r in rets.items():
        both = pd.concat([r, rb], axis=1, join="inner").dropna()
        monthly = pd.concat([monthly_returns(series[t]), mb], axis=1, join="inner").dropna()
        out[t] = {
            "total_return": empyrical.cum_returns_final(r),
            "volatility": empyrical.annual_volatility(r),
            "sharpe": empyrical.sharpe_ratio(r),
            "sortino": empyrical.sortino_ratio(r),
            "max_drawdown": empyrical.max_drawdown(r),
            "beta": empyrical.beta(both.iloc[:, 0], both.iloc[:, 1]),
            "up_capture": empyrical.up_capture(monthly.iloc[:, 0], monthly.iloc[:, 1], period="monthly"),
            "down_capture": empyrical.down_capture(monthly.iloc[:, 0], monthly.iloc[:, 1], period="monthly"),
            "years": empyrical.aggregate_returns(r, "yearly"),
            "growth": empyrical.cum_returns(r, starting_value=10_000.0),
            "rolling_vol": empyrical.roll_annual_volatility(r, 252),
        }
    return out


def worst_bundle_gap(data, ref: dict) -> float:
    """The largest relative difference between our comparison and empyrical's figures."""
    worst = 0.0
    for r in data.rows:
        expected = ref[r["ticker"]]
        for key in (
            "total_return",
            "volatility",
            "sharpe",
            "sortino",
            "max_drawdown",
            "beta",
            "up_capture",
            "down_capture",
        ):
            worst = max(worst, abs(r[key] - expected[key]) / max(1.0, abs(expected[key])))
        years = data.years.table[r["ticker"]].dropna()
        emp_years = expected["years"]
        worst = max(worst, float(np.max(np.abs(years.to_numpy() - emp_years.reindex(years.index).to_numpy()))))
        growth = data.growth[r["ticker"]].iloc[1:]
        worst = max(worst, float(np.max(np.abs(growth.to_numpy() / expected["growth"].to_numpy() - 1.0))))
    return worst


def bench_bundle(closes: pd.DataFrame, repeat: int) -> dict:
    start, end = _window(closes)

    def ours():
        return build_comparison(closes, FUNDS, BENCH, "range", start, end, "1Y", 10_000.0, {})

    def peer():
        return empyrical_bundle(closes, FUNDS, BENCH, start, end)

    t_ours, t_peer = best_of(ours, repeat), best_of(peer, repeat)
    data = ours()
    worst = worst_bundle_gap(data, peer())
    first, last = data.rows[0]["start"], data.rows[0]["end"]
    return row(
        f"ETF Comparison recompute: 12 funds + {BENCH}, {first:%Y-%m-%d} – {last:%Y-%m-%d} (metrics table, growth, "
        "drawdown, rolling 1Y return and vol, calendar years, correlation, fees)",
        t_ours,
        "empyrical-reloaded: 8 metrics + cum_returns + yearly + roll_annual_volatility",
        t_peer,
        f"largest relative difference on the shared figures {worst:.1e}",
    )


def bench_rolling(closes: pd.DataFrame, repeat: int) -> dict:
    start, end = _window(closes)
    series = {t: window_prices(closes[t], start, end) for t in FUNDS + [BENCH]}

    def ours():  # what the comparison computes: both figures for every series
        return rolling_series(series, "1Y")

    def peer():
        out = {}
        for t, s in series.items():
            r = s.pct_change().iloc[1:]
            out[t] = (s.pct_change(252), r.rolling(252).std(ddof=1) * np.sqrt(252))
        return out

    t_ours, t_peer = best_of(ours, repeat), best_of(peer, repeat)
    return row(
        "rolling 1Y return + volatility, 13 series × 20 years (calendar-offset windows)",
        t_ours,
        "pandas pct_change(252) + rolling(252).std (fixed 252-session windows)",
        t_peer,
        "ours follows the calendar offsets of the period returns; pandas cannot on a session index",
    )


def bench_correlation(closes: pd.DataFrame, repeat: int) -> dict:
    start, end = _window(closes)
    series = {t: window_prices(closes[t], start, end) for t in FUNDS + [BENCH]}

    def ours():
        return correlation_matrix(series, common=True)

    def peer():
        return pd.DataFrame(series).dropna().pct_change().iloc[1:].corr()

    t_ours, t_peer = best_of(ours, repeat), best_of(peer, repeat)
    diff = float(np.max(np.abs(ours().matrix.to_numpy() - peer().to_numpy())))
    return row(
        "correlation matrix of daily returns, 13 × 13, common dates",
        t_ours,
        "pandas DataFrame.corr",
        t_peer,
        f"largest absolute difference {diff:.1e}; ours also counts the days per pair",
    )


def run(quick: bool = False) -> list[dict]:
    repeat = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        market = MarketData(resolve_paths(Path(tmp) / "data"), offline=True)
        closes = market.closes(FUNDS + [BENCH])
        rows = [bench_bundle(closes, repeat), bench_rolling(closes, repeat), bench_correlation(closes, repeat)]
        market.store.close()
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
