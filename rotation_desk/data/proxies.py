"""The suggested proxies that ship with the app (resources/proxies.csv, built by tools/build_proxies.py).

Each short-history fund of the snapshot has up to four candidates of its
segment, ranked by the correlation of daily returns over the overlap (rank 1
is the suggestion), each with its measured tracking difference (the fund's
CAGR minus the proxy's, a year), tracking error and beta (core/proxy_fit.py).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from rotation_desk.data.resources import PROXIES, read_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SuggestedProxy:
    ticker: str
    proxy: str
    rank: int
    segment: str
    overlap_start: pd.Timestamp
    overlap_end: pd.Timestamp
    overlap_sessions: int
    correlation: float
    tracking_difference: float  # fraction a year
    tracking_error: float  # fraction a year
    beta: float

    def describe(self) -> str:
        """ "VBR (US small-cap targeted value): correlation 0.98, tracking difference +1.8 % a year, 2021-06-14 – 2026-08-03"."""
        return (
            f"{self.proxy} ({self.segment}): correlation {self.correlation:.2f}, tracking difference "
            f"{self.tracking_difference * 100:+.1f} % a year, over {self.overlap_start:%Y-%m-%d} – "
            f"{self.overlap_end:%Y-%m-%d}"
        )

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@lru_cache(maxsize=1)
def suggestions() -> dict[str, tuple[SuggestedProxy, ...]]:
    """{fund: its candidates, best first} ({} with a logged warning if a build left the file out)."""
    try:
        text = read_bytes(PROXIES).decode("utf-8")
    except OSError as exc:
        log.warning("the suggested proxies (%s) are missing from this build: %s", PROXIES, exc)
        return {}
    rows = csv.DictReader(io.StringIO(text))
    out: dict[str, list[SuggestedProxy]] = {}
    for r in rows:
        item = SuggestedProxy(
            ticker=r["ticker"],
            proxy=r["proxy"],
            rank=int(r["rank"]),
            segment=r["segment"],
            overlap_start=pd.Timestamp(r["overlap_start"]),
            overlap_end=pd.Timestamp(r["overlap_end"]),
            overlap_sessions=int(r["overlap_sessions"]),
            correlation=float(r["correlation"]),
            tracking_difference=float(r["tracking_difference"]),
            tracking_error=float(r["tracking_error"]),
            beta=float(r["beta"]),
        )
        out.setdefault(item.ticker, []).append(item)
    return {k: tuple(sorted(v, key=lambda s: s.rank)) for k, v in out.items()}


def suggested(ticker: str) -> SuggestedProxy | None:
    """The rank-1 proxy for ``ticker``, None when none ships."""
    found = suggestions().get(ticker.upper())
    return found[0] if found else None
