"""The tables ``rotation-desk metrics`` prints: prices (with currency and proxy marks) and yields.

- A ticker extended by a proxy is marked ``*`` and a footnote names the proxy
  and the date it was used until ("* DFAT before 2021-06-14: VBR's returns").
- A currency column appears as soon as one row is not in dollars; converted
  closes are footnoted with their FX pair.
- Yields get their own table: levels in percent, changes in basis points, and
  one line saying why a yield has no total return.
"""

from __future__ import annotations

from rotation_desk.cli.output import day, num, pct, table
from rotation_desk.core.instruments import RATE_NOTE
from rotation_desk.core.rates import PERIODS, level_text

PROXY_MARK = "*"
CONVERTED_MARK = "†"


def _ticker_cell(r: dict) -> str:
    mark = PROXY_MARK if r.get("proxy") else ""
    mark += CONVERTED_MARK if r.get("converted") else ""
    return r["ticker"] + mark


def metrics_table(rows: list[dict], benchmark: str | None) -> str:
    show_currency = any((r.get("currency") or "USD") != "USD" for r in rows)
    header = ["Ticker", "Start", "End", "Total", "CAGR", "Vol", "Sharpe", "Sortino", "Max DD", "Calmar"]
    if benchmark:
        header += [f"Beta {benchmark}", f"Corr {benchmark}", "Up cap", "Down cap"]
    header += ["Exp. ratio"]
    if show_currency:
        header.insert(1, "Currency")
    body = []
    for r in rows:
        cells = [
            _ticker_cell(r),
            day(r["start"]),
            day(r["end"]),
            pct(r["total_return"]),
            pct(r["cagr"]),
            pct(r["volatility"], signed=False),
            num(r["sharpe"]),
            num(r["sortino"]),
            pct(r["max_drawdown"]),
            num(r["calmar"]),
        ]
        if benchmark:
            cells += [
                num(r["beta"]),
                num(r["correlation"]),
                pct(r["up_capture"], 0, False),
                pct(r["down_capture"], 0, False),
            ]
        cells.append(pct(r["expense_ratio"], 2, False))
        if show_currency:
            cells.insert(1, r.get("currency") or "?")
        body.append(cells)
    right = set(range(2 if show_currency else 1, len(header)))
    return table(body, header, right=right)


def footnotes(rows: list[dict], prep) -> list[str]:
    """The marks' meaning, then what each row is when it is not a plain US fund (an index, crypto)."""
    out = []
    for r in rows:
        splice = prep.splices.get(r["ticker"])
        if splice is not None:
            out.append(f"{PROXY_MARK} {splice.label()} (from {splice.proxy_first:%Y-%m-%d})")
    for r in rows:
        conversion = prep.conversions.get(r["ticker"])
        if conversion is not None:
            out.append(f"{CONVERTED_MARK} {conversion.describe()}")
    for r in rows:
        if r.get("note"):
            out.append(f"{r['ticker']}: {r['note']}")
        if r.get("periods_per_year") not in (None, 252):
            out.append(
                f"{r['ticker']}: trades {r['periods_per_year']} days a year: volatility × √{r['periods_per_year']}"
            )
    return out


def _bp(value) -> str:
    return "—" if value is None else f"{value:+.0f} bp"


_level = level_text


def rates_table(rows: list[dict]) -> str:
    """Levels in percent, changes in basis points; the explanation first."""
    shown = [p for p in PERIODS if any(r["changes_bp"].get(p) is not None for r in rows)]
    header = ["Yield", "Start", "End", "Level", "Then", "Change", "High", "Low", *shown]
    body = []
    for r in rows:
        body.append(
            [
                f"{r['ticker']} {r['name']}",
                day(r["start"]),
                day(r["end"]),
                _level(r["level_end"]),
                _level(r["level_start"]),
                _bp(r["change_bp"]),
                f"{_level(r['high'])} {day(r['high_date'])}",
                f"{_level(r['low'])} {day(r['low_date'])}",
                *(_bp(r["changes_bp"].get(p)) for p in shown),
            ]
        )
    names = ", ".join(r["ticker"] for r in rows)
    lead = f"{names}: {RATE_NOTE} (1 bp = 0.01 percentage point)."
    return lead + "\n" + table(body, header, right=set(range(3, len(header))))
