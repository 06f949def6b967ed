"""Ticker syntax: the one definition the command line, the settings file and every field use.

Every Yahoo symbol form is accepted:

- US funds and stocks ``SPY``, share classes ``BRK-B``;
- indices and yields with a leading caret ``^GSPC ^RUT ^IXIC ^SOX ^VIX ^TNX ^N225``;
- currencies ``EURUSD=X`` and futures ``ES=F`` (one ``=`` and a letter at the end);
- crypto ``BTC-USD``;
- foreign listings ``VWRL.L 7203.T 0700.HK 000001.SS``;
- mutual funds ``VSIAX``.

A symbol is letters and digits in groups joined by single dots or dashes, with
an optional caret in front and an optional ``=X`` style suffix; at most
``MAX_LENGTH`` characters. Spaces, other punctuation, empty groups (``SPY.``,
``A..B``) and a caret anywhere but the front are refused. Input is upper-cased
(Yahoo symbols are case-insensitive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_LENGTH = 20
TICKER_RE = re.compile(r"^\^?[A-Z0-9]+(?:[.\-][A-Z0-9]+)*(?:=[A-Z])?$")
FORMS_HELP = "e.g. SPY, BRK-B, ^GSPC, EURUSD=X, BTC-USD, VWRL.L"


def normalize(text: str) -> str:
    """Upper-cased and stripped (no check)."""
    return str(text).strip().upper()


def is_ticker(text: object) -> bool:
    """True when ``text`` (after ``normalize``) is a symbol in one of the accepted forms."""
    if not isinstance(text, str):
        return False
    value = normalize(text)
    return 0 < len(value) <= MAX_LENGTH and TICKER_RE.match(value) is not None


def parse_ticker(text: object) -> str:
    """The normalised symbol; ``ValueError`` naming the text when it is not one."""
    if not is_ticker(text):
        shown = text if isinstance(text, str) else type(text).__name__
        if isinstance(shown, str) and len(shown) > 40:
            shown = shown[:40] + "…"
        raise ValueError(f"{shown!r} is not a ticker symbol ({FORMS_HELP})")
    return normalize(text)  # type: ignore[arg-type]


def split_tickers(text: str) -> list[str]:
    """Symbols from free text separated by commas, semicolons and/or spaces; upper-cased, in order,
    duplicates dropped (not checked: see ``invalid``)."""
    names = [normalize(t) for t in re.split(r"[,\s;]+", text) if t.strip()]
    return list(dict.fromkeys(names))


def invalid(names: Iterable[str]) -> list[str]:
    """The ones among ``names`` that are not ticker symbols."""
    return [n for n in names if not is_ticker(n)]
