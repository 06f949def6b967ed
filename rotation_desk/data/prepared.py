"""Closes ready for a comparison: yields refused where only prices make sense, proxies spliced, one currency.

``prepare(market, tickers, ...)`` is what a command (and a tab) asks before it
computes anything across tickers:

1. the tickers (and their proxies) must be cached (``DataUnavailable``, exit 3);
2. ``prices_only="tilt weights"``: a yield among them is refused
   (core/instruments.py ``require_prices``, exit 2);
3. ``proxies={"DFAT": "VBR"}``: each fund is extended before its first close
   with its proxy's daily returns (core/proxy.py ``splice_closes``; its checks
   exit 2);
4. currencies: with ``in_currency="USD"`` every priced ticker is converted
   through the cached FX pair (core/currency.py; a pair not cached is exit 3,
   naming it); without it, tickers in different currencies are refused with
   one line naming them (exit 2).

The result keeps what a page must show: each ticker's ``Instrument`` (label,
currency, calendar, periods a year), the ``Splice`` per proxied fund ("DFAT
before 2021-06-14: VBR's returns") and the ``Conversion`` per converted ticker.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from rotation_desk.core.currency import Conversion, convert, plan_conversion, require_one_currency
from rotation_desk.core.instruments import Instrument, require_prices
from rotation_desk.core.proxy import Splice, check_names, splice_closes
from rotation_desk.errors import BadInput, DataUnavailable

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Prepared:
    tickers: list[str]
    closes: pd.DataFrame  # dates × tickers: spliced and converted; the proxies' own columns only if asked for
    instruments: dict[str, Instrument]
    splices: dict[str, Splice] = field(default_factory=dict)
    conversions: dict[str, Conversion] = field(default_factory=dict)  # only tickers whose closes changed
    currency: str | None = None  # the priced tickers' one currency (after any conversion)

    @property
    def calendars(self) -> set[str | None]:
        return {self.instruments[t].calendar for t in self.tickers if not self.instruments[t].is_rate}

    @property
    def mixed_calendars(self) -> bool:
        return len(self.calendars) > 1

    def periods_per_year(self) -> dict[str, int]:
        return {t: self.instruments[t].periods_per_year for t in self.tickers}

    def as_dict(self) -> dict:
        """What a result's JSON says about its data: the currency, the proxies and the conversions."""
        return {
            "currency": self.currency,
            "proxies": {t: s.as_dict() for t, s in self.splices.items()},
            "conversions": {t: c.as_dict() for t, c in self.conversions.items()},
        }

    def notes(self) -> list[str]:
        """One line each: what was spliced, converted, and how calendars were lined up."""
        out = [s.label() for s in self.splices.values()]
        out += [c.describe() for c in self.conversions.values()]
        return out


def parse_currency(text: str | None) -> str | None:
    if text is None:
        return None
    code = text.strip().upper()
    if not CURRENCY_RE.match(code):
        raise BadInput(f"--in {text!r}: give a three-letter currency code such as USD, EUR or GBP")
    return code


def prepare(
    market,
    tickers: Sequence[str],
    *,
    proxies: Mapping[str, str] | None = None,
    in_currency: str | None = None,
    prices_only: str | None = None,
    where: str = "this comparison",
    start=None,
) -> Prepared:
    """See the module doc. ``where`` names the use in the currency message ("tilt", "correlation")."""
    names = list(dict.fromkeys(t.upper() for t in tickers))
    proxies = {k.upper(): v.upper() for k, v in (proxies or {}).items()}
    check_names(proxies, names)
    if prices_only:  # a yield is one by its symbol: refused before the store is asked
        require_prices([Instrument(n) for n in names], prices_only)
    closes, instruments, splices = load_spliced(market, names, proxies, start)
    target = parse_currency(in_currency)
    conversions: dict[str, Conversion] = {}
    priced = [instruments[n] for n in names if not instruments[n].is_rate]
    if target is None:
        currency = require_one_currency(priced, where)
    else:
        closes, conversions = _convert(market, closes, priced, target)
        currency = target if priced else None
    return Prepared(names, closes, {n: instruments[n] for n in names}, splices, conversions, currency)


def _convert(market, closes: pd.DataFrame, priced: list[Instrument], target: str):
    cached = set(market.ticker_names())
    quotes = {t: i.currency_code for t, i in market.instruments([c for c in cached if c.endswith("=X")]).items()}
    plans = {inst.ticker: plan_conversion(inst, target, cached, quotes) for inst in priced}
    pairs = sorted({p.pair for p in plans.values() if p.pair})
    fx = market.closes(pairs) if pairs else pd.DataFrame()
    out = closes.copy()
    done: dict[str, Conversion] = {}
    for name, plan in plans.items():
        if not plan.changed:
            continue
        series, conversion = convert(closes[name], plan, fx[plan.pair] if plan.pair else None)
        out[name] = series.reindex(out.index)
        done[name] = conversion
    return out, done


def load_spliced(market, names: Sequence[str], proxies: Mapping[str, str], start=None):
    """Steps 1 and 3 of ``prepare``: the closes of ``names`` with each proxied fund spliced (the proxies'
    own columns left out), the instruments of names and proxies, and the ``Splice`` per fund. The DCA
    backtest and the ETF Comparison tab take this path too, so their figures equal the command line's."""
    names = list(names)
    load = list(dict.fromkeys(names + list(proxies.values())))
    market.require(names)
    for fund, proxy in proxies.items():
        try:
            market.require([proxy])
        except DataUnavailable as exc:
            raise DataUnavailable(f"--proxy {fund}={proxy}: {exc}") from None
    closes = market.closes(load)
    instruments = market.instruments(load)
    closes, splices = splice_closes(closes, proxies, instruments, start)
    return closes[names], instruments, splices
