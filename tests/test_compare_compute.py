"""ETF Comparison's Qt-free part (``ui.tabs.compare.compute``), tested without a window: the inputs →
comparison call, the window wording and the metrics table rows, against the command line, core
functions and hand-worked figures."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.capture import fees_paid
from rotation_desk.errors import DataUnavailable
from rotation_desk.ui.kit import formats
from rotation_desk.ui.state.ranges import resolve_window
from rotation_desk.ui.tabs.compare.compute import WindowWords, compute, expense_ratios, table_rows

FUNDS = ["DFAT", "VBR", "AVUV", "EEMV"]
LAST = pd.Timestamp("2026-08-03")


def inputs(market, mode="common", start=None, end=None, funds=FUNDS, bench="SPY", amount=10_000.0) -> dict:
    """What ``CompareTab._gather`` hands to ``compute``."""
    names = list(funds) + ([bench] if bench and bench not in funds else [])
    return dict(
        closes=market.closes(names),
        funds=list(funds),
        benchmark=bench,
        mode=mode,
        start=start,
        end=end,
        rolling="1Y",
        fee_amount=amount,
        expense_ratios=expense_ratios(names, market.fund),
    )


def test_the_modules_behind_the_tabs_numbers_import_no_qt():
    code = (
        "import sys, rotation_desk.ui.tabs.compare.compute, rotation_desk.ui.tabs.overview.compute; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_no_funds_is_nothing_to_compute():
    assert compute(None) is None


def test_rows_equal_the_command_line(market, data_dir, capsys):
    data = compute(inputs(market))
    capsys.readouterr()
    argv = ["--offline", "--data-dir", str(data_dir), "metrics", *FUNDS, "--benchmark", "SPY", "--common-window"]
    assert main([*argv, "--format", "json"]) == 0
    cli = {item["ticker"]: item for item in json.loads(capsys.readouterr().out)}
    rows, _tips, bold = table_rows(data, market.fund, data.fees, data.fee_amount)
    assert [r["ticker"] for r in rows] == FUNDS + ["SPY"] and bold == [4]  # the benchmark row, in bold
    assert sorted(cli) == sorted(FUNDS)  # the command line lists the funds; the tab adds the benchmark's row
    for row in rows[:4]:
        item = cli[row["ticker"]]
        for key in ("total_return", "cagr", "volatility", "sharpe", "max_drawdown", "beta", "yearly_fee_on_10000"):
            assert row[key] == item[key], (row["ticker"], key)
        assert formats.day(row["start"]) == item["start"] and row["name"] == item["name"]
        assert row["best_year"] == str(item["best_year"])
    spy = rows[4]
    assert spy["beta"] == pytest.approx(1.0, rel=1e-12) and spy["correlation"] == pytest.approx(1.0, rel=1e-12)


def test_fees_and_tooltips_of_a_fund(market):
    data = compute(inputs(market, amount=25_000.0))
    rows, tips, _bold = table_rows(data, market.fund, data.fees, data.fee_amount)
    i = [r["ticker"] for r in rows].index("DFAT")
    dfat = rows[i]
    assert dfat["expense_ratio"] == 0.0028 and dfat["yearly_fee_on_10000"] == pytest.approx(28.0)  # 0.28 % of $10,000
    assert dfat["fees_paid"] == pytest.approx(fees_paid(data.series["DFAT"], 0.0028, 25_000.0), rel=1e-12)
    assert tips[(i, "expense_ratio")].startswith("0.28 % a year, as of 2025-10-31\nSource: SEC prospectus")
    assert tips[(i, "fees_paid")] == (
        "0.28 % a year on $25,000.00 held 2021-06-14 – 2026-08-03, accrued daily on the growing balance"
    )
    assert tips[(i, "max_drawdown")] == (
        f"peak {formats.day(dfat['max_drawdown_peak'])}, trough {formats.day(dfat['max_drawdown_trough'])}, "
        f"recovered {formats.day(dfat['max_drawdown_recovery'])}"
    )
    assert tips[(i, "ticker")] == tips[(i, "name")] and tips[(i, "name")].startswith("Dimensional U.S. Targeted")


def test_a_fund_without_facts_has_empty_fee_cells(market):
    data = compute(inputs(market))
    rows, tips, _bold = table_rows(data, lambda t: None, {}, 10_000.0)
    assert all(r["name"] == "" and pd.isna(r["expense_ratio"]) and pd.isna(r["fees_paid"]) for r in rows)
    assert not any(key in ("expense_ratio", "fees_paid", "name") for _i, key in tips)
    assert expense_ratios(["DFAT", "NOSUCH"], market.fund) == {"DFAT": 0.0028, "NOSUCH": None}


def test_a_window_the_funds_do_not_share_is_data_unavailable(market):
    args = inputs(market, "range", pd.Timestamp("1990-01-01"), pd.Timestamp("1995-01-01"), funds=["DFAT", "VBR"])
    with pytest.raises(DataUnavailable, match=r"^DFAT, VBR have no common sessions in the window$"):
        compute(args)  # the command line's sentence (rotation-desk metrics … --common-window, exit 3)


def test_window_words_in_each_mode(market):
    words = WindowWords("5Y")
    common = compute(inputs(market))
    assert words.window_text(common) == (
        "common window 2021-06-14 – 2026-08-03, limited by DFAT · benchmark SPY · the toolbar range (5Y) "
        "is used only in “Toolbar range” mode"
    )
    assert words.subtitle(common) == "common window 2021-06-14 – 2026-08-03, limited by DFAT"

    full = compute(inputs(market, "full"))
    assert words.window_text(full) == (
        "full history of each fund (VBR from 2004-01-30 … DFAT from 2021-06-14; to 2026-08-03): rows cover "
        "different periods, so compare them with care · benchmark SPY"
    )
    assert words.subtitle(full) == "full history of each · 1993-01-29 – 2026-08-03"  # SPY's first close

    window = resolve_window("5Y", LAST)
    ranged = compute(inputs(market, "range", window.start, window.end))
    assert words.window_text(ranged) == "toolbar 5Y range: 2021-08-03 – 2026-08-03, common to all funds · benchmark SPY"
    window = resolve_window("10Y", LAST)
    limited = compute(inputs(market, "range", window.start, window.end, bench=None))
    assert WindowWords("10Y").window_text(limited) == (
        "toolbar 10Y range starts before DFAT's first close, so: common window 2021-06-14 – 2026-08-03, limited by DFAT"
    )
    start, end = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
    custom = compute(inputs(market, "range", start, end))
    assert WindowWords("Custom", (start, end)).subtitle(custom) == (
        "custom range 2023-01-01 – 2024-12-31 (closes 2022-12-30 – 2024-12-31, common to all funds)"
    )


@pytest.mark.parametrize(
    ("preset", "custom", "name", "phrase"),
    [
        ("1Y", (None, None), "1Y", "1Y range"),
        (
            "Custom",
            (pd.Timestamp("2019-01-01"), pd.Timestamp("2024-12-31")),
            "custom",
            "custom range 2019-01-01 – 2024-12-31",
        ),
        ("Custom", (pd.Timestamp("2019-01-01"), None), "custom", "custom range from 2019-01-01"),
        ("Custom", (None, pd.Timestamp("2024-12-31")), "custom", "custom range to 2024-12-31"),
        ("Custom", (None, None), "custom", "custom range"),
    ],
)
def test_the_toolbar_range_in_words(preset, custom, name, phrase):
    words = WindowWords(preset, custom)
    assert (words.range_name(), words.range_phrase()) == (name, phrase)
