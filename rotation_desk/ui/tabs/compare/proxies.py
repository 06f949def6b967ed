"""Longer history by proxy in the ETF Comparison: which splices it shows, and the metrics table's mark.

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

from dataclasses import dataclass

from rotation_desk.core.proxy import Splice
from rotation_desk.ui.kit.proxy_choice import MARK, active, source_note, span, spliced_closes, statement, through, used
from rotation_desk.ui.tables.columns import Column

__all__ = [
    "MARK",
    "MarkedColumn",
    "active",
    "source_note",
    "span",
    "spliced_closes",
    "statement",
    "through",
    "ticker_tip",
    "used",
]


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
