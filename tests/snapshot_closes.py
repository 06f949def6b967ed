"""The bundled snapshot's adjusted closes read straight from the shipped file, not through the store:
the independent side of the hand-worked proxy splices (a clean clone always has the file); and the
DFAT sleeve plan those tests share."""

from __future__ import annotations

import functools

import pandas as pd

from rotation_desk.data.snapshot import load_snapshot

DFAT_PLAN = {
    "name": "DFAT sleeve",
    "contribution": 1000.0,
    "frequency": "monthly",
    "anchor": "first-session",
    "start": "2016-01-01",
    "end": "2023-12-29",
    "allocation": {"DFAT": 60, "VBR": 40},
    "initial": 0.0,
    "step_up_pct": 0.0,
    "fee": 0.0,
    "fractional": True,
    "rebalance": "pro-rata",
}


@functools.cache
def _snapshot() -> pd.DataFrame:
    return load_snapshot()


def source_closes(ticker: str) -> pd.Series:
    """``ticker``'s adjusted closes by date, as shipped."""
    rows = _snapshot()[_snapshot()["ticker"] == ticker]
    return pd.Series(rows["adj_close"].to_numpy(), index=pd.DatetimeIndex(rows["date"]), name=ticker)
