"""Correlation matrix of daily (or month-end) returns (Pearson), as the metrics compute the correlation to a benchmark.

Each series' daily returns run between its own consecutive closes. With
``common=True`` every pair is measured on the return dates all series share
(the comparison's common window); otherwise each pair on the dates both have,
which is exactly the correlation ``compute_metrics`` reports against a benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.monthly import monthly_returns
from rotation_desk.core.returns import daily_returns


@dataclass(frozen=True)
class Correlations:
    matrix: pd.DataFrame  # tickers × tickers, NaN where fewer than 2 shared returns
    days: pd.DataFrame  # the number of returns (daily or monthly) each value is computed on
    common: bool

    @property
    def tickers(self) -> list[str]:
        return list(self.matrix.columns)


def correlation_matrix(prices: Mapping[str, pd.Series], common: bool = True) -> Correlations:
    """Pearson correlations of the daily returns of each series of closes."""
    return correlation_of_returns({n: daily_returns(p) for n, p in prices.items()}, common)


def monthly_correlation_matrix(
    closes: pd.DataFrame, names: Sequence[str], start=None, end=None, common: bool = True
) -> Correlations:
    """The same on month-end returns: the months whose last session is in [start, end] (core/monthly.py)."""
    return correlation_of_returns({n: monthly_returns(closes[n], start, end) for n in dict.fromkeys(names)}, common)


def correlation_of_returns(returns: Mapping[str, pd.Series], common: bool = True) -> Correlations:
    names = list(returns)
    size = len(names)
    if not size:
        empty = pd.DataFrame(index=names, columns=names, dtype=float)
        return Correlations(empty, empty.astype("int64"), common)
    frame = pd.concat([returns[n].rename(n) for n in names], axis=1, sort=True)  # union of dates
    if common:
        frame = frame.dropna()
    values = frame.to_numpy(dtype=np.float64)
    present = np.isfinite(values)
    matrix = np.full((size, size), np.nan)
    days = np.zeros((size, size), dtype=np.int64)
    if present.all():  # every series on every date: one matrix product
        days[:, :] = len(values)
        if len(values) >= 2:
            centred = values - values.mean(axis=0)
            norms = np.sqrt(np.einsum("ij,ij->j", centred, centred))
            with np.errstate(invalid="ignore", divide="ignore"):
                matrix = (centred.T @ centred) / np.outer(norms, norms)
            matrix[~np.isfinite(matrix)] = np.nan
    else:
        for i in range(size):
            for j in range(i, size):
                both = present[:, i] & present[:, j]
                a, b = values[both, i], values[both, j]
                days[i, j] = days[j, i] = len(a)
                if len(a) < 2:
                    continue
                a, b = a - a.mean(), b - b.mean()
                denominator = np.sqrt(np.dot(a, a) * np.dot(b, b))
                if denominator > 0:
                    matrix[i, j] = matrix[j, i] = float(np.dot(a, b) / denominator)
    matrix = np.clip(matrix, -1.0, 1.0)
    diagonal = np.isfinite(np.diag(matrix))
    matrix[np.diag_indices(size)] = np.where(diagonal, 1.0, np.nan)
    return Correlations(
        pd.DataFrame(matrix, index=names, columns=names),
        pd.DataFrame(days, index=names, columns=names),
        common,
    )
