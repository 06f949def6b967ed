"""The DCA plan: a frozen dataclass, the problems a plan can have, the file format's defaults and limits.

Conventions (the file format is in docs/architecture.md and the README):
- The file holds exactly the keys of ``KEYS``; unknown keys are rejected by
  name so a typo ("contributon") never silently falls back to a default.
- Required: name, contribution, frequency, start, allocation and exactly one
  of end / count. Optional: ``OPTIONAL_DEFAULTS`` (initial 0, step_up_pct 0,
  fee 0, fractional true, rebalance pro-rata) and the anchor
  (``default_anchor``: first-session for monthly and quarterly, mon for
  weekly and biweekly), and the schedule options ``SCHEDULE_DEFAULTS``:
  ``every`` N periods of the frequency counted from the start (every 3
  weeks, every 2 months; 1 to ``MAX_EVERY``) and ``roll``, where a buy date
  that is not a session goes (``next-session``, or ``previous-session`` for
  payroll dates).
- Allocation is in percent and must sum to 100 (within 1e-6); tickers are
  upper-cased. Whether a ticker exists is checked where prices are known
  (the backtest raises ``DataUnavailable`` naming it).
- Validation collects every problem and raises one ``PlanError`` (exit 2)
  whose ``issues`` name the fields; a file is never silently "fixed".

Limits (checked before anything else is done with the input):
- a plan file is at most ``MAX_PLAN_BYTES`` and nested at most ``MAX_DEPTH``
  deep (a plan needs 2); a JSON number has at most ``MAX_NUMBER_CHARS``
  characters;
- the name is one line of at most ``MAX_NAME`` characters: no line breaks,
  tabs or other control characters, no lone surrogates (it is the title of
  every calendar event, so it must be printable text);
- amounts are what the money code represents exactly: contribution from one
  cent to ``MAX_AMOUNT``, initial and fee up to ``MAX_AMOUNT``; the step-up at
  most ``MAX_STEP_UP_PCT`` % a year; all the money a plan pays in at most
  ``MAX_TOTAL`` (cents stay below 2**53, so every float amount is exact to the
  cent); at most ``MAX_TICKERS`` tickers and ``MAX_COUNT`` contributions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from rotation_desk.errors import BadInput

FREQUENCIES = ("weekly", "biweekly", "monthly", "quarterly")
WEEKDAY_ANCHORS = ("mon", "tue", "wed", "thu", "fri")
MONTH_ANCHORS = ("first-session", "last-session")  # plus "day:N", N in 1..31
REBALANCE = ("pro-rata", "to-target")
ROLLS = ("next-session", "previous-session")  # a buy date that is not a session moves to the next or previous one
MAX_EVERY = 52
KEYS = (
    "name",
    "contribution",
    "frequency",
    "every",
    "anchor",
    "roll",
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
# Keys a file may leave out and that are written only when they differ from these (files from before they
# existed keep meaning the same, and a plan that does not use them is saved as before).
SCHEDULE_DEFAULTS = {"every": 1, "roll": "next-session"}
OPTIONAL_DEFAULTS = {"initial": 0.0, "step_up_pct": 0.0, "fee": 0.0, "fractional": True, "rebalance": "pro-rata"}
WEIGHT_TOLERANCE = 1e-6

MAX_PLAN_BYTES = 1_048_576
MAX_DEPTH = 10
MAX_NUMBER_CHARS = 40
MAX_NAME = 200
MIN_CONTRIBUTION = 0.01
MAX_AMOUNT = 1e9
MAX_STEP_UP_PCT = 100.0
MAX_TOTAL = 1e13
MAX_TICKERS = 50
MAX_COUNT = 10_000
MAX_ISSUES_SHOWN = 10

DAY_ANCHOR = re.compile(r"^day:(-?\d+)$")


def default_anchor(frequency: str | None) -> str:
    """The anchor a plan without one gets: Mondays for weekly plans, the first session otherwise."""
    return "mon" if frequency in ("weekly", "biweekly") else "first-session"


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
        shown = "; ".join(str(i) for i in self.issues[:MAX_ISSUES_SHOWN])
        more = len(self.issues) - MAX_ISSUES_SHOWN
        if more > 0:
            shown += f"; and {more:,} more"
        super().__init__(f"invalid DCA plan{where}: {shown}")

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
    every: int = 1
    roll: str = "next-session"

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
        m = DAY_ANCHOR.match(self.anchor)
        return int(m.group(1)) if m else None

    def with_window(self, start: dt.date, end: dt.date | None) -> DcaPlan:
        """The same plan started at ``start``; ``end`` (if given) replaces the end/count bound."""
        if end is None:
            return replace(self, start=start)
        return replace(self, start=start, end=end, count=None)
