"""How a table column reads (Qt-free): its header, display text, sort key and CSV cell.

    Column("r_1y", "1Y", kind="percent", signed=True, colour="heat")

- ``kind``: text, percent (values are fractions: 0.05 shows "5.0 %"), money,
  number, integer or date; numbers and dates are right-aligned.
- Sort keys are the raw values (numbers as numbers, dates as dates); a missing
  value has no key (the sort puts it last).
- CSV cells are numbers in the unit the header names ("1Y (%)": 12.34 means
  12.34 %; "Fee ($)": two decimals), see csv_export.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rotation_desk.ui.kit import formats

KINDS = ("text", "percent", "money", "number", "integer", "date")
COLOURS = ("none", "sign", "heat")


@dataclass(frozen=True)
class Column:
    key: str  # the DataFrame column
    title: str | None = None  # header text (default: the key)
    kind: str = "text"  # text | percent (fractions) | money | number | integer | date
    digits: int | None = None
    signed: bool = False  # "+" in front of positive numbers
    colour: str = "none"  # none | sign (gain/loss text colour) | heat (cell background)
    tooltip: str | None = None  # header tooltip: what the column means
    stretch: bool = False  # take the spare width

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key}: kind must be one of {KINDS}")
        if self.colour not in COLOURS:
            raise ValueError(f"column {self.key}: colour must be one of {COLOURS}")

    @classmethod
    def change(cls, key: str, title: str | None = None, tooltip: str | None = None) -> Column:
        """A period's return or change: signed percent on a heat-coloured cell."""
        return cls(key, title, kind="percent", signed=True, colour="heat", tooltip=tooltip)

    @property
    def header(self) -> str:
        return self.title if self.title is not None else self.key

    @property
    def numeric(self) -> bool:
        return self.kind in ("percent", "money", "number", "integer")

    @property
    def right_aligned(self) -> bool:
        return self.numeric or self.kind == "date"

    def display(self, value) -> str:
        if formats.is_missing(value):
            return formats.MISSING
        if self.kind == "percent":
            return formats.pct(value, 1 if self.digits is None else self.digits, self.signed)
        if self.kind == "money":
            return formats.money(value, 2 if self.digits is None else self.digits, self.signed)
        if self.kind == "number":
            return formats.number(value, 2 if self.digits is None else self.digits, self.signed)
        if self.kind == "integer":
            return f"{int(value):,}"
        if self.kind == "date":
            return formats.day(value)
        return str(value)

    def sort_key(self, value):
        if formats.is_missing(value):
            return None
        if self.numeric:
            return float(value)
        if self.kind == "date":
            return formats.day(value)
        return str(value).lower()

    def csv_header(self) -> str:
        return {"percent": f"{self.header} (%)", "money": f"{self.header} ($)"}.get(self.kind, self.header)

    def csv_value(self, value):
        if formats.is_missing(value):
            return None
        if self.kind == "percent":
            return round(float(value) * 100.0, 4)
        if self.kind == "money":
            return round(float(value), 2)
        if self.kind == "number":
            return round(float(value), 6)
        if self.kind == "integer":
            return int(value)
        if self.kind == "date":
            return formats.day(value)
        return str(value)


def heat_scale(values: Sequence[float]) -> float:
    """The magnitude that gets full heat colour (90th percentile of |values|)."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    return float(np.percentile(finite, 90)) if finite else 0.0
