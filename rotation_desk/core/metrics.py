"""Risk and return metrics (the conventions in docs/architecture.md).

- CAGR = (end/start)^(365.25 / calendar days) − 1
- Volatility = stdev(daily returns, ddof=1) × √252 (√365 for a series that
  trades every day, crypto; √260 for currency pairs: ``periods_per_year``)
- Sharpe = mean(daily excess) × 252 / (stdev(daily excess, ddof=1) × √252)
- Sortino = mean(daily excess) × 252 / (√mean(min(excess, 0)²) × √252)
- daily risk-free = (1 + rf_annual)^(1/252) − 1
- month-end statistics (core/monthly_metrics.py) use the same functions with
  12 periods a year instead of 252
- Max drawdown = min(P / running max(P) − 1); Calmar = CAGR / |max drawdown|
- Beta = cov(r, r_bench) / var(r_bench); correlation = Pearson; both on the
  dates both series have.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.returns import (
    TRADING_DAYS,
    annualise,
    calendar_year_returns,
    to_timestamp,
)

NAN = float("nan")


def daily_risk_free(rf_annual: float, periods_per_year: int = TRADING_DAYS) -> float:
    """The per-period risk-free rate: (1 + rf)^(1/252) − 1 daily, (1 + rf)^(1/12) − 1 monthly."""
    return (1.0 + rf_annual) ** (1.0 / periods_per_year) - 1.0


def _values(returns) -> np.ndarray:
    """The returns as a float array without NaN (a Series or an array)."""
    v = returns.to_numpy(dtype=np.float64) if hasattr(returns, "to_numpy") else np.asarray(returns, dtype=np.float64)
    return v[~np.isnan(v)] if np.isnan(v).any() else v


def volatility(returns, periods_per_year: int = TRADING_DAYS) -> float:
    r = _values(returns)
    if len(r) < 2:
        return NAN
    return float(np.std(r, ddof=1) * math.sqrt(periods_per_year))


def sharpe(returns, rf_annual: float = 0.0, periods_per_year: int = TRADING_DAYS) -> float:
    excess = _values(returns) - daily_risk_free(rf_annual, periods_per_year)
    if len(excess) < 2:
        return NAN
    sd = np.std(excess, ddof=1)
    if sd == 0 or not np.isfinite(sd):
        return NAN
    return float(np.mean(excess) * periods_per_year / (sd * math.sqrt(periods_per_year)))


def sortino(returns, rf_annual: float = 0.0, periods_per_year: int = TRADING_DAYS) -> float:
    excess = _values(returns) - daily_risk_free(rf_annual, periods_per_year)
    if len(excess) < 2:
        return NAN
    downside = math.sqrt(float(np.mean(np.minimum(excess, 0.0) ** 2)))
    if downside == 0:
        return NAN
    return float(np.mean(excess) * periods_per_year / (downside * math.sqrt(periods_per_year)))


@dataclass(frozen=True)
class Drawdown:
    depth: float  # negative fraction, 0 when there was none
    peak: pd.Timestamp | None
    trough: pd.Timestamp | None
    recovery: pd.Timestamp | None  # first close back at the peak, None if not yet


def drawdown_series(prices: pd.Series) -> pd.Series:
    clean = prices.dropna()
    return clean / clean.cummax() - 1.0


def max_drawdown(prices: pd.Series) -> Drawdown:
    clean = prices.dropna()
    if len(clean) < 2:
        return Drawdown(NAN, None, None, None)
    values = clean.to_numpy()
    running = np.maximum.accumulate(values)
    dd = values / running - 1.0
    trough = int(np.argmin(dd))
    depth = float(dd[trough])
    if depth == 0:
        return Drawdown(0.0, None, None, None)
    peak = int(np.argmax(values[: trough + 1]))
    back = np.flatnonzero(values[trough:] >= values[peak])
    recovery = clean.index[trough + back[0]] if len(back) else None
    return Drawdown(depth, clean.index[peak], clean.index[trough], recovery)


def beta_correlation(returns: pd.Series, bench_returns: pd.Series) -> tuple[float, float]:
    r_all, b_all = returns.dropna(), bench_returns.dropna()
    return _beta_corr(
        r_all.index.asi8, r_all.to_numpy(dtype=np.float64), b_all.index.asi8, b_all.to_numpy(dtype=np.float64)
    )


def _beta_corr(r_days: np.ndarray, r: np.ndarray, b_days: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Beta and Pearson correlation on the dates both return series have (sorted, unique dates)."""
    if len(r_days) == len(b_days) and np.array_equal(r_days, b_days):
        rc, bc = r, b
    else:
        _, ia, ib = np.intersect1d(r_days, b_days, assume_unique=True, return_indices=True)
        rc, bc = r[ia], b[ib]
    if len(rc) < 2:
        return NAN, NAN
    var_b = np.var(bc, ddof=1)
    beta = float(np.cov(rc, bc, ddof=1)[0, 1] / var_b) if var_b > 0 else NAN
    corr = float(np.corrcoef(rc, bc)[0, 1]) if np.std(rc) > 0 and var_b > 0 else NAN
    return beta, corr


@dataclass(frozen=True)
class Metrics:
    ticker: str
    start: pd.Timestamp
    end: pd.Timestamp
    total_return: float
    cagr: float
    volatility: float
    sharpe: float
    sortino: float
    max_drawdown: float
    drawdown_peak: pd.Timestamp | None
    drawdown_trough: pd.Timestamp | None
    drawdown_recovery: pd.Timestamp | None
    calmar: float
    beta: float
    correlation: float
    best_year: int | None
    best_year_return: float
    worst_year: int | None
    worst_year_return: float

    def as_dict(self) -> dict:
        return asdict(self)


def window_prices(prices: pd.Series, start=None, end=None) -> pd.Series:
    """The closes of a window: from the last close on/before ``start`` to the last on/before ``end``
    (from the first close when the series starts after ``start``)."""
    values = prices.to_numpy(dtype=np.float64)
    clean = prices.dropna() if np.isnan(values).any() else prices
    if clean.empty:
        return clean
    idx = clean.index
    hi = len(idx) if end is None else int(idx.searchsorted(to_timestamp(end), side="right"))
    lo = 0
    if start is not None and hi > 0:
        lo = max(int(idx[:hi].searchsorted(to_timestamp(start), side="right")) - 1, 0)
    return clean.iloc[lo:hi]


def compute_metrics(
    ticker: str,
    prices: pd.Series,
    benchmark: pd.Series | None = None,
    rf_annual: float = 0.0,
    periods_per_year: int = TRADING_DAYS,
) -> Metrics:
    """All metrics for one series of closes already cut to its window (see ``window_prices``).

    ``periods_per_year``: the returns a year of the series' calendar (core/instruments.py: 252 for an
    exchange, 365 for crypto, 260 for currency pairs): volatility × √periods, Sharpe and Sortino × periods
    and the daily risk-free rate (1 + rf)^(1/periods) − 1. CAGR uses calendar days whatever the calendar.
    """
    values = prices.to_numpy(dtype=np.float64)
    clean = prices.dropna() if np.isnan(values).any() else prices
    if len(clean) < 2:
        raise ValueError(f"{ticker}: fewer than two closes in the window")
    values = clean.to_numpy(dtype=np.float64)
    days = clean.index.asi8
    start, end = clean.index[0], clean.index[-1]
    total = float(values[-1] / values[0] - 1.0)
    cagr = annualise(total, (end - start).days)
    rets = values[1:] / values[:-1] - 1.0  # daily simple returns (as core.returns.daily_returns)
    dd = max_drawdown(clean)
    calmar = cagr / abs(dd.depth) if dd.depth and np.isfinite(dd.depth) and dd.depth != 0 else NAN
    beta = corr = NAN
    if benchmark is not None:
        bv = benchmark.to_numpy(dtype=np.float64)
        bench = benchmark.dropna() if np.isnan(bv).any() else benchmark
        bd = bench.index.asi8
        lo, hi = np.searchsorted(bd, days[0], "left"), np.searchsorted(bd, days[-1], "right")
        bv = bench.to_numpy(dtype=np.float64)[lo:hi]
        if len(bv) >= 2:
            beta, corr = _beta_corr(days[1:], rets, bd[lo + 1 : hi], bv[1:] / bv[:-1] - 1.0)
    years = calendar_year_returns(clean)
    full = years[~years["partial"]]["return"] if len(years) else pd.Series(dtype=float)
    best_year = int(full.idxmax()) if len(full) else None
    worst_year = int(full.idxmin()) if len(full) else None
    return Metrics(
        ticker=ticker,
        start=start,
        end=end,
        total_return=total,
        cagr=cagr,
        volatility=volatility(rets, periods_per_year),
        sharpe=sharpe(rets, rf_annual, periods_per_year),
        sortino=sortino(rets, rf_annual, periods_per_year),
        max_drawdown=dd.depth,
        drawdown_peak=dd.peak,
        drawdown_trough=dd.trough,
        drawdown_recovery=dd.recovery,
        calmar=calmar,
        beta=beta,
        correlation=corr,
        best_year=best_year,
        best_year_return=float(full.max()) if len(full) else NAN,
        worst_year=worst_year,
        worst_year_return=float(full.min()) if len(full) else NAN,
    )


def common_window(prices: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The dates all columns have data for, and the ticker that limits the start."""
    firsts = {c: prices[c].first_valid_index() for c in prices.columns}
    lasts = {c: prices[c].last_valid_index() for c in prices.columns}
    if any(v is None for v in firsts.values()):
        missing = [c for c, v in firsts.items() if v is None]
        raise ValueError(f"no data for {', '.join(missing)}")
    limiting = max(firsts, key=lambda c: firsts[c])
    return firsts[limiting], min(lasts.values()), limiting
