"""The Sector Tilts tab's background jobs (Qt-free): core calls bundled so they run off the GUI thread.

Nothing is computed here that the core does not compute: the jobs call the
same functions as ``rotation-desk rrg`` (``rrg_series``, ``rrg_snapshot``,
``sector_heatmap``) and only pick the animation's frames, the dates of the
points inside the toolbar's range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core import rrg as rrg_core
from rotation_desk.errors import DataUnavailable

Points = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # ticker -> (dates as int64 ns, rs_ratio, rs_momentum)


@dataclass(frozen=True)
class RrgData:
    closes: pd.DataFrame  # the tickers and the benchmark, up to the range's end
    names: list[str]
    benchmark: str
    frequency: str
    series: pd.DataFrame  # rrg_series output
    points: Points  # the same points split by ticker, for the graph
    frames: list[pd.Timestamp]  # the points' dates inside the range (the slider's positions)
    index: int  # the frame shown first
    at: FrameData  # table and heat map at that frame


@dataclass(frozen=True)
class FrameData:
    when: pd.Timestamp
    rows: list[rrg_core.RrgRow]
    heat: pd.DataFrame


def split_points(series: pd.DataFrame, names) -> Points:
    """``rrg_series`` rows as one (dates, x, y) triple of arrays per ticker, in ``names`` order."""
    out: Points = {}
    groups = dict(tuple(series.groupby("ticker", sort=False)))
    for name in names:
        g = groups.get(name)
        if g is None:
            continue
        out[name] = (
            g["date"].to_numpy(dtype="datetime64[ns]").astype(np.int64),
            g["rs_ratio"].to_numpy(dtype=np.float64),
            g["rs_momentum"].to_numpy(dtype=np.float64),
        )
    return out


def frame_dates(series: pd.DataFrame, start: pd.Timestamp | None) -> list[pd.Timestamp]:
    """The dates of the points from ``start`` on (all when None; the last one if none is that late)."""
    dates = pd.DatetimeIndex(np.unique(series["date"].to_numpy()))
    inside = dates if start is None else dates[dates >= start]
    if len(inside) == 0:
        inside = dates[-1:]
    return list(inside)


def frame_job(series, closes, names, benchmark, when, tail) -> FrameData:
    """Where each ticker stands at ``when`` and its returns relative to the benchmark up to then."""
    rows = rrg_core.rrg_snapshot(series, as_of=when, tail=tail)
    heat = rrg_core.sector_heatmap(closes, names, benchmark, when)
    return FrameData(pd.Timestamp(when), rows, heat)


def rrg_job(closes, names, benchmark, frequency, start, end, tail, keep=None) -> RrgData:
    """The points over all history up to ``end`` (closes already cut there), the frames from ``start``.

    The first frame shown is the last one on or before ``keep`` (the date the
    slider was on when only the tickers or the frequency changed), else the last.
    """
    params = rrg_core.default_params(frequency)
    series = rrg_core.rrg_series(closes, names, benchmark, frequency, params)
    if series.empty:
        unit = "weeks" if frequency == "weekly" else "sessions"
        raise DataUnavailable(
            f"Not enough history up to {pd.Timestamp(end):%Y-%m-%d} for an RRG point: each ticker needs "
            f"{params.periods_needed} {unit} of closes together with {benchmark}."
        )
    frames = frame_dates(series, start)
    index = len(frames) - 1
    if keep is not None:
        index = max(0, int(pd.DatetimeIndex(frames).searchsorted(pd.Timestamp(keep), side="right")) - 1)
    at = frame_job(series, closes, names, benchmark, frames[index], tail)
    return RrgData(closes, list(names), benchmark, frequency, series, split_points(series, names), frames, index, at)
