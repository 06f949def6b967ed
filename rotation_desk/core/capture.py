"""Up/down capture on monthly returns, and the dollar fee a fund charged over a window.

Capture (Morningstar's definition, as in empyrical): over the months the
benchmark rose (up) or fell (down), the fund's annualised geometric return
divided by the benchmark's: ((Π(1 + r))^(12/n) − 1) for each, n = months.
Monthly returns run from one month's last close to the next month's last close,
on the months both series cover fully.

Fees: adjusted prices are already net of the expense ratio, so growth charts
are not reduced a second time. What a fund charged is shown in dollars instead:
Σ value × expense ratio × (calendar days since the previous session) / 365.25,
accrued on the value of the investment as it grew.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation_desk.core.returns import DAYS_PER_YEAR


def monthly_returns(prices: pd.Series) -> pd.Series:
    clean = prices.dropna()
    month_end = clean.groupby(clean.index.to_period("M")).last()
    returns = month_end.pct_change().iloc[1:]
    returns.index = returns.index.to_timestamp(how="end").normalize()
    return returns


def _annualised_geometric(r: np.ndarray) -> float:
    if len(r) == 0:
        return float("nan")
    return float(np.prod(1.0 + r) ** (12.0 / len(r)) - 1.0)


def capture_ratios(prices: pd.Series, bench_prices: pd.Series) -> tuple[float, float]:
    """(up capture, down capture) as fractions (1.0 = moved like the benchmark)."""
    both = pd.concat([monthly_returns(prices), monthly_returns(bench_prices)], axis=1, join="inner").dropna()
    r, b = both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy()
    up, down = b > 0, b < 0
    out = []
    for mask in (up, down):
        denom = _annualised_geometric(b[mask])
        out.append(_annualised_geometric(r[mask]) / denom if mask.any() and denom != 0 else float("nan"))
    return out[0], out[1]


def fees_paid(prices: pd.Series, expense_ratio: float, investment: float) -> float:
    """Dollars of expense ratio charged on ``investment`` held over the window of ``prices``."""
    clean = prices.dropna()
    if len(clean) < 2 or expense_ratio is None:
        return float("nan")
    value = investment * clean / clean.iloc[0]
    days = np.diff(clean.index.to_numpy()).astype("timedelta64[D]").astype(float)
    return float(np.sum(value.to_numpy()[:-1] * expense_ratio * days / DAYS_PER_YEAR))
