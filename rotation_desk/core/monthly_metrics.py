"""Month-end statistics (``metrics --returns monthly``): the metrics of core/metrics.py on month-end closes.

- The closes are the month-end closes of the months whose last session is in
  the window, with the previous month-end close as the base (core/monthly.py).
- Volatility = stdev(monthly returns, ddof=1) × √12.
- Sharpe = mean(monthly excess) × 12 / (stdev(monthly excess, ddof=1) × √12),
  Sortino = mean(monthly excess) × 12 / (√mean(min(excess, 0)²) × √12), with
  the monthly risk-free rate (1 + rf)^(1/12) − 1.
- Beta and correlation on the monthly returns of the months both have.
- Total return, CAGR ((end/start)^(365.25 / days) − 1 between the base and
  the last month-end close) and drawdowns from the month-end closes; start
  and end are those month-end sessions.
- Best/worst year: calendar years of the month-end closes (December to
  December), the partial first and unfinished last year left out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from rotation_desk.core.metrics import Metrics, beta_correlation, max_drawdown, sharpe, sortino, volatility
from rotation_desk.core.monthly import MONTHS_PER_YEAR, MonthEnds, month_end_closes
from rotation_desk.core.returns import annualise, calendar_year_returns

NAN = float("nan")
RETURNS = ("daily", "monthly")


def common_month_ends(month_ends: Mapping[str, MonthEnds]) -> dict[str, pd.Series]:
    """The month-end closes cut to the months every series has (the common window, monthly)."""
    present = [me.closes for me in month_ends.values() if len(me.closes)]
    if len(present) < len(month_ends):
        return {n: me.closes for n, me in month_ends.items()}
    first = max(c.index[0] for c in present)
    last = min(c.index[-1] for c in present)
    return {n: me.closes.loc[first:last] for n, me in month_ends.items()}


def monthly_metrics(
    ticker: str, month_closes: pd.Series, bench_closes: pd.Series | None = None, rf_annual: float = 0.0
) -> Metrics:
    """Metrics from month-end closes (``MonthEnds.closes``: the base first)."""
    p = month_closes.dropna()
    if len(p) < 2:
        raise ValueError(f"{ticker}: fewer than two month-end closes in the window")
    start, end = p.index[0], p.index[-1]
    values = p.to_numpy(dtype=np.float64)
    rets = pd.Series(values[1:] / values[:-1] - 1.0, index=p.index[1:])
    total = float(values[-1] / values[0] - 1.0)
    cagr = annualise(total, (end - start).days)
    dd = max_drawdown(p)
    calmar = cagr / abs(dd.depth) if dd.depth and np.isfinite(dd.depth) else NAN
    beta = corr = NAN
    if bench_closes is not None:
        b = bench_closes.dropna()
        b = b.loc[(b.index >= start) & (b.index <= end)]
        if len(b) >= 2:
            bv = b.to_numpy(dtype=np.float64)
            beta, corr = beta_correlation(rets, pd.Series(bv[1:] / bv[:-1] - 1.0, index=b.index[1:]))
    years = calendar_year_returns(p)
    full = years[~years["partial"]]["return"] if len(years) else pd.Series(dtype=float)
    return Metrics(
        ticker=ticker,
        start=start,
        end=end,
        total_return=total,
        cagr=cagr,
        volatility=volatility(rets, MONTHS_PER_YEAR),
        sharpe=sharpe(rets, rf_annual, MONTHS_PER_YEAR),
        sortino=sortino(rets, rf_annual, MONTHS_PER_YEAR),
        max_drawdown=dd.depth,
        drawdown_peak=dd.peak,
        drawdown_trough=dd.trough,
        drawdown_recovery=dd.recovery,
        calmar=calmar,
        beta=beta,
        correlation=corr,
        best_year=int(full.idxmax()) if len(full) else None,
        best_year_return=float(full.max()) if len(full) else NAN,
        worst_year=int(full.idxmin()) if len(full) else None,
        worst_year_return=float(full.min()) if len(full) else NAN,
    )


def window_month_ends(closes: pd.DataFrame, names, start=None, end=None, common: bool = False) -> dict[str, pd.Series]:
    """Month-end closes of each name in the window; with ``common`` only the months all of them have."""
    ends = {n: month_end_closes(closes[n], start, end) for n in dict.fromkeys(names)}
    return common_month_ends(ends) if common else {n: me.closes for n, me in ends.items()}
