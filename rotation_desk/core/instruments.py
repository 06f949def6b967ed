"""What a series is: a price or a rate, in which currency, on which calendar, how many returns a year.

Yahoo's ``meta.instrumentType`` (stored per ticker by the refresh) says what a
symbol is: ``ETF``, ``EQUITY``, ``MUTUALFUND``, ``INDEX``, ``CURRENCY``,
``CRYPTOCURRENCY``, ``FUTURE``. Where it is not known (an imported file, a
store from before schema 2) it is guessed from the symbol (``guess_type``) and
``Instrument.type_known`` is False.

The one rule "is this a price or a rate" (``Instrument.kind``):

- **rates** are the Treasury yields Yahoo publishes as indices, ``^IRX ^FVX
  ^TNX ^TYX`` (``YIELDS``): their value is a yield in percent a year, so a
  "return" of a yield means nothing. They are shown as levels in percent and
  changes in basis points (core/rates.py), correlated on their changes, and
  refused, with ``RateRefused`` (exit 2), wherever only a price makes sense:
  growth of 10,000, DCA allocations, tilt weights, pair ratios, strategies,
  RRG, factor regressions, beta benchmarks, proxies.
- everything else is a **price**. A price *index* (``^GSPC ^RUT``) carries no
  dividends, so its total return is its price return (``Instrument.note``).
  The VIX is an index of implied volatility: a price here (its changes are
  percent changes of the index), though nobody can hold it.

Calendars (``Instrument.calendar``, exchange_calendars names): US listings,
US indices and yields follow the NYSE (``XNYS``); a foreign listing its own
exchange's calendar by its Yahoo suffix (``VWRL.L`` -> ``XLON``); crypto trades
every day (``24/7``), currency pairs Monday to Friday (``24/5``); an unknown
suffix has no calendar (no gap check). Returns a year
(``periods_per_year``): 365 for ``24/7`` series, 260 for ``24/5``, else 252
(DESIGN.md's convention; other exchanges trade 245-255 sessions a year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rotation_desk.errors import BadInput

PRICE, RATE = "price", "rate"

YIELDS: dict[str, str] = {
    "^IRX": "13-week Treasury bill yield",
    "^FVX": "5-year Treasury yield",
    "^TNX": "10-year Treasury yield",
    "^TYX": "30-year Treasury yield",
}

TYPE_WORDS = {
    "ETF": "ETF",
    "EQUITY": "stock",
    "MUTUALFUND": "mutual fund",
    "INDEX": "index",
    "CURRENCY": "currency pair",
    "CRYPTOCURRENCY": "crypto",
    "FUTURE": "future",
}

# Yahoo quotes some listings in a currency's minor unit: pence, cents, agorot.
MINOR_UNITS: dict[str, tuple[str, float]] = {
    "GBp": ("GBP", 0.01),
    "GBX": ("GBP", 0.01),
    "ZAc": ("ZAR", 0.01),
    "ZAC": ("ZAR", 0.01),
    "ILA": ("ILS", 0.01),
}

# Yahoo's suffix of a foreign listing -> its exchange's calendar (exchange_calendars)
SUFFIX_CALENDARS = {
    "L": "XLON",
    "IL": "XLON",
    "DE": "XETR",
    "F": "XFRA",
    "PA": "XPAR",
    "AS": "XAMS",
    "BR": "XBRU",
    "MI": "XMIL",
    "MC": "XMAD",
    "LS": "XLIS",
    "SW": "XSWX",
    "ST": "XSTO",
    "CO": "XCSE",
    "HE": "XHEL",
    "OL": "XOSL",
    "VI": "XWBO",
    "IR": "XDUB",
    "WA": "XWAR",
    "T": "XTKS",
    "HK": "XHKG",
    "SS": "XSHG",
    "KS": "XKRX",
    "TW": "XTAI",
    "SI": "XSES",
    "AX": "XASX",
    "NZ": "XNZE",
    "TO": "XTSE",
    "SA": "BVMF",
    "MX": "XMEX",
    "JO": "XJSE",
}
INDEX_CALENDARS = {"^FTSE": "XLON", "^GDAXI": "XETR", "^FCHI": "XPAR", "^N225": "XTKS", "^HSI": "XHKG", "^AXJO": "XASX"}
US_CALENDAR = "XNYS"
EVERY_DAY, WEEKDAYS = "24/7", "24/5"
PERIODS_PER_YEAR = {EVERY_DAY: 365, WEEKDAYS: 260}
DEFAULT_PERIODS = 252

RATE_NOTE = (
    "a yield is a rate (percent a year), not a price: it has no total return, volatility or drawdown; "
    "shown: its level in percent and its changes in basis points"
)
INDEX_NOTE = "a price index: no dividends, so its total return is its price return"

_CRYPTO = re.compile(r"^[A-Z0-9]{2,10}-(USD|USDT|USDC|EUR|GBP|JPY|BTC|ETH)$")
_MUTUAL_FUND = re.compile(r"^[A-Z]{4}X$")


class RateRefused(BadInput):
    """A yield was given where only a price makes sense."""


def guess_type(ticker: str) -> str | None:
    """Yahoo's instrument type as far as the symbol tells (None: a fund or a stock, unknown which)."""
    t = ticker.upper()
    if t.startswith("^"):
        return "INDEX"
    if t.endswith("=X"):
        return "CURRENCY"
    if t.endswith("=F"):
        return "FUTURE"
    if _CRYPTO.match(t):
        return "CRYPTOCURRENCY"
    if _MUTUAL_FUND.match(t):
        return "MUTUALFUND"
    return None


def suffix(ticker: str) -> str | None:
    """The exchange suffix of a foreign listing (``L`` for ``VWRL.L``), None for a US symbol."""
    t = ticker.upper()
    if t.startswith("^") or "=" in t or "." not in t:
        return None
    return t.rsplit(".", 1)[1]


def major_currency(code: str | None) -> tuple[str | None, float]:
    """(ISO code, factor to it): ("GBP", 0.01) for Yahoo's pence ``GBp``; (code, 1.0) otherwise."""
    if code is None:
        return None, 1.0
    if code in MINOR_UNITS:
        return MINOR_UNITS[code]
    return code.upper(), 1.0


def _currency_from_symbol(ticker: str) -> str | None:
    t = ticker.upper()
    if t.endswith("=X"):
        body = t[:-2]
        return body[3:6] if len(body) == 6 else (body if len(body) == 3 else None)
    m = _CRYPTO.match(t)
    if m:
        return m.group(1).replace("USDT", "USD").replace("USDC", "USD")
    if suffix(t) is None:
        return "USD"  # a US symbol (an index, a fund, a stock): dollars
    return None


@dataclass(frozen=True)
class Instrument:
    """One ticker's listing as stored (None: not known yet) and what follows from it."""

    ticker: str
    instrument_type: str | None = None  # Yahoo's meta.instrumentType
    currency: str | None = None  # Yahoo's meta.currency, as sent (GBp: pence)
    exchange: str | None = None  # Yahoo's meta.exchangeName
    timezone: str | None = None  # Yahoo's meta.exchangeTimezoneName

    @property
    def type(self) -> str | None:
        return self.instrument_type or guess_type(self.ticker)

    @property
    def type_known(self) -> bool:
        return self.instrument_type is not None

    @property
    def kind(self) -> str:
        return RATE if self.ticker.upper() in YIELDS else PRICE

    @property
    def is_rate(self) -> bool:
        return self.kind == RATE

    @property
    def quoted_currency(self) -> str | None:
        """The currency as Yahoo quotes it (``GBp``), or the one the symbol implies when not stored."""
        return self.currency or _currency_from_symbol(self.ticker)

    @property
    def currency_code(self) -> str | None:
        """The ISO currency (``GBP`` for pence), None when unknown (a foreign listing never refreshed)."""
        return major_currency(self.quoted_currency)[0]

    @property
    def currency_assumed(self) -> bool:
        return self.currency is None and self.currency_code is not None

    @property
    def unit_factor(self) -> float:
        """Quoted units per currency unit: 0.01 for pence."""
        return major_currency(self.quoted_currency)[1]

    @property
    def calendar(self) -> str | None:
        kind = self.type
        if kind == "CRYPTOCURRENCY":
            return EVERY_DAY
        if kind == "CURRENCY":
            return WEEKDAYS
        t = self.ticker.upper()
        if t in INDEX_CALENDARS:
            return INDEX_CALENDARS[t]
        end = suffix(t)
        if end is None:
            return US_CALENDAR
        return SUFFIX_CALENDARS.get(end)

    @property
    def periods_per_year(self) -> int:
        return PERIODS_PER_YEAR.get(self.calendar or "", DEFAULT_PERIODS)

    @property
    def type_words(self) -> str:
        """ "yield", "index", "ETF", "crypto", "fund or stock" (a column of a list)."""
        return "yield" if self.is_rate else TYPE_WORDS.get(self.type or "", "fund or stock")

    @property
    def label(self) -> str:
        """A few words for a table or a tooltip: "10-year Treasury yield", "index", "ETF (GBP)"."""
        if self.is_rate:
            return YIELDS[self.ticker.upper()]
        words = TYPE_WORDS.get(self.type or "", "fund or stock")
        code = self.currency_code
        return words if code in (None, "USD") else f"{words} ({code})"

    @property
    def note(self) -> str | None:
        if self.is_rate:
            return RATE_NOTE
        if self.type == "INDEX":
            return INDEX_NOTE
        return None

    def as_dict(self) -> dict:
        return {
            "ticker": self.ticker,
            "instrument_type": self.type,
            "instrument_type_known": self.type_known,
            "kind": self.kind,
            "currency": self.currency_code,
            "quoted_currency": self.quoted_currency,
            "exchange": self.exchange,
            "timezone": self.timezone,
            "calendar": self.calendar,
            "periods_per_year": self.periods_per_year,
            "label": self.label,
            "note": self.note,
        }


def rate_refusal(ticker: str, where: str) -> str | None:
    """The one line that refuses a yield where only a price makes sense; None for a price."""
    if ticker.upper() not in YIELDS:
        return None
    return (
        f"{ticker} is a yield ({YIELDS[ticker.upper()]}, a rate in percent), not a price: "
        f"it cannot be used for {where} (metrics {ticker} shows its level and changes)"
    )


def require_prices(instruments, where: str) -> None:
    """``RateRefused`` naming the first yield among ``instruments`` (Instrument objects): ``where`` takes prices
    only ("tilt weights", "a DCA allocation", "a pair ratio")."""
    for inst in instruments:
        if inst.is_rate:
            raise RateRefused(rate_refusal(inst.ticker, where))


def require_exchange_sessions(instruments, where: str) -> None:
    """``BadInput`` when none of ``instruments`` trades on an exchange calendar: ``where`` (a tilt, a
    strategy) runs on the dates all its tickers share and annualises them as exchange sessions (252 a year),
    which a portfolio of crypto or currency pairs alone does not have."""
    items = [i for i in instruments if not i.is_rate]
    if items and all(i.calendar in PERIODS_PER_YEAR for i in items):
        names = ", ".join(i.ticker for i in items)
        raise BadInput(
            f"{names} trade{'s' if len(items) == 1 else ''} outside exchange sessions (every day or Monday to "
            f"Friday): {where} is measured on exchange sessions (252 a year); add an exchange-listed ticker "
            "such as SPY (as the benchmark, say)"
        )
