"""Rotation pairs as the user types and stores them: "IWM/SPY" (numerator/denominator), Qt-free.

Used by the settings file (the "pairs" list), the Market Overview's add-pair
field and ``export-chart ratios --tickers IWM/SPY,IWD/IWF``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rotation_desk.core.rotation import DEFAULT_PAIRS, Pair, find_default
from rotation_desk.core.tickers import is_ticker

DEFAULT_PAIR_KEYS: tuple[str, ...] = tuple(p.key for p in DEFAULT_PAIRS)
MAX_PAIRS = 12


def parse_pair(text: str) -> tuple[str, str]:
    """("IWM", "SPY") from "iwm/spy" or "IWM / SPY"; ValueError says what is wrong."""
    if not isinstance(text, str) or text.count("/") != 1:
        raise ValueError(f"{text!r} is not a pair: write it as NUMERATOR/DENOMINATOR, e.g. IWM/SPY")
    num, den = (part.strip().upper() for part in text.split("/"))
    for side in (num, den):
        if not is_ticker(side):
            raise ValueError(f"{side or 'an empty side'!r} in {text!r} is not a ticker symbol")
    if num == den:
        raise ValueError(f"{text}: the two sides must be different tickers")
    return num, den


def pair_from_key(key: str) -> Pair:
    """The Pair for "NUM/DEN", with the built-in title and words when it is one of the defaults."""
    return find_default(*parse_pair(key))


def check_new_pair(num: str, den: str, known: Iterable[str], existing: Sequence[str]) -> tuple[str | None, str | None]:
    """("NUM/DEN", None) when the pair can be added, else (None, the reason)."""
    num, den = num.strip().upper(), den.strip().upper()
    if not num or not den:
        return None, "enter both tickers"
    try:
        num, den = parse_pair(f"{num}/{den}")
    except ValueError as exc:
        return None, str(exc)
    known = set(known)
    missing = [t for t in (num, den) if t not in known]
    if missing:
        it = "it" if len(missing) == 1 else "them"
        return None, (
            f"no cached prices for {', '.join(missing)} (refresh {it}, or import {it} with File → Import prices from CSV…)"
        )
    key = f"{num}/{den}"
    if key in existing:
        return None, f"{key} is already shown"
    if len(existing) >= MAX_PAIRS:
        return None, f"at most {MAX_PAIRS} pairs; remove one first"
    return key, None
