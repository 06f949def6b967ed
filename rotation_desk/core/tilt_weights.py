"""Tilt weights: parsing "T=W,…", the presets and the validation shared by the backtest and the editor.

- Weights are given in percent and must sum to 100 (± 0.01, rounding only);
  they are then scaled to sum to exactly 100 %. Negative weights (shorts) are
  refused; zero weights are dropped.
"""

from __future__ import annotations

import math
import re

from rotation_desk.core.tickers import is_ticker, normalize
from rotation_desk.errors import BadInput

WEIGHT_TOLERANCE = 0.01  # percentage points

PRESETS: dict[str, dict[str, float]] = {
    "article tilts": {"SPY": 70.0, "XLI": 10.0, "XLF": 10.0, "XLY": 10.0},
    "defensive": {"SPY": 80.0, "XLU": 10.0, "XLP": 10.0},
}

_PAIR_RE = re.compile(r"^\s*(\S+?)\s*[=:]\s*([-+0-9.eE]+)\s*%?\s*$")  # the last = or : before the number


def preset(name: str) -> dict[str, float]:
    """A preset's weights (percent); the name is case-insensitive and '-'/'_' stand for spaces."""
    key = re.sub(r"[-_\s]+", " ", name.strip().lower())
    if key not in PRESETS:
        raise BadInput(f"no preset {name!r}; choose one of: {', '.join(PRESETS)}")
    return dict(PRESETS[key])


def parse_weights(text: str) -> dict[str, float]:
    """'SPY=70,XLI=10,XLF=10,XLY=10' → {'SPY': 70.0, ...} (percent; '%' and ':' allowed)."""
    out: dict[str, float] = {}
    parts = [p for p in text.split(",") if p.strip()]
    if not parts:
        raise BadInput("no weights given: use TICKER=PERCENT,… e.g. SPY=70,XLI=10,XLF=10,XLY=10")
    for part in parts:
        m = _PAIR_RE.match(part)
        if not m or not is_ticker(m.group(1)):
            raise BadInput(f"weight {part.strip()!r}: use TICKER=PERCENT, e.g. XLI=10")
        name = normalize(m.group(1))
        try:
            value = float(m.group(2))
        except ValueError:
            raise BadInput(f"weight {part.strip()!r}: {m.group(2)!r} is not a number") from None
        if name in out:
            raise BadInput(f"{name} is given twice in the weights")
        out[name] = value
    return out


def validate_weights(weights: dict[str, float], available=None) -> dict[str, float]:
    """Percent weights → fractions summing to exactly 1; BadInput naming what is wrong.

    ``available``: the tickers that have prices; any other ticker is refused.
    """
    if not weights:
        raise BadInput("no weights given")
    clean: dict[str, float] = {}
    for name, value in weights.items():
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise BadInput(f"{name}: weight {value!r} is not a number") from None
        if not math.isfinite(v):
            raise BadInput(f"{name}: weight {value!r} is not a number")
        if v < 0:
            raise BadInput(f"{name}: weight {v:g} % is negative (short positions are not supported)")
        clean[str(name).strip().upper()] = v
    total = sum(clean.values())
    if abs(total - 100.0) > WEIGHT_TOLERANCE:
        raise BadInput(f"weights sum to {total:g} %, not 100 % (tolerance ±{WEIGHT_TOLERANCE:g})")
    if available is not None:
        known = set(available)
        unknown = [t for t in clean if t not in known]
        if unknown:
            raise BadInput(f"unknown ticker{'s' if len(unknown) > 1 else ''} in the weights: {', '.join(unknown)}")
    return {t: v / total for t, v in clean.items() if v > 0}
