"""Where the window's own tools are, for messages that send the user to them (Qt-free)."""

from __future__ import annotations

from collections.abc import Sequence

IMPORT_MENU = "Import prices from CSV…"  # the File menu entry (ui/app/import_dialog.py)
IMPORT_WHERE = f"File → {IMPORT_MENU}"


def no_prices(names: Sequence[str]) -> str:
    """ "no cached prices for X (refresh it, or import it with File → Import prices from CSV…)"."""
    it = "it" if len(names) == 1 else "them"
    return f"no cached prices for {', '.join(names)} (refresh {it}, or import {it} with {IMPORT_WHERE})"
