"""Rotation strategies on the command line (issue 16).

``rotation-desk strategy pair NUM/DEN [--average N] [--benchmark SPY] [--cost-bps B] [--start D] [--end D]``
``rotation-desk strategy rrg [--quadrants leading,improving] [--frequency weekly|daily] [--benchmark SPY]
[--tickers T ...] [--cost-bps B] [--start D] [--end D]``   (both: ``--format table|json``)
"""

from __future__ import annotations

import argparse
import sys

from rotation_desk.cli.args import add_format, iso_date, ticker, ticker_list
from rotation_desk.cli.output import day, dumps, pct, table
from rotation_desk.core import rrg as rrg_core
from rotation_desk.core import strategy_pair, strategy_rrg
from rotation_desk.core.instruments import require_exchange_sessions
from rotation_desk.core.strategy import StrategyResult, result_dict
from rotation_desk.data.prepared import prepare


def _common(p) -> None:
    p.add_argument("--cost-bps", type=float, default=0.0, help="cost per trade in basis points of the traded value")
    p.add_argument("--start", type=iso_date, help="value 1 at the last session on or before this date")
    p.add_argument("--end", type=iso_date, help="window end (default: last cached session)")
    add_format(p, choices=("table", "json"))


def register(sub, parents) -> None:
    s = sub.add_parser("strategy", help="backtest a rotation rule (pair average, RRG quadrants)", parents=parents)
    ssub = s.add_subparsers(dest="strategy_command", metavar="RULE", required=True)
    p = ssub.add_parser(
        "pair",
        help="hold NUM while NUM/DEN closes above its N-session average, else DEN",
        description=strategy_pair.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    p.add_argument("pair", metavar="NUM/DEN", help="e.g. IWM/SPY")
    p.add_argument("--average", type=int, default=strategy_pair.DEFAULT_AVERAGE, help="sessions (default: 200)")
    p.add_argument("--benchmark", type=ticker, default="SPY", help="bought and held for comparison (default: SPY)")
    _common(p)
    p.set_defaults(func=cmd_pair)

    r = ssub.add_parser(
        "rrg",
        help="hold, equal-weight, the tickers in the chosen RRG quadrants",
        description=strategy_rrg.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    r.add_argument(
        "--quadrants", help="comma-separated: leading, weakening, lagging, improving (default: leading,improving)"
    )
    r.add_argument("--frequency", choices=rrg_core.FREQUENCIES, default="weekly", help="default: weekly")
    r.add_argument("--benchmark", type=ticker, default=rrg_core.DEFAULT_BENCHMARK, help="default: SPY")
    r.add_argument("--tickers", type=ticker_list, nargs="+", metavar="T", help="default: the 11 SPDR sectors")
    _common(r)
    r.set_defaults(func=cmd_rrg)


def run_pair(
    market, pair_text, average=strategy_pair.DEFAULT_AVERAGE, benchmark="SPY", cost_bps=0.0, start=None, end=None
):
    num, den = strategy_pair.parse_pair(pair_text)
    prep = prepare(market, [num, den, benchmark], prices_only="a pair ratio", where="a pair strategy")
    require_exchange_sessions(prep.instruments.values(), "a pair strategy")
    closes = prep.closes
    return strategy_pair.pair_strategy(closes, num, den, average, start, end, cost_bps, benchmark)


def run_rrg(
    market, quadrants=None, frequency="weekly", benchmark="SPY", tickers=None, cost_bps=0.0, start=None, end=None
):
    chosen = strategy_rrg.parse_quadrants(quadrants)
    names = list(dict.fromkeys(tickers or rrg_core.SECTORS))
    prep = prepare(market, [*names, benchmark], prices_only="an RRG strategy", where="an RRG strategy")
    require_exchange_sessions(prep.instruments.values(), "an RRG strategy")
    closes = prep.closes
    return strategy_rrg.rrg_strategy(closes, names, benchmark, chosen, frequency, start, end, cost_bps)


def cmd_pair(args: argparse.Namespace, ctx) -> int:
    result = run_pair(ctx.market, args.pair, args.average, args.benchmark, args.cost_bps, args.start, args.end)
    return show(result, args.format)


def cmd_rrg(args: argparse.Namespace, ctx) -> int:
    tickers = [t for group in args.tickers for t in group] if args.tickers else None
    result = run_rrg(
        ctx.market, args.quadrants, args.frequency, args.benchmark, tickers, args.cost_bps, args.start, args.end
    )
    return show(result, args.format)


def show(result: StrategyResult, fmt: str) -> int:
    for note in result.notes:
        print(note, file=sys.stderr)
    if fmt == "json":
        print(dumps(result_dict(result)))
        return 0
    sim = result.simulation
    print(f"Strategy: {result.description}")
    print(
        f"{day(result.start)} – {day(result.end)}, value 1 at the start · cost {result.cost_bps:g} bp of traded value"
    )
    columns = [("Strategy", sim), *((f"{name} held", s) for name, s in result.buy_and_hold.items())]
    rows = [
        ["Value of 1"] + [f"{s.stats.final_value:,.4f}" for _, s in columns],
        ["Total return"] + [pct(s.stats.total_return) for _, s in columns],
        ["CAGR"] + [pct(s.stats.cagr, 2) for _, s in columns],
        ["Volatility"] + [pct(s.stats.volatility, 1, False) for _, s in columns],
        ["Max drawdown"] + [pct(s.stats.max_drawdown) for _, s in columns],
        ["Turnover"] + [pct(s.turnover, 0, False) for _, s in columns],
        ["Costs (of 1)"] + [f"{s.costs:.4f}" for _, s in columns],
    ]
    print(table(rows, ["", *(c for c, _ in columns)]))
    print()
    time_words = " · ".join(f"{t} {pct(v, 1, False)}" for t, v in result.time_in.items())
    print(
        f"{len(result.changes) - 1} changes of holding, {len(sim.trades) - 1} rebalances, "
        f"turnover {sim.turnover_per_year * 100:.0f} % a year (one-way) · time held: {time_words}"
    )
    print()
    trades = [[day(t.date), t.holding, pct(t.turnover, 0, False)] for t in result.changes]
    print(table(trades, ["Traded at close", "Holding after", "Turnover"], right={2}))
    return 0
