"""The checks of one plan field each: they append ``PlanIssue``s and return the clean value (or None).

Every message is one line: values are quoted with ``show`` (JSON, cut to 40
characters), so a hostile file (a 10 MB string, a newline in a key) cannot
stretch or split it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from typing import Any

from rotation_desk.core.dca.plan import (
    DAY_ANCHOR,
    FREQUENCIES,
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_EVERY,
    MAX_NAME,
    MAX_NUMBER_CHARS,
    MAX_STEP_UP_PCT,
    MAX_TICKERS,
    MIN_CONTRIBUTION,
    MONTH_ANCHORS,
    OPTIONAL_DEFAULTS,
    REBALANCE,
    ROLLS,
    SCHEDULE_DEFAULTS,
    WEEKDAY_ANCHORS,
    WEIGHT_TOLERANCE,
    PlanIssue,
    default_anchor,
)
from rotation_desk.core.tickers import is_ticker

SHOW_CHARS = 40
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class LongNumber(str):
    """A JSON number longer than ``MAX_NUMBER_CHARS`` characters, kept as its text (never converted)."""


class PlanObject(dict):
    """A decoded JSON object that remembers the keys the file gave twice (the last one counts in JSON)."""

    repeated: tuple[str, ...] = ()


def show(value: Any) -> str:
    """A value as it appears in a message: JSON text, at most 40 characters."""
    if isinstance(value, LongNumber):
        text = f"a number of {len(value):,} characters"
    elif isinstance(value, float) and not math.isfinite(value):
        text = str(value)
    else:
        try:
            text = json.dumps(value)
        except (TypeError, ValueError):
            text = type(value).__name__
    return text if len(text) <= SHOW_CHARS else text[: SHOW_CHARS - 3] + "..."


def quote(text: str) -> str:
    """A string as it appears in a message: Python quotes (control characters escaped), cut to 40."""
    shown = repr(text)
    return shown if len(shown) <= SHOW_CHARS else repr(text[: SHOW_CHARS - 5]) + "..."


def key_name(key: Any) -> str:
    """The field name of a key: itself when it is a short printable name, else quoted."""
    key = str(key)
    return key if len(key) <= SHOW_CHARS and key.isprintable() else quote(key)


def fmt(value: float) -> str:
    """A number in a message: short (``%g``), or its exact digits when a big one would be rounded."""
    text = f"{value:g}"
    return text if abs(value) < 1e15 or float(text) == value else repr(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _too_long(value: Any) -> str:
    return f"is out of range: {show(value)} (a plan's numbers have at most {MAX_NUMBER_CHARS} characters)"


def number(
    raw: dict, key: str, issues: list[PlanIssue], *, default=None, minimum: float = 0.0, maximum: float = MAX_AMOUNT
) -> float | None:
    """A number in [minimum, maximum] (minimum 0: "must not be negative", else "must be at least")."""
    if key not in raw:
        if default is None:
            issues.append(PlanIssue(key, "is required"))
        return default
    value = raw[key]
    if isinstance(value, LongNumber):
        issues.append(PlanIssue(key, _too_long(value)))
        return None
    if not is_number(value):
        issues.append(PlanIssue(key, f"must be a number, got {show(value)}"))
        return None
    value = float(value)
    if not math.isfinite(value):
        issues.append(PlanIssue(key, f"must be a finite number, got {value}"))
        return None
    if minimum > 0 and value <= 0:
        issues.append(PlanIssue(key, f"must be greater than 0, got {fmt(value)}"))
        return None
    if minimum > 0 and value < minimum:
        issues.append(PlanIssue(key, f"must be at least {minimum:g} (one cent), got {fmt(value)}"))
        return None
    if value < 0:
        issues.append(PlanIssue(key, f"must not be negative, got {fmt(value)}"))
        return None
    if value > maximum:
        issues.append(PlanIssue(key, f"must be at most {maximum:,.0f}, got {fmt(value)}"))
        return None
    return value


def amounts(raw: dict, issues: list[PlanIssue]) -> tuple[float | None, float | None, float | None, float | None]:
    """contribution, initial, step_up_pct, fee."""
    contribution = number(raw, "contribution", issues, minimum=MIN_CONTRIBUTION)
    initial = number(raw, "initial", issues, default=OPTIONAL_DEFAULTS["initial"])
    step_up = number(raw, "step_up_pct", issues, default=OPTIONAL_DEFAULTS["step_up_pct"], maximum=MAX_STEP_UP_PCT)
    fee = number(raw, "fee", issues, default=OPTIONAL_DEFAULTS["fee"])
    if contribution is not None and fee is not None and fee >= contribution:
        issues.append(PlanIssue("fee", f"fee per order ({fmt(fee)}) must be less than the contribution"))
    return contribution, initial, step_up, fee


def name(raw: dict, issues: list[PlanIssue]) -> str | None:
    """One line of printable text, at most ``MAX_NAME`` characters (leading and trailing spaces dropped)."""
    if "name" not in raw:
        issues.append(PlanIssue("name", "is required"))
        return None
    value = raw["name"]
    if not isinstance(value, str) or not value.strip():
        issues.append(PlanIssue("name", f"must be a non-empty string, got {show(value)}"))
        return None
    value = value.strip()
    if len(value) > MAX_NAME:
        issues.append(PlanIssue("name", f"is {len(value):,} characters long; a plan name has at most {MAX_NAME}"))
        return None
    bad = next((c for c in value if _unprintable(c)), None)
    if bad is not None:
        issues.append(PlanIssue("name", f"must be one line of text: it has {_describe(bad)}"))
        return None
    return value


def _unprintable(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")


def _describe(char: str) -> str:
    if char in "\n\r\v\f\x85\u2028\u2029":
        return "a line break"
    if char == "\t":
        return "a tab"
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char) == "Cs":
        return f"a lone surrogate {code} (not valid Unicode)"
    return f"the control character {code}"


def frequency(raw: dict, issues: list[PlanIssue]) -> str | None:
    if "frequency" not in raw:
        issues.append(PlanIssue("frequency", f"is required ({' | '.join(FREQUENCIES)})"))
        return None
    value = raw["frequency"]
    if not isinstance(value, str) or value.strip().lower() not in FREQUENCIES:
        issues.append(PlanIssue("frequency", f"must be one of {', '.join(FREQUENCIES)}, got {show(value)}"))
        return None
    return value.strip().lower()


def anchor(raw: dict, freq: str | None, issues: list[PlanIssue]) -> str | None:
    weekly = freq in ("weekly", "biweekly")
    if "anchor" not in raw:
        return None if freq is None else default_anchor(freq)
    value = raw["anchor"]
    if not isinstance(value, str):
        issues.append(PlanIssue("anchor", f"must be a string, got {show(value)}"))
        return None
    text = value.strip().lower()
    if freq is None:
        return text  # the frequency issue is already reported
    if weekly:
        if text not in WEEKDAY_ANCHORS:
            issues.append(
                PlanIssue("anchor", f"{quote(value)} does not fit {freq}: use a weekday {', '.join(WEEKDAY_ANCHORS)}")
            )
            return None
        return text
    if text in MONTH_ANCHORS:
        return text
    m = DAY_ANCHOR.match(text)
    if m and len(m.group(1)) <= 3:
        n = int(m.group(1))
        if not 1 <= n <= 31:
            issues.append(PlanIssue("anchor", f"day:{n} is out of range, N must be 1..31"))
            return None
        return f"day:{n}"
    issues.append(
        PlanIssue(
            "anchor", f"{quote(value)} does not fit {freq}: use first-session, last-session or day:N (N in 1..31)"
        )
    )
    return None


def date(raw: dict, key: str, issues: list[PlanIssue], required: bool) -> dt.date | None:
    if key not in raw or raw[key] is None:
        if required:
            issues.append(PlanIssue(key, "is required (a date YYYY-MM-DD)"))
        return None
    value = raw[key]
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        issues.append(PlanIssue(key, f"must be a date YYYY-MM-DD, got {show(value)}"))
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        issues.append(PlanIssue(key, f"is not a real date: {value}"))
        return None
    from rotation_desk.core.calendar import CALENDAR_END, CALENDAR_START

    if not CALENDAR_START.date() <= day <= CALENDAR_END.date():
        issues.append(
            PlanIssue(key, f"{value} is outside the trading calendar ({CALENDAR_START:%Y} to {CALENDAR_END:%Y-%m-%d})")
        )
        return None
    return day


def bounds(raw: dict, issues: list[PlanIssue]) -> tuple[dt.date | None, dt.date | None, int | None]:
    """start, end and count (exactly one of end / count)."""
    start = date(raw, "start", issues, required=True)
    end = date(raw, "end", issues, required=False)
    count = None
    has_end = raw.get("end") is not None
    has_count = raw.get("count") is not None
    if has_end and has_count:
        issues.append(PlanIssue("end", "give either end or count, not both"))
    elif not has_end and not has_count:
        issues.append(PlanIssue("end", "the plan needs an end date or a count of contributions"))
    if has_count:
        value = raw["count"]
        if isinstance(value, LongNumber):
            issues.append(PlanIssue("count", _too_long(value)))
            value = None
        elif not isinstance(value, int) or isinstance(value, bool):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                issues.append(PlanIssue("count", f"must be a whole number, got {show(value)}"))
                value = None
        if value is not None:
            if not 1 <= value <= MAX_COUNT:
                issues.append(PlanIssue("count", f"must be between 1 and {MAX_COUNT}, got {fmt(value)}"))
            else:
                count = value
    if start is not None and end is not None and end < start:
        issues.append(PlanIssue("end", f"end {end.isoformat()} is before start {start.isoformat()}"))
    return start, end, count


def allocation(raw: dict, issues: list[PlanIssue]) -> dict[str, float] | None:
    if "allocation" not in raw:
        issues.append(PlanIssue("allocation", "is required ({ticker: percent, ...} summing to 100)"))
        return None
    value = raw["allocation"]
    if not isinstance(value, dict):
        issues.append(PlanIssue("allocation", f"must be an object {{ticker: percent}}, got {show(value)}"))
        return None
    if not value:
        issues.append(PlanIssue("allocation", "needs at least one ticker"))
        return None
    if len(value) > MAX_TICKERS:
        issues.append(PlanIssue("allocation", f"has {len(value):,} tickers; a plan has at most {MAX_TICKERS}"))
        return None
    out: dict[str, float] = {}
    ok = True
    for ticker in getattr(value, "repeated", ()):
        issues.append(PlanIssue("allocation", f"{key_name(ticker)} appears twice"))
        ok = False
    for key, weight in value.items():
        ticker = str(key).strip().upper()
        problem = None
        if not is_ticker(ticker):
            problem = f"{quote(str(key))} is not a ticker symbol"
        elif ticker in out:
            problem = f"{ticker} appears twice"
        elif isinstance(weight, LongNumber):
            problem = f"{ticker}: percent {_too_long(weight)}"
        elif not is_number(weight) or not math.isfinite(float(weight)):
            problem = f"{ticker}: percent must be a number, got {show(weight)}"
        elif weight <= 0:
            problem = f"{ticker}: percent must be greater than 0, got {fmt(weight)}"
        elif weight > 100:
            problem = f"{ticker}: percent must be at most 100, got {fmt(weight)}"
        if problem:
            issues.append(PlanIssue("allocation", problem))
            ok = False
            continue
        out[ticker] = float(weight)
    if ok:
        total = sum(out.values())
        if abs(total - 100.0) > WEIGHT_TOLERANCE:
            issues.append(PlanIssue("allocation", f"weights sum to {round(total, 6):g}%, they must sum to 100%"))
            ok = False
    return out if ok else None


def choices(raw: dict, issues: list[PlanIssue]) -> tuple[Any, Any]:
    """fractional and rebalance."""
    fractional = raw.get("fractional", OPTIONAL_DEFAULTS["fractional"])
    if not isinstance(fractional, bool):
        issues.append(PlanIssue("fractional", f"must be true or false, got {show(fractional)}"))
    rebalance = raw.get("rebalance", OPTIONAL_DEFAULTS["rebalance"])
    if not isinstance(rebalance, str) or rebalance.strip().lower() not in REBALANCE:
        issues.append(PlanIssue("rebalance", f"must be one of {', '.join(REBALANCE)}, got {show(rebalance)}"))
    else:
        rebalance = rebalance.strip().lower()
    return fractional, rebalance


def schedule_options(raw: dict, freq: str | None, issues: list[PlanIssue]) -> tuple[int | None, str | None]:
    """every (1..MAX_EVERY periods of the frequency) and roll (next-session | previous-session)."""
    every = raw.get("every", SCHEDULE_DEFAULTS["every"])
    unit = {"weekly": "weeks", "biweekly": "fortnights", "monthly": "months", "quarterly": "quarters"}.get(freq or "")
    if isinstance(every, LongNumber):
        issues.append(PlanIssue("every", _too_long(every)))
        every = None
    elif isinstance(every, float) and every.is_integer():
        every = int(every)
    if every is not None and (not isinstance(every, int) or isinstance(every, bool)):
        issues.append(PlanIssue("every", f"must be a whole number of {unit or 'periods'}, got {show(every)}"))
        every = None
    elif every is not None and not 1 <= every <= MAX_EVERY:
        issues.append(PlanIssue("every", f"must be between 1 and {MAX_EVERY} ({unit or 'periods'}), got {fmt(every)}"))
        every = None
    roll = raw.get("roll", SCHEDULE_DEFAULTS["roll"])
    if not isinstance(roll, str) or roll.strip().lower() not in ROLLS:
        issues.append(PlanIssue("roll", f"must be one of {', '.join(ROLLS)}, got {show(roll)}"))
        roll = None
    else:
        roll = roll.strip().lower()
    return every, roll
