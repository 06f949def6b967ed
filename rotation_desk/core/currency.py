"""Currencies: never mix them silently; convert through a cached FX pair when asked (``--in USD``).

- ``currency_groups``: which priced tickers are in which currency (yields are
  left out: a rate is in percent, not in a currency). ``require_one_currency``
  refuses a mix with one line naming the currencies and the way out (``--in``).
- ``fx_candidates(from, to)``: the Yahoo pairs that can convert, in order:
  ``GBPUSD=X`` (dollars per pound: multiply), ``USDGBP=X`` (divide), and for
  the dollar Yahoo's short forms ``GBP=X`` (pounds per dollar: divide when
  converting to dollars, multiply when converting from them).
- ``convert``: each close times the quoted unit's factor (0.01 for pence,
  ``GBp``) times the FX close of the same date, or the last one before it (the
  FX pair trades Monday to Friday; a listing's session on another day takes
  the last FX close before it). Closes before the pair's first close are left
  out, and the conversion says from when it applies.

Returns in another currency are the listing's returns compounded with the
currency's: converted closes, then the usual daily returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from rotation_desk.core.instruments import Instrument
from rotation_desk.errors import BadInput, DataUnavailable

BASE = "USD"


@dataclass(frozen=True)
class Conversion:
    """How one ticker's closes were turned into another currency."""

    ticker: str
    quoted: str  # the currency as quoted (GBp)
    source: str  # its ISO code (GBP)
    target: str
    pair: str | None  # None: same currency, only the unit changed (pence to pounds) or nothing at all
    inverted: bool = False  # the pair quotes the source per target: divide by it
    factor: float = 1.0  # quoted units to currency units (0.01 for pence)
    first: pd.Timestamp | None = None  # first converted close (the pair's first close or later)

    @property
    def changed(self) -> bool:
        return self.pair is not None or self.factor != 1.0

    def describe(self) -> str:
        """ "VWRL.L: GBP to USD through GBPUSD=X (pence to pounds first), from 2003-12-01"."""
        if self.pair is None:
            unit = f"{self.quoted} to {self.source}" if self.factor != 1.0 else "unchanged"
            return f"{self.ticker}: {unit}"
        how = f"through {self.pair}" + (" (inverted)" if self.inverted else "")
        unit = f" ({self.quoted} to {self.source} first)" if self.factor != 1.0 else ""
        since = f", from {self.first:%Y-%m-%d}" if self.first is not None else ""
        return f"{self.ticker}: {self.source} to {self.target} {how}{unit}{since}"

    def as_dict(self) -> dict:
        return {
            "from": self.source,
            "to": self.target,
            "pair": self.pair,
            "inverted": self.inverted,
            "unit_factor": self.factor,
            "first": self.first,
        }


def currency_groups(instruments: Iterable[Instrument]) -> dict[str | None, list[str]]:
    """{ISO currency (None: unknown): [tickers]} for the priced instruments (yields left out)."""
    groups: dict[str | None, list[str]] = {}
    for inst in instruments:
        if not inst.is_rate:
            groups.setdefault(inst.currency_code, []).append(inst.ticker)
    return groups


def describe_groups(groups: Mapping[str | None, list[str]]) -> str:
    parts = []
    for code, names in groups.items():
        parts.append(f"{', '.join(names)} {'in an unknown currency' if code is None else 'in ' + code}")
    return " and ".join(parts)


def require_one_currency(instruments: Iterable[Instrument], where: str) -> str | None:
    """The one currency of the priced instruments (None when there are none); ``BadInput`` for a mix."""
    groups = currency_groups(instruments)
    unknown = groups.get(None)
    if unknown and len(groups) > 1:
        raise BadInput(
            f"{', '.join(unknown)}: currency unknown (refresh it, or import it with --currency): "
            f"{where} cannot tell whether it matches {describe_groups({k: v for k, v in groups.items() if k})}"
        )
    if len(groups) > 1:
        others = [k for k in sorted(k for k in groups if k) if k != BASE]
        alternative = f" (or --in {' or --in '.join(others)})" if others else ""
        raise BadInput(
            f"{describe_groups(groups)}: {where} would mix currencies; "
            f"add --in {BASE}{alternative} to convert through the cached FX pairs"
        )
    return next(iter(groups), None)


def fx_candidates(source: str, target: str) -> list[tuple[str, bool]]:
    """(Yahoo pair, inverted) that convert ``source`` amounts into ``target``, most direct first."""
    out = [(f"{source}{target}=X", False), (f"{target}{source}=X", True)]
    if source == BASE:
        out.append((f"{target}=X", False))  # Yahoo's "GBP=X": pounds per dollar
    if target == BASE:
        out.append((f"{source}=X", True))
    return out


def plan_conversion(
    instrument: Instrument, target: str, cached: Iterable[str], fx_quotes: Mapping[str, str | None] | None = None
) -> Conversion:
    """How ``instrument`` becomes ``target``; ``DataUnavailable`` naming the pair to refresh when none is cached.

    ``fx_quotes`` (pair -> its stored currency) checks that a pair is quoted as expected where known.
    """
    target = target.upper()
    source = instrument.currency_code
    if source is None:
        raise BadInput(f"--in {target}: the currency of {instrument.ticker} is unknown (refresh it first)")
    factor = instrument.unit_factor
    if source == target:
        return Conversion(instrument.ticker, instrument.quoted_currency or source, source, target, None, False, factor)
    have = {c.upper() for c in cached}
    for pair, inverted in fx_candidates(source, target):
        if pair in have:
            quoted = (fx_quotes or {}).get(pair)
            expected = source if inverted else target
            if quoted is not None and quoted.upper() != expected:
                continue  # stored as quoted in another currency than the symbol says: not this pair
            return Conversion(
                instrument.ticker, instrument.quoted_currency or source, source, target, pair, inverted, factor
            )
    pair = fx_candidates(source, target)[0][0]
    raise DataUnavailable(
        f"--in {target}: {instrument.ticker} is in {source} and the FX pair {pair} is not cached "
        f"(run: rotation-desk data refresh {pair})"
    )


def convert(prices: pd.Series, conversion: Conversion, fx: pd.Series | None = None) -> tuple[pd.Series, Conversion]:
    """The closes in the target currency (see the module doc) and the conversion with its first date."""
    clean = prices.dropna()
    if conversion.pair is None:
        out = clean * conversion.factor if conversion.factor != 1.0 else clean
        first = out.index[0] if len(out) else None
        return out.rename(prices.name), _with_first(conversion, first)
    if fx is None:
        raise ValueError(f"{conversion.pair}: the FX closes are needed")
    rates = fx.dropna()
    rates = rates[rates > 0]
    if rates.empty:
        raise DataUnavailable(f"{conversion.pair} has no usable closes to convert {conversion.ticker}")
    pos = rates.index.searchsorted(clean.index, side="right") - 1
    keep = pos >= 0
    rate_values = rates.to_numpy(dtype=np.float64)[pos[keep]]
    if conversion.inverted:
        rate_values = 1.0 / rate_values
    values = clean.to_numpy(dtype=np.float64)[keep] * conversion.factor * rate_values
    out = pd.Series(values, index=clean.index[keep], name=prices.name)
    if out.empty:
        raise DataUnavailable(
            f"{conversion.pair} starts {rates.index[0]:%Y-%m-%d}, after the last close of {conversion.ticker}: "
            "nothing to convert"
        )
    return out, _with_first(conversion, out.index[0])


def _with_first(conversion: Conversion, first) -> Conversion:
    return replace(conversion, first=first)
