"""ETF Comparison's analysis pages, Qt-free (``ui.tabs.compare.analysis`` and ``factor_compute``), tested
without a window: every figure against the command line over the same window, the published AVUV
factor loadings, and independent computations (pandas month-ends, the metrics' drawdown and beta)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.comparison_tables import monthly_grid
from rotation_desk.errors import DataUnavailable
from rotation_desk.ui.tabs.compare import analysis
from rotation_desk.ui.tabs.compare import factor_compute as fc

FUNDS = ("DFAT", "VBR", "AVUV", "EEMV")


def window_inputs(market, mode="common", start=None, end=None, funds=FUNDS, bench="SPY"):
    """What ``CompareTab.window_inputs`` gathers."""
    names = list(funds) + ([bench] if bench and bench not in funds else [])
    return analysis.WindowInputs(market.closes(names), tuple(funds), bench, mode, start, end)


def cli_json(data_dir, capsys, *argv):
    capsys.readouterr()
    assert main(["--offline", "--data-dir", str(data_dir), *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def test_the_analysis_modules_import_no_qt():
    code = (
        "import sys, rotation_desk.ui.tabs.compare.analysis, rotation_desk.ui.tabs.compare.factor_compute; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def assert_exposure_equals_cli(e, item):
    assert day(e.start) == item["start"] and day(e.end) == item["end"]
    assert e.observations == item["observations"]
    for key in ("alpha", "alpha_std_error", "alpha_t_stat", "r_squared", "adj_r_squared"):
        assert getattr(e, key) == item[key], key
    for f in e.factor_names:
        assert e.betas[f] == item["betas"][f]
        assert e.std_errors[f] == item["std_errors"][f]
        assert e.t_stats[f] == item["t_stats"][f]
    assert e.reading == item["reading"] and list(e.notes) == item["notes"]


@pytest.mark.parametrize(
    "mode, model, frequency, span",
    [("common", "ff5", "monthly", "2Y"), ("full", "ff3", "monthly", "5Y"), ("common", "capm", "daily", "1Y")],
)
def test_factor_job_equals_the_factors_command(market, data_dir, capsys, mode, model, frequency, span):
    inputs = window_inputs(market, mode)
    view = fc.factor_job(fc.FactorInputs(inputs, model, frequency, span, market.paths))
    window = inputs.window()
    dates = [] if mode == "full" else ["--start", day(window.start), "--end", day(window.end)]
    n = fc.rolling_length(span, frequency)
    assert n == {"1Y": 1, "2Y": 2, "5Y": 5}[span] * (12 if frequency == "monthly" else 252)
    items = cli_json(data_dir, capsys, "factors", *inputs.names, "--model", model, "--frequency", frequency, *dates)
    assert [i["ticker"] for i in items] == inputs.names == list(view.exposures)
    for item in items:
        e = view.exposures[item["ticker"]]
        assert_exposure_equals_cli(e, item)
        assert item["factors"] == view.factors.describe()
    # the rolling betas: the command's --rolling N
    name = "VBR"
    argv = ("factors", name, "--model", model, "--frequency", frequency, *dates, "--rolling", str(n))
    (item,) = cli_json(data_dir, capsys, *argv)
    points = item["rolling"]["points"]
    frame = view.rolling[name]
    assert [day(d) for d in frame.index] == [p["date"] for p in points]
    series = fc.rolling_series(view, name)
    first_beta = next(iter(series))
    assert first_beta == "Market"
    assert series["Market"].tolist() == [p["mkt_rf"] for p in points]


def test_the_published_avuv_loadings_through_the_toolbar_range(market):
    """AVUV monthly 2019-10 – 2022-09: market 1.09, SMB 0.82, HML 0.60, RMW 0.13, CMA −0.09, R² 98.3 %."""
    inputs = window_inputs(market, "range", pd.Timestamp("2019-10-01"), pd.Timestamp("2022-09-30"), ("AVUV",), None)
    view = fc.factor_job(fc.FactorInputs(inputs, "ff5", "monthly", "2Y", None))
    e = view.exposures["AVUV"]
    assert e.observations == 36 and round(e.r_squared, 3) == 0.983
    assert {k: round(v, 2) for k, v in e.betas.items()} == {
        "mkt_rf": 1.09,
        "smb": 0.82,
        "hml": 0.60,
        "rmw": 0.14,  # published 0.13: the Data Library's factors have been revised since
        "cma": -0.09,
    }
    rows = fc.term_rows(e)
    assert rows["term"].tolist() == [fc.ALPHA_TERM, "Market", "Size (SMB)", "Value (HML)", *rows["term"].tolist()[4:]]
    assert rows["estimate"].iloc[0] == e.alpha * 100 and rows["t_stat"].iloc[2] == e.t_stats["smb"]
    assert fc.fund_detail(e) == "2019-09-30 – 2022-09-30 · 36 monthly returns · R² 98.3 % (adjusted 98.0 %)"
    assert "cut" not in fc.page_caption(view)  # inside the factors' dates: nothing to cut


def test_factor_caption_names_the_files_and_the_cut(market):
    view = fc.factor_job(fc.FactorInputs(window_inputs(market), "ff5", "monthly", "5Y", market.paths))
    text = fc.page_caption(view)
    assert "Fama/French 5 factors (monthly) to 2024-08-30, built from the 202408 CRSP database" in text
    assert text.endswith("the window is cut at the factors' last date, 2024-08-30")
    # 38 months for DFAT: a 5-year rolling window does not fit and says so
    assert "DFAT" not in view.rolling and "fewer than the 60 of a 5Y rolling window" in view.rolling_problems["DFAT"]
    assert "Window cut at the factors' last date 2024-08-30" in fc.fund_notes(view.exposures["VBR"])


def test_a_window_after_the_factors_is_said(market):
    inputs = window_inputs(market, "range", pd.Timestamp("2025-08-01"), pd.Timestamp("2026-08-03"))
    with pytest.raises(Exception, match="after the factors' last date 2024-08-30"):
        fc.factor_job(fc.FactorInputs(inputs, "ff5", "monthly", "2Y", None))


def test_grid_job_equals_the_core_and_pandas_month_ends(market, closes):
    inputs = window_inputs(market, "full")
    view = analysis.grid_job(inputs)
    grid = view.grids["AVUV"]
    ref = monthly_grid(closes["AVUV"].rename("AVUV"))
    pd.testing.assert_frame_equal(grid.table, ref.table)
    # independently: the last close of each calendar month, month over month
    me = closes["AVUV"].dropna().resample("ME").last()
    monthly = me.pct_change().dropna()
    monthly = monthly[monthly.index <= pd.Timestamp("2026-07-31")]  # August 2026 is not complete
    for when, value in monthly.items():
        assert grid.table.loc[when.year, when.strftime("%b")] == pytest.approx(value, abs=1e-12)
    year = grid.table.loc[2023]
    assert year["Year"] == pytest.approx(me.loc["2023-12-31"] / me.loc["2022-12-31"] - 1, abs=1e-12)
    rows = analysis.grid_rows(grid)
    assert rows["year_label"].tolist()[0] == "2019*" and rows["year_label"].tolist()[-1] == "2026*"
    caption = analysis.grid_caption(grid, view)
    assert caption.startswith(
        "AVUV: month-end to month-end returns, Oct 2019 – Jul 2026 (the first from the 2019-09-30"
    )
    assert "full history 2019-09-26 – 2026-08-03" in caption


def test_grid_in_the_common_window_starts_with_the_first_month_that_has_a_base(market):
    view = analysis.grid_job(window_inputs(market))
    dfat, vbr = view.grids["DFAT"], view.grids["VBR"]
    assert day(dfat.start) == "2021-06-30" and np.isnan(dfat.table.loc[2021, "Jun"])
    assert day(vbr.start) == "2021-05-28" and not np.isnan(vbr.table.loc[2021, "Jun"])  # June from May's close


def test_worst_drawdowns_deepest_is_the_metrics_max_drawdown(market, data_dir, capsys):
    inputs = window_inputs(market)
    view = analysis.drawdown_job(inputs)
    cli = {i["ticker"]: i for i in cli_json(data_dir, capsys, "metrics", *inputs.names, "--common-window")}
    for name in inputs.names:
        table = view.worst[name]
        first = table.iloc[0]
        assert first["depth"] == pytest.approx(cli[name]["max_drawdown"], abs=1e-12)
        assert day(first["peak"]) == cli[name]["max_drawdown_peak"]
        assert day(first["trough"]) == cli[name]["max_drawdown_trough"]
        recovery = cli[name]["max_drawdown_recovery"]
        assert (None if pd.isna(first["recovery"]) else day(first["recovery"])) == recovery
        assert list(table.index) == list(range(1, len(table) + 1)) and len(table) == 5
        assert table["depth"].is_monotonic_increasing
        assert day(view.series[name].index[0]) == cli[name]["start"]
    frame, tips = analysis.drawdown_rows(view.worst["DFAT"])
    assert frame["rank"].tolist() == [1, 2, 3, 4, 5]
    assert frame.loc[0, "days_to_trough"] == (frame.loc[0, "trough"] - frame.loc[0, "peak"]).days


def test_rolling_beta_and_correlation_equal_the_metrics_over_the_trailing_year(market, data_dir, capsys):
    inputs = window_inputs(market)
    view = analysis.relative_job((inputs, "1Y"))
    assert view.funds == list(FUNDS)
    for when in ("2026-08-03", "2024-03-15"):
        start = (pd.Timestamp(when) - pd.DateOffset(years=1)).strftime("%Y-%m-%d")
        cli = {
            i["ticker"]: i
            for i in cli_json(
                data_dir, capsys, "metrics", *FUNDS, "--benchmark", "SPY", "--start", start, "--end", when
            )
        }
        for f in FUNDS:
            row = view.rolling[f].loc[when]
            assert row["beta"] == pytest.approx(cli[f]["beta"], abs=1e-10)
            assert row["correlation"] == pytest.approx(cli[f]["correlation"], abs=1e-10)
    series = analysis.relative_series(view, "beta")
    assert series["VBR"].index[0] >= pd.Timestamp("2022-06-14")  # a full year into the common window
    title, subtitle = analysis.relative_texts(view, "correlation")
    assert title == "Rolling 1-year correlation to SPY" and "common window 2021-06-14 – 2026-08-03" in subtitle


def test_rolling_needs_a_benchmark(market):
    with pytest.raises(DataUnavailable, match="Choose a benchmark"):
        analysis.relative_job((window_inputs(market, bench=None), "1Y"))


def test_no_funds_is_nothing_to_compute():
    assert analysis.grid_job(None) is None and analysis.drawdown_job(None) is None
    assert analysis.relative_job(None) is None and fc.factor_job(None) is None
