"""Longer history by proxy: extend a fund before its first close with another series' daily returns.

``splice_closes(closes, {"DFAT": "VBR"})`` is the one entry point (metrics,
tilt, correlation, factors, dca --backtest, export-chart, the ETF Comparison tab): for each fund T with
proxy P it returns T's closes extended backwards and a ``Splice`` saying what
was done. The rule, on daily returns:

- T's own closes are never changed. Let F be T's first close and A the
  proxy's last close on or before F (F itself when P has it).
- Before F, on the proxy's dates, T's spliced close is ``T(F) × P(d) / P(A)``:
  every daily return before F is P's return, the return into F included
  (P(A) to P(F) when P has F, nothing when it has not).
- A window's return across F is therefore the product of P's returns before
  F and T's after it: ``P(A)/P(start) × T(end)/T(F)``.

Checks (``check_proxies``; each a ``BadInput``, exit 2, naming the pair):
a proxy for a ticker not in the command; a ticker as its own proxy; a proxy
that is a yield or in another currency (its returns are not the fund's kind);
a proxy whose first close is not before the fund's (nothing to extend); a
proxy with no close by the fund's first close; and a fund that needs no proxy
because it already has a close on or before the window's start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.instruments import YIELDS, Instrument
from rotation_desk.core.tickers import parse_ticker
from rotation_desk.errors import BadInput

MAX_PROXIES = 20


@dataclass(frozen=True)
class Splice:
    """What ``splice_closes`` did to one ticker."""

    ticker: str
    proxy: str
    proxy_first: pd.Timestamp  # the proxy's first close used: the spliced series starts here
    until: pd.Timestamp  # the fund's first own close: every return before it is the proxy's
    anchor: pd.Timestamp  # the proxy's last close on or before ``until`` (A above)
    sessions: int  # closes taken from the proxy (dates before ``until``)

    def label(self) -> str:
        """ "DFAT before 2021-06-14: VBR's returns" (a table's footnote, a chart's shaded span)."""
        return f"{self.ticker} before {self.until:%Y-%m-%d}: {self.proxy}'s returns"

    def as_dict(self) -> dict:
        """The JSON of ``proxy`` in a result row: the proxy's ticker and the date it is used until."""
        return {"ticker": self.proxy, "until": self.until, "from": self.proxy_first, "sessions": self.sessions}


def parse_proxies(values: str | Iterable[str] | None) -> dict[str, str]:
    """{fund: proxy} from "DFAT=VBR,AVUV=IJS" (or a list of such texts); BadInput naming the piece."""
    if values is None:
        return {}
    texts = [values] if isinstance(values, str) else list(values)
    out: dict[str, str] = {}
    for text in texts:
        for piece in str(text).split(","):
            if not piece.strip():
                continue
            if piece.count("=") != 1:
                raise BadInput(f"--proxy {piece.strip()!r}: write it as FUND=PROXY, e.g. DFAT=VBR")
            fund, proxy = (p.strip() for p in piece.split("="))
            try:
                fund, proxy = parse_ticker(fund), parse_ticker(proxy)
            except ValueError as exc:
                raise BadInput(f"--proxy {piece.strip()!r}: {exc}") from None
            if fund == proxy:
                raise BadInput(f"--proxy {fund}={proxy}: a ticker cannot be its own proxy")
            if fund in out and out[fund] != proxy:
                raise BadInput(f"--proxy: {fund} is given two proxies ({out[fund]} and {proxy})")
            out[fund] = proxy
    if len(out) > MAX_PROXIES:
        raise BadInput(f"--proxy: at most {MAX_PROXIES} proxies, not {len(out)}")
    chained = [f for f, p in out.items() if p in out]
    if chained:
        raise BadInput(f"--proxy: {out[chained[0]]} is itself extended by a proxy; a proxy must be a plain series")
    return out


def check_names(proxies: Mapping[str, str], tickers: Iterable[str]) -> None:
    """BadInput when a proxy is given for a ticker the command does not use, or a yield is in a pair
    (checked before any data is read, so a yield that is not cached is still refused as a yield)."""
    for fund, proxy in proxies.items():
        for name in (fund, proxy):
            if name.upper() in YIELDS:
                raise BadInput(
                    f"--proxy {fund}={proxy}: {name} is a yield (a rate), not a price; a proxy splices price returns"
                )
    names = list(dict.fromkeys(tickers))
    stray = [f for f in proxies if f not in names]
    if stray:
        raise BadInput(
            f"--proxy {stray[0]}={proxies[stray[0]]}: {stray[0]} is not one of the tickers ({', '.join(names)})"
        )


def check_proxies(
    closes: pd.DataFrame,
    proxies: Mapping[str, str],
    instruments: Mapping[str, Instrument] | None = None,
    start=None,
) -> None:
    """Every refusal of the module doc, before anything is spliced."""
    instruments = instruments or {}
    for fund, proxy in proxies.items():
        pair = f"--proxy {fund}={proxy}"
        for name in (fund, proxy):
            if name.upper() in YIELDS:
                raise BadInput(f"{pair}: {name} is a yield (a rate), not a price; a proxy splices price returns")
        a, b = instruments.get(fund), instruments.get(proxy)
        if a is not None and b is not None and a.currency_code != b.currency_code:
            raise BadInput(
                f"{pair}: {proxy} is in {b.currency_code or 'an unknown currency'} and {fund} in "
                f"{a.currency_code or 'an unknown currency'}; a proxy must be in the fund's currency"
            )
        own, other = closes[fund].dropna(), closes[proxy].dropna()
        first, proxy_first = own.index[0], other.index[0]
        if start is not None and first <= pd.Timestamp(start):
            raise BadInput(
                f"{pair}: {fund} has closes from {first:%Y-%m-%d}, on or before the start "
                f"{pd.Timestamp(start):%Y-%m-%d}: it needs no proxy"
            )
        if proxy_first >= first:
            raise BadInput(
                f"{pair}: {proxy} starts {proxy_first:%Y-%m-%d}, not before {fund}'s first close "
                f"{first:%Y-%m-%d}: nothing to extend"
            )
        if other.index[-1] < first:
            raise BadInput(
                f"{pair}: {proxy}'s last close {other.index[-1]:%Y-%m-%d} is before {fund}'s first close "
                f"{first:%Y-%m-%d}: the two do not meet"
            )


def splice(own: pd.Series, proxy: pd.Series, proxy_name: str) -> tuple[pd.Series, Splice]:
    """One fund's closes extended before its first close with the proxy's returns (the module doc's rule)."""
    own = own.dropna()
    other = proxy.dropna()
    first = own.index[0]
    anchor_pos = int(other.index.searchsorted(first, side="right")) - 1
    if anchor_pos < 0:
        raise BadInput(f"--proxy {own.name}={proxy_name}: {proxy_name} has no close by {first:%Y-%m-%d}")
    anchor = other.index[anchor_pos]
    before = other.iloc[: anchor_pos + 1] if anchor < first else other.iloc[:anchor_pos]
    values = before.to_numpy(dtype=np.float64) / float(other.iloc[anchor_pos]) * float(own.iloc[0])
    head = pd.Series(values, index=before.index, name=own.name)
    out = pd.concat([head, own]) if len(head) else own.copy()
    info = Splice(
        ticker=str(own.name),
        proxy=proxy_name,
        proxy_first=other.index[0],
        until=first,
        anchor=anchor,
        sessions=len(head),
    )
    return out, info


def splice_closes(
    closes: pd.DataFrame,
    proxies: Mapping[str, str],
    instruments: Mapping[str, Instrument] | None = None,
    start=None,
) -> tuple[pd.DataFrame, dict[str, Splice]]:
    """``closes`` (dates × tickers, proxies among the columns) with each fund spliced; {fund: Splice}.

    The other columns are unchanged; the index grows by the proxies' earlier dates.
    """
    if not proxies:
        return closes, {}
    missing = [p for p in list(proxies) + list(proxies.values()) if p not in closes.columns]
    if missing:
        raise ValueError(f"splice_closes: no closes for {', '.join(missing)}")
    check_proxies(closes, proxies, instruments, start)
    spliced: dict[str, pd.Series] = {}
    info: dict[str, Splice] = {}
    for fund, proxy in proxies.items():
        spliced[fund], info[fund] = splice(closes[fund].rename(fund), closes[proxy], proxy)
    index = closes.index
    for series in spliced.values():
        index = index.union(series.index)
    out = closes.reindex(index)
    for fund, series in spliced.items():
        out[fund] = series.reindex(index)
    return out, info
