"""Correlation matrix of daily (or month-end) returns (Pearson), as the metrics compute the correlation to a benchmark.

Each series' daily returns run between its own consecutive closes. With
``common=True`` every pair is measured on the return dates all series share
(the comparison's common window); otherwise each pair on the dates both have,
which is exactly the correlation ``compute_metrics`` reports against a benchmark.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.monthly import month_end_closes, monthly_returns
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
    rows = _dense_returns(prices)
    if rows is not None:  # every series has a close on every session: one array, no alignment
        return _from_array(list(prices), rows.T, common)
    return correlation_of_returns({n: daily_returns(p) for n, p in prices.items()}, common)


def _dense_returns(prices: Mapping[str, pd.Series]) -> np.ndarray | None:
    """The daily returns as one (series × returns) array when all series share their sessions and
    have no gaps (the usual case in a comparison's common window), else None."""
    series = list(prices.values())
    if not series:
        return None
    index = series[0].index
    if not all(p.index is index or p.index.equals(index) for p in series[1:]):
        return None
    values = np.vstack([p.to_numpy(dtype=np.float64) for p in series])  # each series one contiguous row
    if values.shape[1] < 2 or not np.isfinite(values).all():
        return None
    return values[:, 1:] / values[:, :-1] - 1.0


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
    return _from_array(names, frame.to_numpy(dtype=np.float64), common)


def _from_array(names: list[str], values: np.ndarray, common: bool) -> Correlations:
    """Pearson on the columns of ``values`` (NaN where a series has no return that day)."""
    size = len(names)
    present = np.isfinite(values)
    if present.all():  # every series on every date: one matrix product
        return _from_rows(names, np.ascontiguousarray(values.T), common)
    matrix = np.full((size, size), np.nan)
    days = np.zeros((size, size), dtype=np.int64)
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
    return _finish(names, matrix, days, common)


def _from_rows(names: list[str], rows: np.ndarray, common: bool) -> Correlations:
    """Pearson between the rows of ``rows`` (series × dates, every value finite): one matrix product of
    the centred returns; each pair is measured on all the dates, so the days need no counting."""
    size, count = rows.shape
    matrix = np.full((size, size), np.nan)
    if count >= 2:
        centred = rows - rows.mean(axis=1, keepdims=True)
        gram = centred @ centred.T
        norms = np.sqrt(np.diag(gram))
        with np.errstate(invalid="ignore", divide="ignore"):
            matrix = gram / np.outer(norms, norms)
        matrix[~np.isfinite(matrix)] = np.nan
    return _finish(names, matrix, np.full((size, size), count, dtype=np.int64), common)


def _finish(names: list[str], matrix: np.ndarray, days: np.ndarray, common: bool) -> Correlations:
    size = len(names)
    matrix = np.clip(matrix, -1.0, 1.0)
    diagonal = np.isfinite(np.diag(matrix))
    matrix[np.diag_indices(size)] = np.where(diagonal, 1.0, np.nan)
    labels = pd.Index(names)
    return Correlations(
        pd.DataFrame(matrix, index=labels, columns=labels),
        pd.DataFrame(days, index=labels, columns=labels),
        common,
    )


def codated_correlation(
    closes: Mapping[str, pd.Series], rates: Iterable[str] = (), returns: str = "daily", start=None, end=None
) -> Correlations:
    """Pearson correlations measured between the dates every series has a close (or, monthly, between the
    NYSE month-ends), for series on different calendars (crypto's weekends, a London holiday) and for yields,
    whose "returns" are the changes of their level (core/rates.py ``level_changes``)."""
    rate_names = set(rates)
    if returns == "monthly":
        points = {n: month_end_closes(s, start, end).closes for n, s in closes.items()}
    else:
        points = dict(closes)
    frame = pd.concat([s.rename(n) for n, s in points.items()], axis=1, sort=True).dropna()
    moves = {}
    for name in frame.columns:
        values = frame[name]
        moves[name] = values.diff().iloc[1:] if name in rate_names else values.pct_change().iloc[1:]
    return correlation_of_returns(moves, common=True)
