"""The Sector Tilts tab's Qt-free part (``ui/tabs/sectors/compute.py`` and ``texts.py``), tested without a window.

The jobs are checked against the core functions the command line calls and against hand computations
(weekly frames, buy and hold); the words on screen against the figures they name.
"""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core import rrg as rrg_core
from rotation_desk.core import tilt as tilt_core
from rotation_desk.errors import BadInput, DataUnavailable
from rotation_desk.ui.kit import formats
from rotation_desk.ui.tabs.sectors import compute, texts


def test_compute_and_texts_import_no_qt():
    code = (
        "import sys, rotation_desk.ui.tabs.sectors.compute, rotation_desk.ui.tabs.sectors.texts\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------- names
def sector_name(ticker: str) -> str:
    """The tab's name for a ticker with no fund facts at hand: the sector's, else empty."""
    return compute.display_name(ticker, {}.get)


def test_display_name_of_sectors_funds_and_unknown_tickers():
    facts = {"ITA": SimpleNamespace(name="iShares U.S. Aerospace & Defense ETF")}
    assert compute.display_name("XLU", facts.get) == "Utilities"
    assert compute.display_name("XLRE", facts.get) == "Real estate"
    assert compute.display_name("ITA", facts.get) == "iShares U.S. Aerospace & Defense ETF"
    assert compute.display_name("NOPE", facts.get) == ""
    assert set(compute.SECTOR_NAMES) == set(rrg_core.SECTORS)


def test_graph_names_leave_the_benchmark_out():
    assert compute.graph_names(["XLK", "SPY", "XLF"], "SPY") == ["XLK", "XLF"]
    with pytest.raises(BadInput, match="the only ticker is the benchmark SPY; add others to compare with it"):
        compute.graph_names(["SPY"], "SPY")


# ---------------------------------------------------------------------------- rotation graph
def rrg_inputs(closes, names=rrg_core.SECTORS, start="2021-08-03", end="2026-08-03", keep=None, frequency="weekly"):
    cut = closes.loc[: pd.Timestamp(end), [*names, "SPY"]]
    return compute.RrgInputs(
        cut, list(names), "SPY", frequency, pd.Timestamp(start), pd.Timestamp(end), 8, keep and pd.Timestamp(keep)
    )


def test_rrg_job_frames_are_the_weeks_of_the_range_and_the_table_is_the_last_one(closes):
    data = compute.rrg_job(rrg_inputs(closes))
    expected = rrg_core.rrg_series(closes.loc[:"2026-08-03"], rrg_core.SECTORS, "SPY", "weekly")
    pd.testing.assert_frame_equal(data.series, expected)
    # one frame per week from the range's start: the last session of each ISO week (the last, unfinished, too)
    sessions = closes.loc["2021-08-03":"2026-08-03", "SPY"].dropna().index
    iso = sessions.isocalendar()
    week_ends = pd.Series(sessions, index=sessions).groupby([iso.year.to_numpy(), iso.week.to_numpy()]).max()
    assert data.frames == list(week_ends)
    assert data.index == len(data.frames) - 1 and data.frames[-1] == pd.Timestamp("2026-08-03")
    snapshot = rrg_core.rrg_snapshot(expected, as_of="2026-08-03", tail=8)
    assert data.at.when == pd.Timestamp("2026-08-03")
    assert [(r.ticker, r.rs_ratio, r.rs_momentum, r.quadrant) for r in data.at.rows] == [
        (r.ticker, r.rs_ratio, r.rs_momentum, r.quadrant) for r in snapshot
    ]
    heat = rrg_core.sector_heatmap(closes, rrg_core.SECTORS, "SPY", "2026-08-03")
    pd.testing.assert_frame_equal(data.at.heat, heat)
    # the graph's points: each ticker's rows of the series, in the tickers' order
    assert list(data.points) == list(rrg_core.SECTORS)
    dates, x, y = data.points["XLE"]
    rows = expected[expected["ticker"] == "XLE"]
    assert (dates == rows["date"].to_numpy().astype("datetime64[ns]").astype(np.int64)).all()
    assert x.tolist() == rows["rs_ratio"].tolist() and y.tolist() == rows["rs_momentum"].tolist()


def test_rrg_job_keeps_the_slider_on_the_week_of_its_date(closes):
    data = compute.rrg_job(rrg_inputs(closes, ["XLK", "XLE", "ITA"], keep="2024-03-20"))  # a Wednesday
    assert data.frames[data.index] == pd.Timestamp("2024-03-15")  # that week's Friday is after it: the one before
    _, expected = rrg_core.rrg_at(closes, ["XLK", "XLE", "ITA"], "SPY", "2024-03-15", "weekly", tail=8)
    assert [r.rs_ratio for r in data.at.rows] == pytest.approx([e.rs_ratio for e in expected], abs=1e-9)
    early = compute.rrg_job(rrg_inputs(closes, keep="2001-01-05"))
    assert early.index == 0


def test_rrg_job_without_enough_history_says_how_much_is_needed(closes):
    # XLC's first close is in June 2018; 116 weeks (10 + 4 + 2 × 51) of closes are needed for a first point
    with pytest.raises(DataUnavailable) as err:
        compute.rrg_job(rrg_inputs(closes, ["XLC"], start="2018-01-01", end="2019-06-28"))
    assert str(err.value) == (
        "Not enough history up to 2019-06-28 for an RRG point: each ticker needs 116 weeks of closes together with SPY."
    )
    with pytest.raises(DataUnavailable, match="needs 572 sessions"):  # 50 + 20 + 2 × 251
        compute.rrg_job(rrg_inputs(closes, ["XLC"], start="2018-01-01", end="2019-06-28", frequency="daily"))


def test_frame_dates_after_the_last_point_keep_the_last_one():
    series = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-01-12", "2024-01-05"])})
    assert compute.frame_dates(series, None) == [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-12")]
    assert compute.frame_dates(series, pd.Timestamp("2024-01-06")) == [pd.Timestamp("2024-01-12")]
    assert compute.frame_dates(series, pd.Timestamp("2025-01-01")) == [pd.Timestamp("2024-01-12")]


def test_table_job_is_the_snapshot_and_heat_map_at_the_date(closes):
    data = compute.rrg_job(rrg_inputs(closes))
    when = data.frames[100]
    frame = compute.table_job((data.series, data.closes, data.names, "SPY", when, 5))
    _, expected = rrg_core.rrg_at(closes, rrg_core.SECTORS, "SPY", when, "weekly", tail=5)
    assert frame.when == when
    assert [len(r.tail) for r in frame.rows] == [len(e.tail) for e in expected]
    assert [r.rs_momentum for r in frame.rows] == pytest.approx([e.rs_momentum for e in expected], abs=1e-9)
    assert frame.heat.attrs["as_of"] == when


def test_rrg_words_name_the_date_windows_and_missing_tickers(closes):
    when = pd.Timestamp("2019-06-28")
    assert texts.rrg_title("RSP") == "Relative rotation graph vs RSP"
    assert texts.rrg_subtitle(when, "weekly", 8, []) == (
        "as of 2019-06-28 · weekly points, tails of 8 weeks · RS smoothed over 10, z-scores over 52, momentum over 4 weeks"
    )
    assert texts.rrg_subtitle(when, "daily", 1, ["XLC"]) == (
        "as of 2019-06-28 · daily points, tails of 1 session · RS smoothed over 50, z-scores over 252, "
        "momentum over 20 sessions · XLC: no point yet"
    )
    assert texts.rrg_caption("SPY", "weekly", when, "Max", ["XLC"], True) == (
        "RRG vs SPY, weekly, as of 2019-06-28 · the slider spans the Max range · "
        "no point yet for XLC (needs 116 weeks of history) · SPY is the benchmark, left out"
    )
    assert texts.rrg_caption("SPY", "daily", when, "5Y", [], False) == (
        "RRG vs SPY, daily, as of 2019-06-28 · the slider spans the 5Y range"
    )
    heat = rrg_core.sector_heatmap(closes, ["XLK", "ITA"], "SPY", when)
    assert texts.heat_caption("SPY", heat).startswith("Heat map: return minus SPY's to 2019-06-28, the graph's date")


def test_rrg_rows_are_the_snapshot_rows_with_names_and_bearings(closes):
    _, rows = rrg_core.rrg_at(closes, ["XLK", "ITA"], "SPY", "2024-03-15", "weekly")
    frame, tips = texts.rrg_rows(rows, {"XLK": "Technology", "ITA": "Aerospace"}.get)
    assert list(frame.columns) == texts.RRG_COLUMNS
    assert frame["ticker"].tolist() == ["XLK", "ITA"]
    assert frame["rs_ratio"].tolist() == [r.rs_ratio for r in rows]
    assert frame["periods_in_quadrant"].tolist() == [r.periods_in_quadrant for r in rows]
    assert frame["heading"].tolist() == [r.heading or formats.MISSING for r in rows]
    assert tips[(0, "ticker")] == "Technology · point of 2024-03-15"
    r = rows[1]
    assert tips[(1, "heading")] == f"bearing {r.heading_degrees:.0f}° (0 = north, momentum up), move {r.distance:.2f}"
    heat = rrg_core.sector_heatmap(closes, ["XLK", "ITA"], "SPY", "2024-03-15")
    heat_frame, heat_tips = texts.heat_rows(heat, sector_name)
    assert heat_frame["ticker"].tolist() == ["XLK", "ITA"] and heat_tips == {
        (0, "ticker"): "Technology",
        (1, "ticker"): "",
    }


# ---------------------------------------------------------------------------- tilt backtest
def test_tilt_sharpe_uses_the_windows_risk_free_rate(closes):
    """The Settings' risk-free rate reaches the tilt's Sharpe ratios (empyrical-reloaded agrees) and the
    caption says which rate was used."""
    import empyrical

    weights = {"SPY": 70.0, "XLI": 10.0, "XLF": 10.0, "XLY": 10.0}
    names = compute.holdings(weights, "SPY")
    start, end = pd.Timestamp("2016-01-01"), pd.Timestamp("2024-12-31")
    args = (closes[names], weights, "SPY", "monthly", start, end, "custom window")
    at_zero, _ = compute.tilt_job(compute.TiltInputs(*args))
    at_four, label = compute.tilt_job(compute.TiltInputs(*args, rf=0.04))
    daily_rf = 1.04 ** (1 / 252) - 1
    for result in (at_zero, at_four):
        assert result.values.to_numpy() == pytest.approx(at_zero.values.to_numpy(), rel=1e-15)  # rf moves no value
    for stats, values in (
        (at_four.portfolio_stats, at_four.values),
        (at_four.benchmark_stats, at_four.benchmark_values),
    ):
        expected = empyrical.sharpe_ratio(values.pct_change().dropna(), risk_free=daily_rf)
        assert stats.sharpe == pytest.approx(expected, rel=1e-10)
    assert at_four.portfolio_stats.sharpe < at_zero.portfolio_stats.sharpe
    caption = texts.tilt_texts(at_four, label, sector_name).caption
    assert (
        f"Sharpe {at_four.portfolio_stats.sharpe:.2f} (tilt), {at_four.benchmark_stats.sharpe:.2f} (SPY), " in caption
    )
    assert "risk-free 4.00 % a year." in caption


def test_tilt_job_bought_and_held_is_the_weighted_sum_of_the_holdings(closes):
    weights = {"SPY": 60.0, "XLU": 20.0, "XLC": 20.0}
    names = compute.holdings(weights, "SPY")
    assert names == ["SPY", "XLU", "XLC"]
    inputs = compute.TiltInputs(
        closes[names], weights, "SPY", "never", pd.Timestamp("2016-01-01"), pd.Timestamp("2025-12-31"), "custom window"
    )
    result, label = compute.tilt_job(inputs)
    assert label == "custom window"
    px = closes.loc[:"2025-12-31", names].dropna()  # XLC's first close (2018) sets the start
    by_hand = sum(10_000 * w / 100 * px[t] / px[t].iloc[0] for t, w in weights.items())
    assert result.start == px.index[0] and result.limited_by == "XLC"
    assert result.values.to_numpy() == pytest.approx(by_hand.to_numpy(), rel=1e-12)

    shown = texts.tilt_texts(result, label, sector_name)
    spy = 10_000 * px["SPY"].iloc[-1] / px["SPY"].iloc[0]
    span = f"{px.index[0]:%Y-%m-%d} – 2025-12-31"

    def sharpe(values):  # DESIGN.md, by hand: mean daily return × 252 / (stdev × √252), risk-free 0
        r = values.pct_change().dropna()
        return r.mean() * 252 / (r.std(ddof=1) * 252**0.5)

    assert shown.caption == (
        f"{span} (custom window) · starts at XLC's first close · 0 rebalances · "
        f"$10,000 became {formats.money(by_hand.iloc[-1])} (tilt) and {formats.money(spy)} (SPY). "
        f"Sharpe {sharpe(by_hand):.2f} (tilt), {sharpe(px['SPY']):.2f} (SPY), risk-free 0 %. "
        "No costs or taxes; dividends reinvested."
    )
    assert shown.growth_subtitle == (
        f"SPY 60 % · XLU 20 % · XLC 20 % · buy and hold · {span} (custom window) · starts at XLC's first close"
    )
    assert shown.growth_title == "Growth of $10,000: tilt vs SPY" and shown.active_name == "Tilt vs SPY"
    active = by_hand.iloc[-1] / spy - 1
    assert shown.cards["active_return"].value == formats.pct(active, 1)
    assert shown.cards["active_return"].sign == pytest.approx(active, rel=1e-12)


def test_tilt_cards_and_contributions_are_the_result_formatted(closes):
    weights = tilt_core.preset("article tilts")
    inputs = compute.TiltInputs(
        closes[compute.holdings(weights, "SPY")], weights, "SPY", "quarterly", None, None, "Max range"
    )
    r, label = compute.tilt_job(inputs)
    shown = texts.tilt_texts(r, label, sector_name)
    p, b = r.portfolio_stats, r.benchmark_stats
    assert {k: c.value for k, c in shown.cards.items()} == {
        "cagr": formats.pct(p.cagr, 2),
        "volatility": formats.pct(p.volatility, 1, False),
        "max_drawdown": formats.pct(p.max_drawdown, 1),
        "tracking_error": formats.pct(r.tracking_error, 2, False),
        "information_ratio": formats.number(r.information_ratio),
        "active_return": formats.pct(r.active_return, 1),
    }
    assert shown.cards["cagr"].caption == f"CAGR · SPY {formats.pct(b.cagr, 2)}" and shown.cards["cagr"].sign is None
    assert [k for k, c in shown.cards.items() if c.sign is not None] == ["information_ratio", "active_return"]
    assert f"{len(r.rebalance_dates)} rebalances" in shown.caption and "rebalanced quarterly" in shown.growth_subtitle
    c = shown.contributions
    assert list(c.columns) == texts.CONTRIBUTION_KEYS and c["ticker"].tolist() == ["SPY", "XLI", "XLF", "XLY"]
    assert c["weight"].tolist() == pytest.approx([0.7, 0.1, 0.1, 0.1], abs=1e-15)
    assert c["contribution"].sum() == pytest.approx(r.return_sum, abs=1e-12)  # Σ contributions = Σ daily returns
    assert shown.core_rows == [0]
    assert shown.contribution_tips[(0, "ticker")] == " · core" and shown.contribution_tips[(1, "ticker")] == (
        "Industrials · satellite"
    )
    assert formats.pct(r.return_sum, 2) in shown.contributions_caption
    assert f"(compounded: {formats.pct(p.total_return, 1)})" in shown.contributions_caption


# ---------------------------------------------------------------------------- the weights editor's rules
@pytest.mark.parametrize(
    "text, problem",
    [
        ("  ", "type a ticker to add"),
        ("NOT A TICKER", "NOT A TICKER is not a ticker symbol"),
        ("xlk", "XLK is already in the list"),
        ("NOPE1", "no cached prices for NOPE1 (refresh it, or import it with File → Import prices from CSV…)"),
        (" ita ", None),
    ],
)
def test_a_ticker_to_add(text, problem):
    assert compute.add_problem(text, ["SPY", "XLK"], ["SPY", "XLK", "ITA"]) == problem


def test_weights_total_and_its_problem():
    known = ["SPY", "XLI", "XLF", "XLY", "ITA"]
    too_much = {"SPY": 70.0, "XLI": 20.0, "XLF": 10.0, "XLY": 10.0}
    problem = compute.weights_problem(too_much, known)
    assert problem == "weights sum to 110 %, not 100 % (tolerance ±0.01)"
    assert compute.total_text(too_much, problem) == f"Total 110 % (10 % too much): {problem}"
    short = {"SPY": 80.0}
    problem = compute.weights_problem(short, known)
    assert compute.total_text(short, problem) == f"Total 80 % (20 % left to place): {problem}"
    assert compute.weights_problem({"SPY": 70.0, "NOPE": 30.0}, known) == "unknown ticker in the weights: NOPE"
    nearly = {"SPY": 70.005, "ITA": 30.0}  # within the ±0.01 tolerance: runs
    assert compute.weights_problem(nearly, known) is None
    assert compute.total_text(nearly, None) == "Total 100.005 % ✓"


def test_the_preset_the_weights_match():
    defensive = tilt_core.preset("defensive")
    assert compute.matching_preset(defensive) == "defensive"
    assert compute.matching_preset({**defensive, "XLK": 0.0}) == "defensive"  # a zero weight is no holding
    assert compute.matching_preset({**defensive, "XLU": 5.0, "XLK": 5.0}) == compute.CUSTOM == "Custom"


def test_a_custom_window_must_end_after_it_starts():
    start, end = pd.Timestamp("2020-01-01"), pd.Timestamp("2019-01-01")
    assert compute.window_problem(start, end) == "the end 2019-01-01 is not after the start 2020-01-01"
    assert compute.window_problem(start, start) == "the end 2020-01-01 is not after the start 2020-01-01"
    assert compute.window_problem(end, start) is None
