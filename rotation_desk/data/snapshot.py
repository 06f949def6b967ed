"""The bundled offline snapshot: daily adjusted closes of 88 ETFs (see tools/build_snapshot.py)."""

from __future__ import annotations

import io
import lzma

import pandas as pd

from rotation_desk.data.resources import SNAPSHOT, read_bytes
from rotation_desk.data.store_listing import Listing

SOURCE = "snapshot"
# The snapshot's 88 funds are US-listed ETFs priced in dollars (../shared/data/README.md).
LISTING = Listing(instrument_type="ETF", currency="USD", timezone="America/New_York")


def load_snapshot() -> pd.DataFrame:
    """Long frame: ticker, date (datetime64), adj_close."""
    raw = lzma.decompress(read_bytes(SNAPSHOT))
    frame = pd.read_csv(io.BytesIO(raw), dtype={"ticker": str, "adj_close": "float64"})
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame


def seed_store(store) -> None:
    """Fill an empty store from the snapshot, in one transaction."""
    frame = load_snapshot()
    as_of = frame["date"].max().strftime("%Y-%m-%d")
    per_ticker = (
        (ticker, group.set_index("date")[["adj_close"]]) for ticker, group in frame.groupby("ticker", sort=True)
    )
    store.seed_bulk(per_ticker, SOURCE, {"snapshot_as_of": as_of, "seeded_from": SNAPSHOT}, listing=LISTING)
