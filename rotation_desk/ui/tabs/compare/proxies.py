"""Longer history by proxy in the ETF Comparison (Qt-free, tested without a window).

The user extends a short-history fund with a proxy ("Extend history…", remembered per fund in
``settings.compare.proxies``). The closes go through ``data.prepared.load_spliced``, the splice of
``rotation-desk metrics --proxy``, so every figure of the tab equals the command line's. Which splices
a page then shows: only those whose proxied span reaches into the window (``used``); a fund whose own
history covers the window needs no proxy and is shown as it is.

- ``statement``: the one line above the pages ("DFAT before 2021-06-14: VBR's returns …").
- ``source_note``: what the charts' source line (and so an exported chart) adds.
- ``ticker_tip``: the tooltip of a marked ticker in the metrics table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from rotation_desk.core.proxy import Splice
from rotation_desk.data.prepared import load_spliced
from rotation_desk.errors import BadInput, DataUnavailable
from rotation_desk.ui.tables.columns import Column

MARK = "ᵖ"  # after a ticker whose figures use a proxy's returns


def active(chosen: Mapping[str, str], funds: Iterable[str]) -> dict[str, str]:
    """The remembered proxies of the funds compared now (a proxy that is itself compared stays a plain series)."""
    funds = list(funds)
    return {f: p for f, p in chosen.items() if f in funds}


def spliced_closes(market, names: Sequence[str], proxies: Mapping[str, str]) -> tuple[pd.DataFrame, dict[str, Splice]]:
    """The closes of ``names`` with the proxied funds extended; a refusal says the pair without the
    command line's "--proxy" (the page's sentence)."""
    if not proxies:
        return market.closes(list(names)), {}
    try:
        closes, _instruments, splices = load_spliced(market, names, proxies)
    except (BadInput, DataUnavailable) as exc:
        text = str(exc).removeprefix("--proxy ")
        raise type(exc)(f"Extend history: {text}") from None
    return closes, splices


def used(splices: Mapping[str, Splice], starts: Mapping[str, pd.Timestamp]) -> dict[str, Splice]:
    """The splices whose proxied span reaches into the window: the fund's first close shown (``starts``)
    is before its own first close."""
    return {t: s for t, s in splices.items() if t in starts and pd.Timestamp(starts[t]) < s.until}


def span(splice: Splice, first: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates shaded in a chart starting at ``first``: the proxy's closes in the window."""
    return max(splice.proxy_first, pd.Timestamp(first)), splice.until


def statement(splices: Mapping[str, Splice]) -> str:
    """The page's one line (empty when no proxy is used)."""
    if not splices:
        return ""
    parts = "; ".join(s.label() for s in splices.values())
    return f"Extended by proxy: {parts} · shaded in the charts, marked {MARK} in the table"


def source_note(splices: Mapping[str, Splice]) -> str:
    """ " · shaded: DFAT before 2021-06-14: VBR's returns" for the charts' source line."""
    if not splices:
        return ""
    return " · shaded: " + "; ".join(s.label() for s in splices.values())


def ticker_tip(splice: Splice) -> str:
    return (
        f"{splice.label()} (from {splice.proxy_first:%Y-%m-%d}, {splice.sessions:,} closes): every figure "
        f"in this row uses them before {splice.until:%Y-%m-%d}; {splice.ticker}'s own prices are unchanged"
    )


@dataclass(frozen=True)
class MarkedColumn(Column):
    """The ticker column: a proxied fund reads "DFAT ᵖ" (its raw value, sort key and CSV stay "DFAT")."""

    marked: tuple[str, ...] = ()

    def display(self, value) -> str:
        text = super().display(value)
        return f"{text} {MARK}" if value in self.marked else text
