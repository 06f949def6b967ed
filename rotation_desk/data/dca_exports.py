"""A DCA plan's export files on disk: the schedule CSV, the iCalendar file, the backtest ledger CSV.

The text comes from ``rotation_desk.core.dca.exports``; every file is written
whole or not at all (``atomic``). ``rotation-desk dca`` writes its outputs as
one group instead (``file_group.write_all``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd

from rotation_desk.core.dca.exports import ledger_to_csv, schedule_to_csv, schedule_to_ics
from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.data.atomic import write_bytes


def write_schedule_csv(path: str | os.PathLike, frame: pd.DataFrame) -> Path:
    """The schedule (a ``schedule_frame``) as CSV."""
    return write_bytes(path, schedule_to_csv(frame).encode("utf-8"))


def write_schedule_ics(
    path: str | os.PathLike, plan: DcaPlan, frame: pd.DataFrame, now: dt.datetime | None = None
) -> Path:
    """The schedule's buy dates as an iCalendar file."""
    return write_bytes(path, schedule_to_ics(plan, frame, now=now))


def write_ledger_csv(path: str | os.PathLike, ledger: pd.DataFrame) -> Path:
    """A backtest's ledger as CSV."""
    return write_bytes(path, ledger_to_csv(ledger).encode("utf-8"))
