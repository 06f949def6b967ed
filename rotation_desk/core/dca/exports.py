"""The text of a plan's export files: the schedule CSV, the iCalendar file of its buy dates, the ledger CSV.

Pure producers (text or bytes); ``rotation_desk.data.dca_exports`` writes them
to disk, whole or not at all. The CSV fields need no quoting: dates, ticker
symbols (``core.tickers`` allows no comma, quote or line break) and fixed-point
numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.core.dca.results import LEDGER_COLUMNS
from rotation_desk.core.dca.schedule import SCHEDULE_COLUMNS

ICS_PRODID = "-//Rotation Desk//DCA schedule//EN"
DEFAULT_REMIND_DAYS = 1  # the reminder: one day before the buy, at REMIND_HOUR local time
REMIND_HOUR = 9
MAX_REMIND_DAYS = 30


def reminder_offset(days: int) -> dt.timedelta:
    """The alarm's trigger relative to the all-day event's start (midnight of the buy day, local time):
    ``days`` before at 09:00 (1 -> -15 h, 0 -> +9 h: the morning of the buy day)."""
    if not 0 <= days <= MAX_REMIND_DAYS:
        raise ValueError(f"a reminder is 0 to {MAX_REMIND_DAYS} days before the buy, got {days}")
    return dt.timedelta(days=-days, hours=REMIND_HOUR)


def describe_reminder(days: int | None) -> str:
    """``reminder 1 day before at 09:00``, ``reminder on the day at 09:00`` or ``no reminder``."""
    if days is None:
        return "no reminder"
    if days == 0:
        return f"reminder on the day at {REMIND_HOUR:02d}:00"
    return f"reminder {days} day{'s' if days != 1 else ''} before at {REMIND_HOUR:02d}:00"


def schedule_to_csv(frame: pd.DataFrame) -> str:
    """CSV text of a ``schedule_frame``: dates YYYY-MM-DD, money with 2 decimals, shares with 6 (or whole)."""
    whole = not frame.attrs.get("fractional", True)
    lines = [",".join(SCHEDULE_COLUMNS)]
    for row in frame.itertuples(index=False):
        shares = (
            "" if not np.isfinite(row.est_shares) else (f"{row.est_shares:.0f}" if whole else f"{row.est_shares:.6f}")
        )
        lines.append(
            f"{pd.Timestamp(row.date):%Y-%m-%d},{row.ticker},{row.amount:.2f},{shares},{row.running_total:.2f}"
        )
    return "\n".join(lines) + "\n"


def event_uid(plan_name: str, day: dt.date | pd.Timestamp) -> str:
    """A stable UID for the buy of ``plan_name`` on ``day`` (re-importing updates, never duplicates)."""
    key = f"{plan_name}|{pd.Timestamp(day):%Y-%m-%d}".encode()
    return f"{hashlib.sha256(key).hexdigest()[:32]}@rotation-desk"


def schedule_to_ics(
    plan: DcaPlan,
    frame: pd.DataFrame,
    now: dt.datetime | None = None,
    remind_days: int | None = DEFAULT_REMIND_DAYS,
) -> bytes:
    """An iCalendar file: one all-day VEVENT per buy date, amounts per ticker in the DESCRIPTION.

    Each event's UID is ``event_uid(plan name, date)``: importing a newer file
    of the same plan updates its events instead of adding copies. With
    ``remind_days`` (None: no reminder) every event carries a VALARM (DISPLAY)
    whose trigger is relative to the event's start: an all-day event starts at
    midnight of the buy day in the calendar's own time zone (a DATE value is
    floating), so -PT15H rings at 09:00 the day before wherever the user is,
    and an absolute (UTC) trigger, which Outlook ignores, is not needed.
    """
    from icalendar import Alarm, Calendar, Event

    trigger = reminder_offset(remind_days) if remind_days is not None else None

    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"DCA: {plan.name}")
    for day, rows in frame.groupby("date", sort=True):
        day = pd.Timestamp(day).date()
        total = float(rows["amount"].sum())
        lines = [f"{r.ticker}: {r.amount:.2f}" for r in rows.itertuples(index=False)]
        lines.append(f"Total: {total:.2f}")
        event = Event()
        event.add("uid", event_uid(plan.name, day))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", f"DCA buy {total:.2f}: {plan.name}")
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        if trigger is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add(
                "description",
                f"DCA buy {'today' if remind_days == 0 else f'on {day:%Y-%m-%d}'}: {total:.2f} for {plan.name}",
            )
            alarm.add("trigger", trigger, parameters={"RELATED": "START"})
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def ledger_to_csv(ledger: pd.DataFrame) -> str:
    """Ledger CSV: dates YYYY-MM-DD, prices to 6 decimals, money to the cent, shares to 8 decimals."""
    lines = [",".join(LEDGER_COLUMNS)]
    for r in ledger.itertuples(index=False):
        lines.append(
            f"{pd.Timestamp(r.date):%Y-%m-%d},{r.ticker},{r.price:.6f},{r.amount:.2f},{r.fee:.2f},{r.shares:.8f},"
            f"{r.cash_after:.2f},{r.cumulative_invested:.2f}"
        )
    return "\n".join(lines) + "\n"
