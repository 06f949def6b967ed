"""The DCA plan: a frozen dataclass, its JSON file format (DESIGN.md) and validation.

Conventions:
- The file holds exactly the keys of ``KEYS``; unknown keys are rejected by
  name so a typo ("contributon") never silently falls back to a default.
- Required: name, contribution, frequency, start, allocation and exactly one
  of end / count. Optional (default): anchor (first-session for monthly and
  quarterly, mon for weekly and biweekly), initial 0, step_up_pct 0, fee 0,
  fractional true, rebalance pro-rata.
- Allocation is in percent and must sum to 100 (within 1e-6); tickers are
  upper-cased. Whether a ticker exists is checked where prices are known
  (the backtest raises ``DataUnavailable`` naming it).
- Validation collects every problem and raises one ``PlanError`` (exit 2)
  whose ``issues`` name the fields; a file is never silently "fixed".
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rotation_desk.core.tickers import is_ticker
from rotation_desk.errors import BadInput

FREQUENCIES = ("weekly", "biweekly", "monthly", "quarterly")
WEEKDAY_ANCHORS = ("mon", "tue", "wed", "thu", "fri")
MONTH_ANCHORS = ("first-session", "last-session")  # plus "day:N", N in 1..31
REBALANCE = ("pro-rata", "to-target")
KEYS = (
    "name",
    "contribution",
    "frequency",
    "anchor",
    "start",
    "end",
    "count",
    "allocation",
    "initial",
    "step_up_pct",
    "fee",
    "fractional",
    "rebalance",
)
WEIGHT_TOLERANCE = 1e-6
MAX_COUNT = 10_000
_DAY_ANCHOR = re.compile(r"^day:(-?\d+)$")


@dataclass(frozen=True)
class PlanIssue:
    """One problem with a plan: the field it concerns and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class PlanError(BadInput):
    """An invalid plan (exit code 2). ``issues`` lists every problem found."""

    def __init__(self, issues: list[PlanIssue] | tuple[PlanIssue, ...], source: str | None = None):
        self.issues = tuple(issues)
        self.source = source
        where = f" in {source}" if source else ""
        super().__init__(f"invalid DCA plan{where}: " + "; ".join(str(i) for i in self.issues))

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the bad fields, in the order found."""
        return tuple(dict.fromkeys(i.field for i in self.issues))

    def for_field(self, name: str) -> list[str]:
        """The messages for one field (for marking an editor widget)."""
        return [i.message for i in self.issues if i.field == name]


class Allocation(dict):
    """A read-only ``{ticker: percent}`` dict (a plain dict to json, copy, pickle and asdict)."""

    def _read_only(self, *args, **kwargs):
        raise TypeError("a plan's allocation is read-only; build a new plan instead")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self):
        return (Allocation, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))


@dataclass(frozen=True)
class DcaPlan:
    """A validated plan. Build it with ``parse_plan``; ``allocation`` is read-only, in file order."""

    name: str
    contribution: float
    frequency: str
    anchor: str
    start: dt.date
    allocation: Mapping[str, float]
    end: dt.date | None = None
    count: int | None = None
    initial: float = 0.0
    step_up_pct: float = 0.0
    fee: float = 0.0
    fractional: bool = True
    rebalance: str = "pro-rata"

    def __post_init__(self) -> None:
        if not isinstance(self.allocation, Allocation):
            object.__setattr__(self, "allocation", Allocation(self.allocation))

    @property
    def tickers(self) -> tuple[str, ...]:
        return tuple(self.allocation)

    @property
    def weights(self) -> dict[str, float]:
        """Target weights as fractions of the allocation's own sum (so they add to exactly 1)."""
        total = sum(self.allocation.values())
        return {t: w / total for t, w in self.allocation.items()}

    @property
    def day_of_month(self) -> int | None:
        """N for a ``day:N`` anchor, else None."""
        m = _DAY_ANCHOR.match(self.anchor)
        return int(m.group(1)) if m else None

    def with_window(self, start: dt.date, end: dt.date | None) -> DcaPlan:
        """The same plan started at ``start``; ``end`` (if given) replaces the end/count bound."""
        if end is None:
            return replace(self, start=start)
        return replace(self, start=start, end=end, count=None)


# -- parsing -------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(raw: dict, key: str, issues: list[PlanIssue], *, default=None, positive=False) -> float | None:
    if key not in raw:
        if default is None:
            issues.append(PlanIssue(key, "is required"))
        return default
    value = raw[key]
    if not _is_number(value):
        issues.append(PlanIssue(key, f"must be a number, got {_show(value)}"))
        return None
    value = float(value)
    if not math.isfinite(value):
        issues.append(PlanIssue(key, f"must be a finite number, got {value}"))
        return None
    if positive and value <= 0:
        issues.append(PlanIssue(key, f"must be greater than 0, got {_fmt(value)}"))
        return None
    if not positive and value < 0:
        issues.append(PlanIssue(key, f"must not be negative, got {_fmt(value)}"))
        return None
    return value


def _date(raw: dict, key: str, issues: list[PlanIssue], required: bool) -> dt.date | None:
    if key not in raw or raw[key] is None:
        if required:
            issues.append(PlanIssue(key, "is required (a date YYYY-MM-DD)"))
        return None
    value = raw[key]
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        issues.append(PlanIssue(key, f"must be a date YYYY-MM-DD, got {_show(value)}"))
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


def _show(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


def _allocation(raw: dict, issues: list[PlanIssue]) -> dict[str, float] | None:
    if "allocation" not in raw:
        issues.append(PlanIssue("allocation", "is required ({ticker: percent, ...} summing to 100)"))
        return None
    value = raw["allocation"]
    if not isinstance(value, dict):
        issues.append(PlanIssue("allocation", f"must be an object {{ticker: percent}}, got {_show(value)}"))
        return None
    if not value:
        issues.append(PlanIssue("allocation", "needs at least one ticker"))
        return None
    out: dict[str, float] = {}
    ok = True
    for key, weight in value.items():
        ticker = str(key).strip().upper()
        if not is_ticker(ticker):
            issues.append(PlanIssue("allocation", f"{key!r} is not a ticker symbol"))
            ok = False
            continue
        if ticker in out:
            issues.append(PlanIssue("allocation", f"{ticker} appears twice"))
            ok = False
            continue
        if not _is_number(weight) or not math.isfinite(float(weight)):
            issues.append(PlanIssue("allocation", f"{ticker}: percent must be a number, got {_show(weight)}"))
            ok = False
            continue
        if weight <= 0:
            issues.append(PlanIssue("allocation", f"{ticker}: percent must be greater than 0, got {_fmt(weight)}"))
            ok = False
            continue
        out[ticker] = float(weight)
    if ok:
        total = sum(out.values())
        if abs(total - 100.0) > WEIGHT_TOLERANCE:
            issues.append(PlanIssue("allocation", f"weights sum to {round(total, 6):g}%, they must sum to 100%"))
            ok = False
    return out if ok else None


def _anchor(raw: dict, frequency: str | None, issues: list[PlanIssue]) -> str | None:
    weekly = frequency in ("weekly", "biweekly")
    if "anchor" not in raw:
        if frequency is None:
            return None
        return "mon" if weekly else "first-session"
    value = raw["anchor"]
    if not isinstance(value, str):
        issues.append(PlanIssue("anchor", f"must be a string, got {_show(value)}"))
        return None
    anchor = value.strip().lower()
    if frequency is None:
        return anchor  # the frequency issue is already reported
    if weekly:
        if anchor not in WEEKDAY_ANCHORS:
            issues.append(
                PlanIssue("anchor", f"{value!r} does not fit {frequency}: use a weekday {', '.join(WEEKDAY_ANCHORS)}")
            )
            return None
        return anchor
    if anchor in MONTH_ANCHORS:
        return anchor
    m = _DAY_ANCHOR.match(anchor)
    if m:
        n = int(m.group(1))
        if not 1 <= n <= 31:
            issues.append(PlanIssue("anchor", f"day:{n} is out of range, N must be 1..31"))
            return None
        return f"day:{n}"
    issues.append(
        PlanIssue(
            "anchor", f"{value!r} does not fit {frequency}: use first-session, last-session or day:N (N in 1..31)"
        )
    )
    return None


def parse_plan(raw: Any, source: str | None = None) -> DcaPlan:
    """Validate a decoded JSON object and build the plan; raise ``PlanError`` listing every problem."""
    if not isinstance(raw, dict):
        raise PlanError([PlanIssue("file", f"the plan must be a JSON object, got {type(raw).__name__}")], source)
    issues: list[PlanIssue] = []
    for key in raw:
        if key not in KEYS:
            issues.append(PlanIssue(str(key), f"unknown key {key!r} (allowed: {', '.join(KEYS)})"))

    name = raw.get("name")
    if "name" not in raw:
        issues.append(PlanIssue("name", "is required"))
    elif not isinstance(name, str) or not name.strip():
        issues.append(PlanIssue("name", f"must be a non-empty string, got {_show(name)}"))
        name = None
    else:
        name = name.strip()

    contribution = _number(raw, "contribution", issues, positive=True)
    initial = _number(raw, "initial", issues, default=0.0)
    step_up = _number(raw, "step_up_pct", issues, default=0.0)
    fee = _number(raw, "fee", issues, default=0.0)
    if contribution is not None and fee is not None and fee >= contribution:
        issues.append(PlanIssue("fee", f"fee per order ({_fmt(fee)}) must be less than the contribution"))

    frequency = raw.get("frequency")
    if "frequency" not in raw:
        issues.append(PlanIssue("frequency", f"is required ({' | '.join(FREQUENCIES)})"))
        frequency = None
    elif not isinstance(frequency, str) or frequency.strip().lower() not in FREQUENCIES:
        issues.append(PlanIssue("frequency", f"must be one of {', '.join(FREQUENCIES)}, got {_show(frequency)}"))
        frequency = None
    else:
        frequency = frequency.strip().lower()
    anchor = _anchor(raw, frequency, issues)

    start = _date(raw, "start", issues, required=True)
    end = _date(raw, "end", issues, required=False)
    count = None
    has_end = raw.get("end") is not None
    has_count = raw.get("count") is not None
    if has_end and has_count:
        issues.append(PlanIssue("end", "give either end or count, not both"))
    elif not has_end and not has_count:
        issues.append(PlanIssue("end", "the plan needs an end date or a count of contributions"))
    if has_count:
        value = raw["count"]
        if not isinstance(value, int) or isinstance(value, bool):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                issues.append(PlanIssue("count", f"must be a whole number, got {_show(value)}"))
                value = None
        if value is not None:
            if not 1 <= value <= MAX_COUNT:
                issues.append(PlanIssue("count", f"must be between 1 and {MAX_COUNT}, got {value}"))
            else:
                count = value
    if start is not None and end is not None and end < start:
        issues.append(PlanIssue("end", f"end {end.isoformat()} is before start {start.isoformat()}"))

    allocation = _allocation(raw, issues)

    fractional = raw.get("fractional", True)
    if not isinstance(fractional, bool):
        issues.append(PlanIssue("fractional", f"must be true or false, got {_show(fractional)}"))
    rebalance = raw.get("rebalance", "pro-rata")
    if not isinstance(rebalance, str) or rebalance.strip().lower() not in REBALANCE:
        issues.append(PlanIssue("rebalance", f"must be one of {', '.join(REBALANCE)}, got {_show(rebalance)}"))
    else:
        rebalance = rebalance.strip().lower()

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
    )


def parse_plan_text(text: str, source: str | None = None) -> DcaPlan:
    """Parse JSON text; malformed JSON is reported with its line and column."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            [PlanIssue("file", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")], source
        ) from None
    return parse_plan(raw, source)


def load_plan(path: str | os.PathLike) -> DcaPlan:
    """Read and validate a plan file (UTF-8 JSON)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError([PlanIssue("file", f"no such file: {path}")], str(path)) from None
    except UnicodeDecodeError as exc:
        raise PlanError([PlanIssue("file", f"not UTF-8 text (byte {exc.start})")], str(path)) from None
    except OSError as exc:
        raise PlanError([PlanIssue("file", f"cannot read: {exc.strerror or exc}")], str(path)) from None
    return parse_plan_text(text, str(path))


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def plan_to_dict(plan: DcaPlan) -> dict:
    """The JSON object of the file format, keys in DESIGN.md order (only one of end / count)."""
    out: dict[str, Any] = {
        "name": plan.name,
        "contribution": float(plan.contribution),
        "frequency": plan.frequency,
        "anchor": plan.anchor,
        "start": plan.start.isoformat(),
    }
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


def save_plan(plan: DcaPlan, path: str | os.PathLike) -> Path:
    """Write the plan atomically (temp file + rename), so a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(plan_to_json(plan))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
