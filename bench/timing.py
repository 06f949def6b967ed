"""Timing helpers shared by the benchmark modules: best of N, and a result row."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def best_of_turns(ours: Callable[[], object], peer: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The fastest of ``repeat`` runs of each, in seconds, the two taking turns: a slow spell of the machine
    falls on both alike rather than on whichever ran during it (for process starts, whose times spread)."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for i, fn in enumerate((ours, peer)):
            best[i] = min(best[i], best_of(fn, 1))
    return best[0], best[1]


def row(
    figure: str,
    ours_s: float,
    peer: str,
    peer_s: float,
    note: str = "",
    unit: str = "s",
    limit: float = 1.0,
    limit_kind: str = "ratio",
) -> dict:
    """One benchmark row. ``limit``: the largest ours ÷ peer allowed (``limit_kind`` "ratio", 1.0 unless
    said otherwise), or the largest value of ours itself ("absolute", e.g. 300 MB)."""
    ratio = ours_s / peer_s if peer_s else float("nan")
    measured = ratio if limit_kind == "ratio" else ours_s
    return {
        "figure": figure,
        "ours_s": ours_s,
        "peer": peer,
        "peer_s": peer_s,
        "ratio": ratio,
        "note": note,
        "unit": unit,
        "limit": limit,
        "limit_kind": limit_kind,
        "within_limit": bool(measured <= limit),
    }
