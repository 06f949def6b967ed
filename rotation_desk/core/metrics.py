"""Risk and return metrics (DESIGN.md conventions).

- CAGR = (end/start)^(365.25 / calendar days) − 1
- Volatility = stdev(daily returns, ddof=1) × √252
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
    close_on_or_before,
    daily_returns,
    to_timestamp,
)

NAN = float("nan")


def daily_risk_free(rf_annual: float, periods_per_year: int = TRADING_DAYS) -> float:
    """The per-period risk-free rate: (1 + rf)^(1/252) − 1 daily, (1 + rf)^(1/12) − 1 monthly."""
    return (1.0 + rf_annual) ** (1.0 / periods_per_year) - 1.0


def volatility(returns: pd.Series, periods_per_year: int = TRADING_DAYS) -> float:
    r = returns.dropna()
    if len(r) < 2:
        return NAN
    return float(r.std(ddof=1) * math.sqrt(periods_per_year))


def sharpe(returns: pd.Series, rf_annual: float = 0.0, periods_per_year: int = TRADING_DAYS) -> float:
    excess = returns.dropna() - daily_risk_free(rf_annual, periods_per_year)
    if len(excess) < 2:
        return NAN
    sd = excess.std(ddof=1)
    if sd == 0 or not np.isfinite(sd):
        return NAN
    return float(excess.mean() * periods_per_year / (sd * math.sqrt(periods_per_year)))


def sortino(returns: pd.Series, rf_annual: float = 0.0, periods_per_year: int = TRADING_DAYS) -> float:
    excess = returns.dropna() - daily_risk_free(rf_annual, periods_per_year)
    if len(excess) < 2:
        return NAN
    downside = math.sqrt(float(np.mean(np.minimum(excess.to_numpy(), 0.0) ** 2)))
    if downside == 0:
        return NAN
    return float(excess.mean() * periods_per_year / (downside * math.sqrt(periods_per_year)))


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
    common = r_all.index.intersection(b_all.index)
    if len(common) < 2:
        return NAN, NAN
    r = r_all.reindex(common).to_numpy()
    b = b_all.reindex(common).to_numpy()
    var_b = np.var(b, ddof=1)
    beta = float(np.cov(r, b, ddof=1)[0, 1] / var_b) if var_b > 0 else NAN
    corr = float(np.corrcoef(r, b)[0, 1]) if np.std(r) > 0 and var_b > 0 else NAN
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
    """The closes of a window: from the last close on/before ``start`` to the last on/before ``end``."""
    clean = prices.dropna()
    if clean.empty:
        return clean
    if end is not None:
        clean = clean.loc[: to_timestamp(end)]
    if start is not None and not clean.empty:
        anchor = close_on_or_before(clean, start)
        clean = clean.loc[anchor[0] :] if anchor is not None else clean
    return clean


def compute_metrics(
    ticker: str,
    prices: pd.Series,
    benchmark: pd.Series | None = None,
    rf_annual: float = 0.0,
) -> Metrics:
    """All metrics for one series of closes already cut to its window (see ``window_prices``)."""
    clean = prices.dropna()
    if len(clean) < 2:
        raise ValueError(f"{ticker}: fewer than two closes in the window")
    start, end = clean.index[0], clean.index[-1]
    total = float(clean.iloc[-1] / clean.iloc[0] - 1.0)
    cagr = annualise(total, (end - start).days)
    rets = daily_returns(clean)
    dd = max_drawdown(clean)
    calmar = cagr / abs(dd.depth) if dd.depth and np.isfinite(dd.depth) and dd.depth != 0 else NAN
    beta = corr = NAN
    if benchmark is not None:
        bench = benchmark.dropna().loc[start:end]
        beta, corr = beta_correlation(rets, daily_returns(bench))
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
        volatility=volatility(rets),
        sharpe=sharpe(rets, rf_annual),
        sortino=sortino(rets, rf_annual),
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
