"""Returns of an account with cash flows: XIRR (money-weighted) and the time-weighted return.

Conventions:
- XIRR: the annual rate r with sum(cf_i / (1 + r)^((d_i - d_0) / 365)) = 0,
  the 365-day convention of Excel's XIRR and pyxirr. Contributions are
  negative, the final value positive. Solved for x = ln(1 + r) by Newton
  steps safeguarded by bisection inside a sign-change bracket, to 1e-12.
  NaN when the flows do not have both signs or no root exists.
- TWR: daily sub-period returns chain-linked around the flows. With V_t the
  account value at the close of day t after that day's contribution F_t
  (money is invested at the close), r_t = (V_t - F_t) / V_{t-1} - 1; days
  before the account holds anything are skipped. TWR = prod(1 + r_t) - 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

DAYS_IN_YEAR = 365.0


def xirr(dates: Sequence, amounts: Sequence[float], tol: float = 1e-12, max_iter: int = 200) -> float:
    """Annualised money-weighted return of dated cash flows (365-day convention)."""
    if isinstance(dates, np.ndarray) and dates.dtype.kind == "M":  # already datetime64: no Timestamp per date
        days = dates.astype("datetime64[D]").astype("int64")
    else:
        days = pd.DatetimeIndex(pd.to_datetime(list(dates))).values.astype("datetime64[D]").astype("int64")
    cf = np.asarray(amounts, dtype="float64")
    if len(cf) != len(days) or len(cf) < 2 or not np.all(np.isfinite(cf)):
        return float("nan")
    if not (cf > 0).any() or not (cf < 0).any():
        return float("nan")
    # Discount to the last date: g(x) = sum cf_i * exp(x * (T - t_i)); better scaled than t_0.
    t = (days.max() - days) / DAYS_IN_YEAR
    scale = np.abs(cf).max()
    c = cf / scale

    def g(x: float) -> tuple[float, float]:
        e = np.exp(np.clip(x * t, -700.0, 700.0))
        return float(np.dot(c, e)), float(np.dot(c * t, e))

    # Bracket a sign change of g in x (x = ln(1 + r)); r from ~ -100 % to huge.
    lo, hi = -1.0, 1.0
    glo, ghi = g(lo)[0], g(hi)[0]
    while glo * ghi > 0 and (lo > -40.0 or hi < 40.0):
        lo, hi = max(lo * 2.0, -40.0), min(hi * 2.0, 40.0)
        glo, ghi = g(lo)[0], g(hi)[0]
    if glo == 0:
        return math.expm1(lo)
    if ghi == 0:
        return math.expm1(hi)
    if glo * ghi > 0:
        return float("nan")
    x = 0.0 if lo < 0.0 < hi else 0.5 * (lo + hi)
    for _ in range(max_iter):
        fx, dfx = g(x)
        if fx == 0:
            break
        if (fx > 0) == (glo > 0):
            lo, glo = x, fx
        else:
            hi = x
        step_ok = dfx != 0
        if step_ok:
            nx = x - fx / dfx
            step_ok = lo < nx < hi
        nx = nx if step_ok else 0.5 * (lo + hi)
        if abs(nx - x) < tol * max(1.0, abs(x)):
            x = nx
            break
        x = nx
    return math.expm1(x)


def twr_index(values: pd.Series, flows: pd.Series) -> pd.Series:
    """Growth of 1 through the daily sub-periods (1.0 on the first day with money in the account)."""
    v = values.to_numpy(dtype="float64")
    f = flows.reindex(values.index, fill_value=0.0).to_numpy(dtype="float64")
    growth = np.ones(len(v))
    prev = np.concatenate(([0.0], v[:-1]))
    ok = prev > 0
    growth[ok] = (v[ok] - f[ok]) / prev[ok]
    index = np.cumprod(growth)
    started = np.flatnonzero(v > 0)
    if len(started):
        index[: started[0]] = np.nan
    return pd.Series(index, index=values.index, name="twr_index")


def time_weighted_return(values: pd.Series, flows: pd.Series) -> float:
    """Chain-linked TWR over the whole series (see ``twr_index``)."""
    idx = twr_index(values, flows).dropna()
    return float(idx.iloc[-1] - 1.0) if len(idx) else float("nan")
