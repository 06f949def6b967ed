"""The helpers the shared ui parts have in one place: session snapping, colour mixing, the ticker-list
checks and the "this field is wrong" marks, the one-line error wording, the fetch outcome in words."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor

from rotation_desk.data.refresh import RefreshReport, TickerOutcome
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.readout import day_text, index_on_or_before, nearest_index
from rotation_desk.ui.kit.jobs import failure_text
from rotation_desk.ui.kit.theme import DARK, LIGHT, mix
from rotation_desk.ui.kit.ticker_fetch import fetch_problem
from rotation_desk.ui.kit.widgets import ProblemLabel, TickerListEdit, field_error_style, ticker_list_problem
from rotation_desk.ui.kit.workers import short_error

SESSIONS = np.array([10.0, 20.0, 30.0])


@pytest.mark.parametrize(
    ("x", "nearest", "on_or_before"),
    [(-5.0, 0, -1), (10.0, 0, 0), (14.0, 0, 0), (15.0, 1, 0), (16.0, 1, 0), (29.9, 2, 1), (99.0, 2, 2)],
)
def test_snapping_to_a_session(x, nearest, on_or_before):
    assert nearest_index(SESSIONS, x) == nearest  # halfway between two sessions: the later one
    assert index_on_or_before(SESSIONS, x) == on_or_before  # -1: before the first session


def test_day_text_names_the_weekday():
    assert day_text(1744070400.0 + 3600) == "Tue 2025-04-08"  # 2025-04-08 00:00 UTC plus an hour, rounded


def test_mix_by_hand():
    # white toward vermillion (213, 94, 0) by 0.2: 255-42*0.2=246.6, 255-161*0.2=222.8, 255-255*0.2=204
    assert mix(QColor("#ffffff"), QColor("#D55E00"), 0.2).name() == "#f7dfcc"
    assert mix(QColor("#123456"), QColor("#abcdef"), 0.0).name() == "#123456"
    assert mix(QColor("#123456"), QColor("#abcdef"), 1.0).name() == "#abcdef"
    # a heat cell at half the scale: 0.10 + 0.55*0.5 = 0.375 of the way to the gain blue (0, 114, 178)
    assert LIGHT.heat_colour(0.5, 1.0).name() == "#9fcae2"  # 159.375, 202.125, 226.125


def test_ticker_list_problems_in_order():
    asked = []

    def cached():
        asked.append(True)
        return ["SPY", "VBR"]

    assert ticker_list_problem([], 3, cached) == "enter at least one ticker"
    assert ticker_list_problem(["SPY", "NOT A TICKER!"], 3, cached) == "not a ticker: NOT A TICKER!"
    assert ticker_list_problem(["SPY", "VBR", "IWM", "IWN"], 3, cached) == "at most 3 tickers"
    assert asked == []  # the store is asked only when the rest is right
    assert ticker_list_problem(["SPY", "IWM"], 3, cached) == (
        "no cached prices for IWM (refresh it, or import it with File → Import prices from CSV…)"
    )
    assert ticker_list_problem(["SPY", "^GSPC"], 3, lambda: ["SPY", "^GSPC"]) is None


def test_ticker_list_edit_marks_the_field(qtbot):
    edit = TickerListEdit(lambda: ["SPY", "VBR"], ["SPY"], theme=DARK)
    qtbot.addWidget(edit)
    edit.show()
    edit.edit.setText("spy, iwm")
    assert edit.apply() is False
    assert edit.error() == "no cached prices for IWM (refresh it, or import it with File → Import prices from CSV…)"
    assert edit.edit.styleSheet() == field_error_style(DARK) and DARK.loss in edit.edit.styleSheet()
    assert edit.edit.toolTip() == edit.error()
    with qtbot.waitSignal(edit.changed) as signal:
        edit.edit.setText("vbr spy")
        assert edit.apply()
    assert signal.args == [["VBR", "SPY"]] and edit.error() is None and edit.edit.styleSheet() == ""


def test_problem_label_is_hidden_until_it_says_something(qtbot):
    label = ProblemLabel(LIGHT.loss)
    qtbot.addWidget(label)
    assert label.isHidden() and label.text() == ""
    label.say("The end date must be after the start date.")
    assert not label.isHidden() and label.text() == "The end date must be after the start date."
    assert label.styleSheet() == f"color: {LIGHT.loss};" and label.wordWrap()


def test_one_line_error_wording():
    assert short_error(BadInput("VBR.csv: no date column")) == "VBR.csv: no date column"
    assert short_error(ZeroDivisionError("division by zero")) == "ZeroDivisionError: division by zero"
    assert failure_text("comparison", BadInput("no rows in 2030")) == "no rows in 2030"
    assert failure_text("comparison", KeyError("SPY")) == (
        "The comparison could not be computed (KeyError: 'SPY'). Details are in the log file."
    )


def test_fetch_outcome_in_words():
    ok = RefreshReport([TickerOutcome("NEWT", "ok", rows_written=300)])
    assert fetch_problem(ok, "NEWT") is None
    assert fetch_problem(None, "NEWT") == "no answer from the refresh"
    assert fetch_problem(RefreshReport(offline=True), "NEWT") == "Yahoo Finance could not be reached (offline?)"
    assert fetch_problem(RefreshReport(cancelled=True), "NEWT") == "the download was cancelled"
    assert fetch_problem(ok, "OTHER") == "the refresh did not report it"
    none = RefreshReport([TickerOutcome("NOPE", "no_data", reason="Yahoo Finance has no prices for it")])
    assert fetch_problem(none, "NOPE") == "Yahoo Finance has no prices for it"
    assert fetch_problem(RefreshReport([TickerOutcome("X", "no_data")]), "X") == "no data"
