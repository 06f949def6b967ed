"""Ordinary least squares with an intercept (numpy only): coefficients, standard errors, t-stats, R².

    y = a + X·b + e,   b̂ = (X'X)⁻¹X'y (solved through a QR decomposition)
    σ̂² = Σe² / (n − p),  p = number of regressors + 1 (the intercept)
    se = √diag(σ̂² (X'X)⁻¹),  t = coefficient / se
    R² = 1 − Σe² / Σ(y − ȳ)²,  adjusted R² = 1 − (1 − R²)(n − 1)/(n − p)

These are the classical (non-robust) standard errors, as statsmodels' OLS
reports by default. Rolling fits use the same formulas on each window of the
last ``window`` observations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class OlsFit:
    coefficients: np.ndarray  # intercept first
    std_errors: np.ndarray
    t_stats: np.ndarray
    r_squared: float
    adj_r_squared: float
    observations: int
    residual_std: float


def _design(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    return np.column_stack([np.ones(len(x)), x])


def ols(y, x) -> OlsFit:
    """Fit y on x (n × k) with an intercept; needs n > k + 1 observations and full-rank regressors."""
    y = np.asarray(y, dtype=np.float64)
    design = _design(x)
    n, p = design.shape
    if n <= p:
        raise ValueError(f"{n} observations are too few for {p} coefficients (need at least {p + 1})")
    q, r = np.linalg.qr(design)
    if np.min(np.abs(np.diag(r))) < 1e-12 * max(1.0, np.max(np.abs(np.diag(r)))):
        raise ValueError("the regressors are collinear (a factor is constant or repeats another)")
    coef = np.linalg.solve(r, q.T @ y)
    resid = y - design @ coef
    ssr = float(resid @ resid)
    centred = y - y.mean()
    sst = float(centred @ centred)
    sigma2 = ssr / (n - p)
    r_inv = np.linalg.inv(r)
    cov = sigma2 * (r_inv @ r_inv.T)
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = coef / se
    r2 = 1.0 - ssr / sst if sst > 0 else float("nan")
    adj = 1.0 - (1.0 - r2) * (n - 1) / (n - p)
    return OlsFit(coef, se, t, r2, adj, n, float(np.sqrt(sigma2)))


def rolling_ols(y, x, window: int) -> dict[str, np.ndarray]:
    """Coefficients (rows: windows ending at observation window−1 … n−1; intercept first), R² per window.

    Each window's sums come from the cumulative sums of the products, so the
    whole run is O(n·p²) instead of a fit per window.
    """
    y = np.asarray(y, dtype=np.float64)
    design = _design(x)
    n, p = design.shape
    if window <= p or window > n:
        raise ValueError(f"a rolling window of {window} needs {p + 1} to {n} observations")
    # centre each column (not the intercept) on its full-sample mean: same fit, better-conditioned sums
    shift = np.r_[0.0, design[:, 1:].mean(axis=0)]
    centred = design - shift
    y_mean = y.mean()
    yc = y - y_mean
    xx = np.einsum("ni,nj->nij", centred, centred)
    xy = centred * yc[:, None]
    yy = yc * yc
    c_xx = np.concatenate([np.zeros((1, p, p)), np.cumsum(xx, axis=0)])
    c_xy = np.concatenate([np.zeros((1, p)), np.cumsum(xy, axis=0)])
    c_y = np.concatenate([[0.0], np.cumsum(yc)])
    c_yy = np.concatenate([[0.0], np.cumsum(yy)])
    hi = np.arange(window, n + 1)
    lo = hi - window
    s_xx = c_xx[hi] - c_xx[lo]
    s_xy = c_xy[hi] - c_xy[lo]
    coef_c = np.linalg.solve(s_xx, s_xy[..., None])[..., 0]
    # back to the original regressors: the slopes are unchanged, the intercept absorbs the shifts
    coef = coef_c.copy()
    coef[:, 0] = coef_c[:, 0] - coef_c[:, 1:] @ shift[1:] + y_mean
    s_y = c_y[hi] - c_y[lo]
    s_yy = c_yy[hi] - c_yy[lo]
    sst = s_yy - s_y * s_y / window
    fitted_ss = np.einsum("wi,wi->w", coef_c, s_xy)  # b'X'y
    ssr = s_yy - fitted_ss
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(sst > 0, 1.0 - ssr / sst, np.nan)
    return {"coefficients": coef, "r_squared": r2, "end": hi - 1}
