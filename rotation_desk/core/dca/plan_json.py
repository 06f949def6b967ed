"""The plan file format: JSON text or bytes to a validated ``DcaPlan`` and back (no file I/O here).

Reading checks the limits of ``plan`` before it decodes anything further: the
size, the nesting depth (scanned without recursion, so a file nested 100,000
deep is refused in milliseconds), the length of each number. Keys the file
gives twice are reported (JSON would silently keep the last one).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import numpy as np

from rotation_desk.core.dca import plan_fields as check
from rotation_desk.core.dca.plan import (
    KEYS,
    MAX_DEPTH,
    MAX_NUMBER_CHARS,
    MAX_PLAN_BYTES,
    SCHEDULE_DEFAULTS,
    DcaPlan,
    PlanError,
    PlanIssue,
)
from rotation_desk.core.dca.plan_fields import LongNumber, PlanObject

STARTER_FREQUENCY = "monthly"
STARTER_YEARS = 10

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_OPEN = np.frombuffer(b"[{", dtype=np.uint8)
_CLOSE = np.frombuffer(b"]}", dtype=np.uint8)


def parse_plan(raw: Any, source: str | None = None) -> DcaPlan:
    """Validate a decoded JSON object and build the plan; raise ``PlanError`` listing every problem."""
    if not isinstance(raw, dict):
        raise PlanError([PlanIssue("file", f"the plan must be a JSON object, got {type(raw).__name__}")], source)
    issues: list[PlanIssue] = []
    for key in raw:
        if key not in KEYS:
            issues.append(
                PlanIssue(check.key_name(key), f"unknown key {check.quote(str(key))} (allowed: {', '.join(KEYS)})")
            )
    for key in getattr(raw, "repeated", ()):
        issues.append(PlanIssue(check.key_name(key), "appears twice in the file (give each key once)"))
    name = check.name(raw, issues)
    contribution, initial, step_up, fee = check.amounts(raw, issues)
    frequency = check.frequency(raw, issues)
    anchor = check.anchor(raw, frequency, issues)
    start, end, count = check.bounds(raw, issues)
    allocation = check.allocation(raw, issues)
    fractional, rebalance = check.choices(raw, issues)
    every, roll = check.schedule_options(raw, frequency, issues)
    if issues:
        raise PlanError(issues, source)
    return DcaPlan(
        name=name,
        contribution=contribution,
        frequency=frequency,
        anchor=anchor,
        start=start,
        allocation=allocation,
        end=end,
        count=count,
        initial=initial,
        step_up_pct=step_up,
        fee=fee,
        fractional=fractional,
        rebalance=rebalance,
        every=every,
        roll=roll,
    )


def decode(text: str, source: str | None = None) -> Any:
    """The JSON value of a plan file's text, within the limits; ``PlanError`` (field ``file``) otherwise."""
    if len(text) > MAX_PLAN_BYTES:
        raise PlanError([_too_big(len(text), "characters")], source)
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        issue = PlanIssue("file", f"the JSON is nested {depth:,} deep; a plan file is at most {MAX_DEPTH} deep")
        raise PlanError([issue], source)
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        issue = PlanIssue("file", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        raise PlanError([issue], source) from None
    except ValueError as exc:  # what the decoder raises besides JSONDecodeError
        raise PlanError([PlanIssue("file", f"not valid JSON: {check.show(str(exc))}")], source) from None


def parse_plan_text(text: str, source: str | None = None) -> DcaPlan:
    """Parse JSON text; malformed JSON is reported with its line and column."""
    return parse_plan(decode(text, source), source)


def decode_bytes(data: bytes, source: str | None = None) -> Any:
    """The JSON value of a plan file's bytes (UTF-8, with or without a byte-order mark)."""
    if len(data) > MAX_PLAN_BYTES:
        raise PlanError([_too_big(len(data), "bytes")], source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError([PlanIssue("file", f"not UTF-8 text (byte {exc.start})")], source) from None
    return decode(text, source)


def parse_plan_bytes(data: bytes, source: str | None = None) -> DcaPlan:
    """Parse a plan file's bytes (see ``decode_bytes``)."""
    return parse_plan(decode_bytes(data, source), source)


def too_big(size: int, source: str | None = None) -> PlanError:
    """The error for a file of ``size`` bytes over ``MAX_PLAN_BYTES`` (for a reader that checks first)."""
    return PlanError([_too_big(size, "bytes")], source)


def _too_big(size: int, unit: str) -> PlanIssue:
    return PlanIssue("file", f"is {size:,} {unit}; a plan file is at most {MAX_PLAN_BYTES:,} bytes")


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped), without recursion."""
    code = np.frombuffer(_STRING.sub("", text).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if not len(code):
        return 0
    steps = np.isin(code, _OPEN).astype(np.int64) - np.isin(code, _CLOSE)
    return max(int(np.cumsum(steps).max()), 0)


def _int(text: str) -> int | LongNumber:
    return int(text) if len(text) <= MAX_NUMBER_CHARS else LongNumber(text)


def _float(text: str) -> float | LongNumber:
    return float(text) if len(text) <= MAX_NUMBER_CHARS else LongNumber(text)


def _object(pairs: list[tuple[str, Any]]) -> PlanObject:
    out = PlanObject(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        repeated = [k for k, _ in pairs if k in seen or seen.add(k)]
        out.repeated = tuple(dict.fromkeys(repeated))
    return out


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def plan_to_dict(plan: DcaPlan) -> dict:
    """The JSON object of the file format, keys in the documented order (only one of end / count; ``every``
    and ``roll`` only when they are not the defaults, so a plan that does not use them is saved as before)."""
    out: dict[str, Any] = {
        "name": plan.name,
        "contribution": float(plan.contribution),
        "frequency": plan.frequency,
    }
    if plan.every != SCHEDULE_DEFAULTS["every"]:
        out["every"] = plan.every
    out["anchor"] = plan.anchor
    if plan.roll != SCHEDULE_DEFAULTS["roll"]:
        out["roll"] = plan.roll
    out["start"] = plan.start.isoformat()
    if plan.end is not None:
        out["end"] = plan.end.isoformat()
    else:
        out["count"] = plan.count
    out["allocation"] = {t: _plain_number(w) for t, w in plan.allocation.items()}
    out["initial"] = float(plan.initial)
    out["step_up_pct"] = float(plan.step_up_pct)
    out["fee"] = float(plan.fee)
    out["fractional"] = bool(plan.fractional)
    out["rebalance"] = plan.rebalance
    return out


def plan_to_json(plan: DcaPlan) -> str:
    return json.dumps(plan_to_dict(plan), indent=2) + "\n"


def starter_plan(name: str, contribution: float, allocation: dict[str, float], today: dt.date) -> dict:
    """A new plan's JSON object: monthly from the first of next month for ten years; the format's
    defaults (``plan.OPTIONAL_DEFAULTS``, ``default_anchor``) for everything else."""
    start = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    end = dt.date(start.year + STARTER_YEARS, start.month, 1) - dt.timedelta(days=1)
    return {
        "name": name,
        "contribution": contribution,
        "frequency": STARTER_FREQUENCY,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "allocation": dict(allocation),
    }
