"""The rows every price write goes through (``store_frames.records``), from real snapshot prices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from rotation_desk.data.snapshot import load_snapshot
from rotation_desk.data.store_frames import COLUMNS, date_strings, insert_sql, present_columns, records


@pytest.fixture(scope="module")
def dfat() -> pd.DataFrame:
    frame = load_snapshot()
    return frame[frame["ticker"] == "DFAT"].set_index("date")[["adj_close"]]


def test_rows_hold_the_ticker_the_session_date_and_the_close_as_python_floats(dfat):
    rows = records("DFAT", dfat)
    assert len(rows) == len(dfat)
    first, last = rows[0], rows[-1]
    assert len(first) == 2 + len(COLUMNS)
    assert first[:2] == ("DFAT", dfat.index[0].strftime("%Y-%m-%d"))
    assert last[:2] == ("DFAT", "2026-08-03")
    assert type(last[2]) is float and last[2] == float(dfat["adj_close"].iloc[-1])
    assert all(value is None for value in last[3:])  # open ... split: not in the frame


def test_missing_values_are_none_in_every_dtype(dfat):
    frame = dfat.iloc[:3].copy()
    frame["close"] = [np.nan, 10.5, 11.0]
    frame["volume"] = pd.array([None, 1200, 1300], dtype="Int64")
    rows = records("DFAT", frame)
    close, volume = 2 + COLUMNS.index("close"), 2 + COLUMNS.index("volume")
    assert [r[close] for r in rows] == [None, 10.5, 11.0]
    assert [r[volume] for r in rows] == [None, 1200.0, 1300.0]
    assert all(type(r[volume]) is float for r in rows[1:])


def test_dates_are_wall_clock_session_dates_and_match_strftime(dfat):
    index = dfat.index[:50]
    assert date_strings(index) == list(index.strftime("%Y-%m-%d"))
    # Yahoo's stamps are midnight New York time: the session date, not the UTC one
    aware = index.tz_localize("America/New_York")
    assert date_strings(aware) == list(aware.strftime("%Y-%m-%d"))
    assert date_strings(pd.DatetimeIndex([])) == []


def test_a_date_out_of_the_supported_range_is_refused(dfat):
    frame = pd.DataFrame({"adj_close": [1.0]}, index=pd.DatetimeIndex(["1890-01-02"]))
    with pytest.raises(ValueError, match="dates must lie between"):
        records("OLD", frame)
    assert not math.isnan(records("DFAT", dfat.iloc[:1])[0][2])


def test_a_write_binds_only_the_columns_the_frame_has(dfat, tmp_path):
    import sqlite3

    from rotation_desk.data.schema import migrate

    frame = dfat.iloc[:2].copy()
    frame["volume"] = [100.0, np.nan]
    columns = present_columns(frame)
    assert columns == ("adj_close", "volume")
    rows = records("DFAT", frame, columns)
    assert [len(r) for r in rows] == [4, 4]
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path)
    migrate(conn, path, None, [])
    conn.execute(
        "INSERT INTO prices(ticker, date, adj_close, open, volume) VALUES ('DFAT', ?, 1.0, 2.0, 3.0)", (rows[0][1],)
    )
    conn.executemany(insert_sql(columns), rows)  # replaces the whole row: open is NULL, as a bound None would be
    stored = conn.execute("SELECT date, adj_close, open, volume FROM prices ORDER BY date").fetchall()
    assert stored == [(rows[0][1], rows[0][2], None, 100.0), (rows[1][1], rows[1][2], None, None)]
