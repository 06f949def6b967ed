"""Typed, validated settings fields (Qt-free): each field of a settings section carries its check.

A section is a dataclass whose fields are declared with ``setting(default, check)``.
``load_section`` reads a JSON object into a fresh section: every key it knows
is checked on its own, so one wrong entry falls back to that entry's default
and is reported in a notice, never the whole file. Keys it does not know are
left out (a newer version's settings, or old ones no longer used).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from dataclasses import MISSING, field, fields
from pathlib import PurePath
from typing import Any, TypeVar

from rotation_desk.core.pairs import parse_pair
from rotation_desk.core.tickers import is_ticker, normalize

T = TypeVar("T")
Check = Callable[[Any, str], Any]  # (value, "section.key") -> the value to keep, or SettingsError


class SettingsError(ValueError):
    """One settings entry holds something we cannot use (the message names the entry)."""


def setting(default: Any, check: Check):
    """A dataclass field with its default (copied per instance) and its check."""
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: copy.deepcopy(default), metadata={"check": check})
    return field(default=default, metadata={"check": check})


def load_section(cls: type[T], data: Any, name: str, notices: list[str]) -> T:
    """A ``cls`` from the JSON object ``data``; each wrong entry keeps its default and adds a notice."""
    section = cls()
    if data is None:
        return section
    if not isinstance(data, dict):
        notices.append(f"{name}: expected an object; the defaults are used")
        return section
    for f in fields(cls):
        if f.name not in data:
            continue
        where = f"{name}.{f.name}" if name else f.name
        try:
            setattr(section, f.name, f.metadata["check"](data[f.name], where))
        except SettingsError as exc:
            notices.append(f"{exc}; the default is used")
    return section


def check_field(cls, name: str, value: Any, where: str | None = None) -> Any:
    """``value`` checked by the field ``name`` of ``cls`` (what a dialog applies); SettingsError if wrong."""
    f = next(f for f in fields(cls) if f.name == name)
    return f.metadata["check"](value, where or name)


def bounds_of(cls, name: str) -> tuple[float, float]:
    """The (low, high) of a ``number`` field, so a spin box offers exactly what the check accepts."""
    f = next(f for f in fields(cls) if f.name == name)
    return f.metadata["check"].bounds


def default_of(cls, name: str) -> Any:
    f = next(f for f in fields(cls) if f.name == name)
    return f.default_factory() if f.default is MISSING else f.default


# ---------------------------------------------------------------------- checks
def choice(*choices: str) -> Check:
    def check(value, where):
        if value not in choices:
            raise SettingsError(f"{where}: {_show(value)} is not one of {', '.join(choices)}")
        return value

    return check


def number(lo: float, hi: float, whole: bool = False) -> Check:
    def check(value, where):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if whole:
            ok = ok and float(value).is_integer()
        if not ok or not lo <= value <= hi:
            kind = "a whole number" if whole else "a number"
            raise SettingsError(f"{where}: expected {kind} from {lo:g} to {hi:g}, got {_show(value)}")
        return int(value) if whole else float(value)

    check.bounds = (lo, hi)
    return check


def optional(inner: Check) -> Check:
    def check(value, where):
        return None if value is None else inner(value, where)

    return check


def flag(value, where):
    if not isinstance(value, bool):
        raise SettingsError(f"{where}: expected true or false, got {_show(value)}")
    return value


def text(max_length: int = 10_000) -> Check:
    def check(value, where):
        if not isinstance(value, str) or len(value) > max_length:
            raise SettingsError(f"{where}: expected text (at most {max_length:,} characters)")
        return value

    return check


def file_name(value, where):
    """A bare file name (no folders), as the plan library stores the last plan."""
    if not isinstance(value, str) or not value or PurePath(value).name != value or len(value) > 255:
        raise SettingsError(f"{where}: expected a file name, got {_show(value)}")
    return value


def ticker(value, where):
    if not is_ticker(value):
        raise SettingsError(f"{where}: {_show(value)} is not a ticker symbol")
    return normalize(value)


def tickers(max_count: int, allow_empty: bool = True) -> Check:
    def check(value, where):
        if not isinstance(value, list) or len(value) > max_count:
            raise SettingsError(f"{where}: expected a list of at most {max_count} tickers")
        out = list(dict.fromkeys(ticker(t, where) for t in value))
        if not out and not allow_empty:
            raise SettingsError(f"{where}: expected at least one ticker")
        return out

    return check


def weights(total: float = 100.0, tolerance: float = 0.01, max_count: int = 40) -> Check:
    """{ticker: percent} with percents from 0 to 100 summing to ``total``."""

    def check(value, where):
        if not isinstance(value, dict) or not value or len(value) > max_count:
            raise SettingsError(f"{where}: expected ticker: percent pairs")
        out = {ticker(k, where): number(0, 100)(v, f"{where}.{k}") for k, v in value.items()}
        if abs(sum(out.values()) - total) > tolerance:
            raise SettingsError(f"{where}: the percentages must sum to {total:g}")
        return out

    return check


def pairs(max_count: int) -> Check:
    def check(value, where):
        if not isinstance(value, list) or len(value) > max_count:
            raise SettingsError(f'{where}: expected a list of at most {max_count} pairs such as "IWM/SPY"')
        out: list[str] = []
        for item in value:
            try:
                key = "/".join(parse_pair(item))
            except ValueError as exc:
                raise SettingsError(f"{where}: {exc}") from None
            if key not in out:
                out.append(key)
        return out

    return check


def mapping_of(check_value: Check, max_count: int = 500) -> Check:
    """{name: value}, each value checked (entries that fail are dropped with the first error raised)."""

    def check(value, where):
        if not isinstance(value, dict) or len(value) > max_count:
            raise SettingsError(f"{where}: expected an object")
        return {str(k): check_value(v, f"{where}.{k}") for k, v in value.items()}

    return check


def keep_known(names: Iterable[str], known: set[str]) -> tuple[list[str], list[str]]:
    """(the names that are cached, the ones that are not)."""
    names = list(names)
    return [n for n in names if n in known], [n for n in names if n not in known]


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:40] + "…"
