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

from rotation_desk.ui.kit.proxy_choice import (
    MARK,
    MarkedColumn,
    active,
    source_note,
    span,
    spliced_closes,
    statement,
    through,
    ticker_tip,
    used,
)

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
