"""The DCA tab's computation (ui/tabs/dca/compute.py), run without a window: Qt-free, and the same numbers as
the core functions and ``rotation-desk dca``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.dca.backtest import run_backtest
from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.core.dca.projection import project_plan
from rotation_desk.core.dca.schedule import schedule_frame
from rotation_desk.errors import Cancelled
from rotation_desk.ui.tabs.dca.compute import RunInputs, latest_prices, run

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
VALUE = json.loads((EXAMPLES / "value-2015-2024.json").read_text())


def test_compute_imports_no_qt():
    code = (
        "import sys; import rotation_desk.ui.tabs.dca.compute; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_run_gives_the_command_lines_numbers(closes, data_dir, tmp_path, capsys):
    plan = parse_plan(VALUE)
    frame = closes[list(plan.tickers) + ["SPY"]]
    out = run(RunInputs(plan=plan, closes=frame, n_paths=500, seed=3))
    assert out.plan_error is None and out.backtest_error is None and out.projection_error is None
    latest, oldest = latest_prices(plan, frame)
    assert out.latest == latest == {t: float(frame[t].dropna().iloc[-1]) for t in plan.tickers}
    assert out.latest_date == oldest == min(frame[t].dropna().index[-1] for t in plan.tickers)
    pd.testing.assert_frame_equal(out.schedule, schedule_frame(plan, latest))
    assert out.summary.buys == 120 and out.summary.total_invested == 120_000.0
    assert out.window == (pd.Timestamp("2015-01-01"), pd.Timestamp("2024-12-31"))
    path = tmp_path / "b.json"
    assert (
        main(
            [
                "--offline",
                "--data-dir",
                str(data_dir),
                "dca",
                str(EXAMPLES / "value-2015-2024.json"),
                "--backtest",
                str(path),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert out.backtest.to_json_dict() == json.loads(path.read_text())
    assert out.backtest.to_json_dict() == run_backtest(plan, frame, benchmark="SPY").to_json_dict()
    expected = project_plan(plan, frame, n_paths=500, seed=3)
    pd.testing.assert_frame_equal(out.projection.fan, expected.fan)


def test_a_part_that_cannot_run_is_reported_and_the_rest_still_runs(closes):
    plan = parse_plan({**VALUE, "allocation": {"AVUV": 100}})  # AVUV starts in 2019
    out = run(RunInputs(plan=plan, closes=closes[["AVUV", "SPY"]], n_paths=200))
    assert out.schedule is not None and out.backtest is None
    assert "AVUV has no prices before 2019-09-26" in out.backtest_error
    assert out.projection is not None and out.projection_error is None  # 2019-2026 is enough history


def test_a_plan_only_the_calendar_rejects_runs_nothing(closes):
    plan = parse_plan({**VALUE, "frequency": "weekly", "anchor": "mon", "start": "2015-01-06", "end": "2015-01-09"})
    out = run(RunInputs(plan=plan, closes=closes[list(plan.tickers)]))
    assert out.plan_error is not None and out.plan_error.fields == ("end",)
    assert out.schedule is None and out.backtest is None and out.projection is None


def test_a_cancelled_run_stops(closes):
    plan = parse_plan(VALUE)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(Cancelled):
        run(RunInputs(plan=plan, closes=closes[list(plan.tickers) + ["SPY"]]), cancelled=cancelled)
    assert len(calls) == 2  # stopped after the schedule, before the backtest
