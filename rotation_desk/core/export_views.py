"""The export views: their names, aliases and one-line descriptions. Here in ``core`` (plain data, no Qt)
so that the command line, which lists them in ``--help``, never imports the ``ui`` package (and Qt with it)
for a command that draws nothing.

``export-chart VIEW``, ``export-table VIEW`` and ``report`` use these names; each tab class lists the
views it renders in ``Tab.views``.
"""

from __future__ import annotations

VIEW_LINES = {
    "watchlist": "Market Overview: the watchlist rebased to 100 (with --tickers T,T)",
    "ratios": "Market Overview: the rotation pairs as small multiples (--tickers IWM/SPY,IWD/IWF)",
    "compare": "ETF Comparison: growth of $10,000 on the common window",
    "drawdown": "ETF Comparison: drawdown from the running peak",
    "correlation": "ETF Comparison: correlation heat map of daily returns",
    "rrg": "Sector Tilts: relative rotation graph against the benchmark",
    "tilt": "Sector Tilts: tilt backtest vs the benchmark, active return and figures (--tickers T=W,...)",
    "dca": "DCA Planner: the plan's backtest against money invested and a lump sum",
}
VIEWS = tuple(VIEW_LINES)
ALIASES = {"overview": "watchlist"}  # the name before issue 17


def canonical_view(name: str) -> str:
    """``name`` with its alias resolved (``overview`` -> ``watchlist``); unknown names are returned as given."""
    name = name.strip().lower()
    return ALIASES.get(name, name)


def views_help() -> str:
    """One line per view, for ``--help``."""
    width = max(map(len, VIEWS))
    lines = [f"  {v:<{width}}  {text}" for v, text in VIEW_LINES.items()]
    lines += [f"  {a:<{width}}  = {v} (older name)" for a, v in ALIASES.items()]
    return "\n".join(lines)
