"""The DCA Planner tab (issue 5), driven through its real widgets on the seeded snapshot store.

The numbers are checked against the core functions and the ``rotation-desk dca`` command run in-process
on the same data dir: the tab must show what the command line computes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.dca.plan_json import parse_plan, plan_to_json
from rotation_desk.core.dca.projection import project_plan
from rotation_desk.core.dca.schedule import schedule_frame
from rotation_desk.data.plan_files import load_plan
from rotation_desk.ui.kit import formats
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tabs.dca.projection_page import NOT_A_FORECAST
from rotation_desk.ui.tabs.dca.tab import DcaTab

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

WEEKLY = {
    "name": "Weekly to target",
    "contribution": 150.0,
    "frequency": "weekly",
    "anchor": "wed",
    "start": "2018-03-01",
    "end": "2023-06-30",
    "allocation": {"VBR": 40, "VTV": 35, "EFV": 25},
    "initial": 2000.0,
    "step_up_pct": 3.0,
    "fee": 1.0,
    "fractional": False,
    "rebalance": "to-target",
}


@pytest.fixture
def tab(qtbot, services, monkeypatch):
    t = DcaTab(services)
    qtbot.addWidget(t)
    t.resize(1400, 900)
    monkeypatch.setattr(t, "ask", lambda *a: True)
    monkeypatch.setattr(t, "warn", lambda title, text: pytest.fail(f"unexpected warning {title}: {text}"))
    yield t
    qtbot.waitUntil(t.is_idle, timeout=30000)
    t.runner.wait(30000)


def write_plan(folder: Path, raw: dict, name: str = "plan.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(raw, indent=2))
    return path


def open_plan(tab: DcaTab, raw: dict, tmp_path: Path) -> None:
    tab.open_path(write_plan(tmp_path, raw))
    tab.ensure_current()


def set_text(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def show_table(qtbot, tab: DcaTab, table) -> None:
    """Bring ``table`` on screen as a user would (tables on hidden pages are filled when shown)."""
    tab.show()
    qtbot.waitExposed(tab)
    if table is tab.schedule_page.table:
        tab.pages.setCurrentWidget(tab.schedule_page)
    else:
        tab.pages.setCurrentWidget(tab.backtest_page)
        inner = tab.backtest_page.tables
        inner.setCurrentIndex(
            next(i for i in range(inner.count()) if inner.widget(i) is table or inner.widget(i).isAncestorOf(table))
        )
    qtbot.waitUntil(lambda: table.isVisible() and table.model().rowCount() > 0, timeout=10000)


def cli(data_dir, *argv) -> int:
    return main(["--offline", "--data-dir", str(data_dir), *map(str, argv)])


# -- the editor ----------------------------------------------------------------------------------


def test_allocation_summing_to_90_is_marked_and_nothing_runs(tab, qtbot):
    tab.ensure_current()
    assert tab.outputs is not None and tab.run_button.isEnabled()
    rows = tab.editor.allocation.rows
    set_text(qtbot, rows[2].percent, "20")
    assert tab.editor.allocation.sum_label.text() == "Sums to 90 % (needs 100 %)"  # live, before the pause
    tab.apply_edits()
    assert "weights sum to 90%, they must sum to 100%" in tab.editor.field_error("allocation")
    assert tab.editor.reasons["allocation"].isVisibleTo(tab.editor)
    assert "border: 1px solid" in tab.editor.allocation.styleSheet()
    assert not tab.run_button.isEnabled() and not tab.save_button.isEnabled()
    assert tab.outputs is None
    assert "Nothing is computed until the plan is valid" in tab.schedule_page.message_text()
    assert tab.backtest_page.chart.message() and tab.projection_page.chart.message()
    set_text(qtbot, rows[2].percent, "30")
    tab.apply_edits()
    assert tab.editor.marks() == {} and tab.run_button.isEnabled()
    tab.ensure_current()
    assert tab.outputs is not None and tab.schedule_page.message_text() is None


@pytest.mark.parametrize(
    "field, widget, text, reason",
    [
        ("contribution", "contribution", "-100", "must be greater than 0"),
        ("contribution", "contribution", "lots", 'must be a number, got "lots"'),
        ("start", "start", "2027-02-30", "is not a real date"),
        ("end", "end", "2026-01-01", "is before start"),
        ("fee", "fee", "600", "must be less than the contribution"),
        ("name", "name", "   ", "must be a non-empty string"),
    ],
)
def test_each_invalid_field_is_marked_with_its_reason(tab, qtbot, field, widget, text, reason):
    target = tab.editor.widgets[widget]
    edit = target.edit if hasattr(target, "edit") else target
    set_text(qtbot, edit, text)
    tab.apply_edits()
    assert reason in (tab.editor.field_error(field) or ""), tab.editor.marks()
    assert reason in edit.toolTip() and "border" in edit.styleSheet()
    assert not tab.run_button.isEnabled()


def test_unknown_and_repeated_tickers_are_marked_on_their_rows(tab, qtbot):
    alloc = tab.editor.allocation
    alloc.rows[0].ticker.setText("ZZZQ")  # typing would pop up the completer
    tab.apply_edits()
    assert "no cached prices for ZZZQ" in tab.editor.field_error("allocation")
    assert "border" in alloc.rows[0].ticker.styleSheet() and alloc.rows[1].ticker.styleSheet() == ""
    alloc.rows[0].ticker.setText("DFAT")
    tab.apply_edits()
    assert "DFAT appears twice" in tab.editor.field_error("allocation")
    assert not tab.run_button.isEnabled()


def test_a_yield_in_the_allocation_is_refused_on_its_row(tab, qtbot):
    alloc = tab.editor.allocation
    alloc.rows[1].ticker.setText("^TNX")
    tab.apply_edits()
    assert tab.editor.field_error("allocation") == (
        "^TNX is a yield (10-year Treasury yield, a rate in percent), not a price: it cannot be used for a DCA "
        "allocation (metrics ^TNX shows its level and changes)"
    )
    assert "border" in alloc.rows[1].ticker.styleSheet() and alloc.rows[0].ticker.styleSheet() == ""
    assert not tab.run_button.isEnabled()


def test_add_remove_and_split_evenly(tab, qtbot):
    alloc = tab.editor.allocation
    alloc.add_button.click()
    assert len(alloc.rows) == 4 and alloc.rows[-1].ticker.completer().model().rowCount() > 50
    alloc.rows[-1].ticker.setText("vtv")
    alloc.even_button.click()
    assert [r.percent.text() for r in alloc.rows] == ["25", "25", "25", "25"]
    alloc.rows[0].remove.click()
    alloc.even_button.click()
    tab.apply_edits()
    assert tab.editor.raw()["allocation"] == {"DFAT": 33.3333, "EEMV": 33.3333, "VTV": 33.3334}
    assert tab.valid_plan() is not None


def test_anchor_choices_follow_the_frequency(tab, qtbot):
    editor = tab.editor
    assert editor.anchor.value() == "first-session"
    editor.frequency.set_value("weekly")
    assert [editor.anchor.itemData(i) for i in range(editor.anchor.count())] == ["mon", "tue", "wed", "thu", "fri"]
    editor.anchor.set_value("thu")
    editor.frequency.set_value("monthly")
    assert editor.anchor.value() == "first-session"
    editor.anchor.set_value("day")
    assert editor.anchor_day.isVisibleTo(editor)
    editor.anchor_day.setValue(5)
    tab.apply_edits()
    assert editor.raw()["anchor"] == "day:5" and tab.valid_plan().anchor == "day:5"


def test_count_instead_of_end(tab, qtbot):
    tab.editor.bound.set_value("count")
    tab.apply_edits()
    assert "needs an end date or a count" in tab.editor.field_error("count")
    set_text(qtbot, tab.editor.count, "24")
    tab.apply_edits()
    tab.ensure_current()
    assert tab.outputs.summary.buys == 24 and "end" not in tab.editor.raw()


# -- schedule ----------------------------------------------------------------------------------------


def test_schedule_table_equals_the_core_schedule(tab, qtbot, market, tmp_path):
    open_plan(tab, WEEKLY, tmp_path)
    plan = parse_plan(WEEKLY)
    closes = market.closes(list(plan.tickers))
    latest = {t: float(closes[t].dropna().iloc[-1]) for t in plan.tickers}
    expected = schedule_frame(plan, latest)
    assert tab.schedule_page.table.frame_pending()  # hidden: filled when shown
    show_table(qtbot, tab, tab.schedule_page.table)
    shown = tab.schedule_page.table.frame().copy()
    assert shown["date"].iloc[0] == expected["date"].iloc[0].strftime("%Y-%m-%d")  # ISO text, shown as dates
    shown["date"] = pd.to_datetime(shown["date"]).astype("datetime64[ns]")
    pd.testing.assert_frame_equal(shown, expected)
    displayed = tab.schedule_page.table.displayed_rows()
    assert displayed[0][:3] == [
        expected["date"].iloc[0].strftime("%Y-%m-%d"),
        expected["ticker"].iloc[0],
        formats.money(expected["amount"].iloc[0]),
    ]
    assert tab.schedule_page.table.model().rowCount() == len(expected)
    cards = tab.schedule_page.cards
    assert cards["buys"].value.text() == f"{expected['date'].nunique():,}"
    assert cards["invested"].value.text() == formats.money(expected["amount"].sum())
    for ticker, total in expected.groupby("ticker")["amount"].sum().items():
        assert f"{ticker} {formats.money(total)}" in tab.schedule_page.per_ticker.text()


def test_editing_a_field_updates_the_schedule_in_the_background(tab, qtbot):
    tab.show()
    qtbot.waitUntil(lambda: tab.is_idle() and tab.outputs is not None, timeout=30000)
    before = tab.outputs.summary.total_invested
    set_text(qtbot, tab.editor.contribution, "250")
    qtbot.waitUntil(lambda: tab.is_idle() and tab.outputs.summary.total_invested == before / 2, timeout=30000)
    assert tab.schedule_page.cards["invested"].value.text() == formats.money(before / 2)


def test_schedule_csv_and_ics_exports(tab, tmp_path):
    open_plan(tab, WEEKLY, tmp_path)
    frame = tab.outputs.schedule
    out_csv = tab.export_schedule_csv(tmp_path / "s.csv")
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == len(frame) and rows[0]["ticker"] == frame["ticker"].iloc[0]
    assert rows[-1]["running_total"] == f"{frame['running_total'].iloc[-1]:.2f}"
    out_ics = tab.export_ics(tmp_path / "s.ics")
    cal = icalendar.Calendar.from_ical(out_ics.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == tab.outputs.summary.buys == frame["date"].nunique()
    first_day = frame["date"].iloc[0]
    assert events[0]["DTSTART"].dt == first_day.date()
    first_rows = frame[frame["date"] == first_day]
    description = str(events[0]["DESCRIPTION"])
    for r in first_rows.itertuples():
        assert f"{r.ticker}: {r.amount:.2f}" in description
    assert len({str(e["UID"]) for e in events}) == len(events)


# -- backtest -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [json.loads((EXAMPLES / "value-2015-2024.json").read_text()), WEEKLY])
def test_backtest_cards_equal_the_command_line(tab, qtbot, data_dir, tmp_path, raw, capsys):
    plan_file = write_plan(tmp_path, raw)
    out = tmp_path / "b.json"
    ledger = tmp_path / "l.csv"
    assert cli(data_dir, "dca", plan_file, "--backtest", out, "--ledger", ledger) == 0
    capsys.readouterr()
    expected = json.loads(out.read_text())
    tab.open_path(plan_file)
    tab.ensure_current()
    cards = tab.backtest_page.cards
    assert cards["invested"].value.text() == formats.money(expected["invested"])
    assert cards["value"].value.text() == formats.money(expected["value"])
    assert cards["gain"].value.text() == formats.money(expected["gain"], signed=True)
    assert formats.pct(expected["gain"] / expected["invested"]) in cards["gain"].caption.text()
    assert cards["xirr"].value.text() == formats.pct(expected["xirr"], 2)
    assert cards["twr"].value.text() == formats.pct(expected["twr"], 2)
    assert cards["max_drawdown"].value.text() == formats.pct(expected["max_drawdown"], 1)
    result = tab.outputs.backtest
    assert result.to_json_dict() == expected  # every number, not only the rounded display
    comparison = tab.backtest_page.comparison
    show_table(qtbot, tab, comparison)
    assert comparison.raw_column("value") == [
        expected["value"],
        expected["lump_sum"]["value"],
        expected["benchmark"]["value"],
    ]
    assert comparison.raw_column("xirr") == pytest.approx(
        [expected["xirr"], expected["lump_sum"]["xirr"], expected["benchmark"]["xirr"]], rel=0, abs=0
    )
    holdings = tab.backtest_page.holdings
    show_table(qtbot, tab, holdings)
    assert holdings.raw_column("ticker") == [h["ticker"] for h in expected["holdings"]]
    assert holdings.raw_column("cost_basis") == [h["cost_basis"] for h in expected["holdings"]]
    assert holdings.raw_column("shares") == [h["shares"] for h in expected["holdings"]]
    assert tab.backtest_page.from_edit.date().toString("yyyy-MM-dd") <= expected["start"]
    assert tab.backtest_page.chart.series_names() == [
        "Plan value",
        "Invested",
        "Same money as a lump sum",
        "Same plan into SPY",
    ]
    # the ledger the tab exports is the command line's, byte for byte
    exported = tab.export_ledger_csv(tmp_path / "tab-ledger.csv")
    assert exported.read_bytes() == ledger.read_bytes()


def test_ledger_export_reconciles_to_the_cent(tab, qtbot, tmp_path, closes):
    open_plan(tab, WEEKLY, tmp_path)
    result = tab.outputs.backtest
    path = tab.export_ledger_csv(tmp_path / "ledger.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    show_table(qtbot, tab, tab.backtest_page.ledger)
    assert len(rows) == len(result.ledger) == tab.backtest_page.ledger.model().rowCount()
    assert tab.backtest_page.ledger.raw_column("amount") == [float(r["amount"]) for r in rows]
    spent = sum(round(float(r["amount"]) * 100) for r in rows)
    fees = sum(round(float(r["fee"]) * 100) for r in rows)
    assert spent + round(result.dca.cash * 100) == round(result.invested * 100)
    assert fees == round(result.dca.fees * 100) == len(rows) * 100
    assert round(float(rows[-1]["cumulative_invested"]) * 100) == round(result.invested * 100)
    value = round(result.dca.cash * 100)
    for ticker in result.plan.tickers:
        shares = sum(float(r["shares"]) for r in rows if r["ticker"] == ticker)
        last = float(closes[ticker].loc[: result.end].dropna().iloc[-1])
        value += shares * last * 100
    assert round(value) == round(result.value * 100)


def test_window_pickers_default_to_the_plan_and_override_like_from_to(tab, data_dir, tmp_path, capsys):
    raw = json.loads((EXAMPLES / "value-2015-2024.json").read_text())
    open_plan(tab, raw, tmp_path)
    page = tab.backtest_page
    assert page.overrides() == (None, None)
    assert page.from_edit.date().toString("yyyy-MM-dd") == "2015-01-01"
    assert page.to_edit.date().toString("yyyy-MM-dd") == "2024-12-31"
    page.from_edit.setDate(page.from_edit.date().fromString("2020-01-01", "yyyy-MM-dd"))
    page.to_edit.setDate(page.to_edit.date().fromString("2020-12-31", "yyyy-MM-dd"))
    tab.ensure_current()
    out = tmp_path / "w.json"
    assert (
        cli(data_dir, "dca", tmp_path / "plan.json", "--backtest", out, "--from", "2020-01-01", "--to", "2020-12-31")
        == 0
    )
    capsys.readouterr()
    assert tab.outputs.backtest.to_json_dict() == json.loads(out.read_text())
    assert tab.outputs.backtest.buys == 12
    page.reset_button.click()
    tab.ensure_current()
    assert tab.outputs.backtest.start == pd.Timestamp("2015-01-02")


def test_a_window_without_data_says_why(tab, qtbot, tmp_path):
    open_plan(tab, WEEKLY, tmp_path)
    page = tab.backtest_page
    page.from_edit.setDate(page.from_edit.date().fromString("2000-01-03", "yyyy-MM-dd"))
    page.to_edit.setDate(page.to_edit.date().fromString("2001-12-31", "yyyy-MM-dd"))
    tab.ensure_current()
    assert "has no prices before" in page.chart.message()
    assert tab.schedule_page.message_text() is None  # the schedule still shows


# -- projection ----------------------------------------------------------------------------------------


def test_projection_probability_equals_project_plan(tab, qtbot, market):
    page = tab.projection_page
    assert page.disclaimer.text() == NOT_A_FORECAST
    page.paths.setCurrentIndex(page.paths.findData(2000))
    page.seed.setValue(7)
    set_text(qtbot, page.target, "80,000")
    tab.ensure_current()
    plan = tab.valid_plan()
    expected = project_plan(plan, market.closes(list(plan.tickers) + ["SPY"]), n_paths=2000, seed=7)
    assert page.probability_value() == expected.probability_of_reaching(80_000)
    assert formats.pct(expected.probability_of_reaching(80_000), 1, signed=False) in page.probability.text()
    pd.testing.assert_frame_equal(page.result.fan, expected.fan)
    assert page.chart.series_names() == ["90th percentile", "Median", "10th percentile", "Invested"]
    assert page.cards["p50"].value.text() == formats.money(expected.final_percentile(50))
    assert tab.settings.dca.target == 80_000
    set_text(qtbot, page.target, "abc")
    assert "not an amount" in page.target_error.text() and page.probability_value() is None
    page.target.clear()
    assert page.probability_value() == expected.probability_of_reaching(expected.invested)


def test_disclaimer_is_visible_on_the_projection_page(tab, qtbot):
    tab.show()
    tab.pages.setCurrentWidget(tab.projection_page)
    qtbot.waitUntil(lambda: tab.is_idle() and tab.outputs is not None, timeout=30000)
    assert tab.projection_page.disclaimer.isVisible()
    assert tab.projection_page.disclaimer.font().bold()


# -- the plan library ----------------------------------------------------------------------------------------


def test_save_open_duplicate_delete_round_trip(tab, qtbot, market):
    plans = market.paths.plans_dir
    set_text(qtbot, tab.editor.name, "Rotation core")
    tab.apply_edits()
    assert tab.is_dirty()
    path = tab.save_plan()
    assert path == plans / "rotation-core.json" and not tab.is_dirty()
    saved = load_plan(path)
    assert saved == tab.valid_plan() and tab.settings.dca.last_plan == "rotation-core.json"
    assert [tab.plan_combo.itemText(i) for i in range(tab.plan_combo.count())] == ["Rotation core"]

    copy_path = tab.duplicate_plan()
    assert copy_path == plans / "rotation-core-copy.json" and tab.plan_path == copy_path
    assert tab.editor.name.text() == "Rotation core copy"
    assert load_plan(copy_path).allocation == saved.allocation
    assert tab.plan_combo.count() == 2

    # renaming keeps the file
    set_text(qtbot, tab.editor.name, "Second plan")
    set_text(qtbot, tab.editor.contribution, "300")
    tab.apply_edits()
    assert tab.save_plan() == copy_path and load_plan(copy_path).contribution == 300

    # open the first one again from the list
    index = tab.plan_combo.findData(str(path))
    tab.plan_combo.activated.emit(index)
    assert tab.plan_path == path and tab.valid_plan() == saved and not tab.is_dirty()

    tab.delete_plan()
    assert not path.exists() and tab.plan_path == copy_path
    tab.delete_plan()
    assert sorted(plans.glob("*.json")) == [] and tab.plan_path is None
    assert tab.settings.dca.last_plan is None


def test_import_and_export_plan_files(tab, tmp_path, market):
    source = tmp_path / "elsewhere" / "mine.json"
    source.parent.mkdir()
    source.write_text(json.dumps(WEEKLY, indent=4))  # not the app's formatting: copied as is
    opened = tab.import_plan(source)
    assert opened.ok and opened.path.parent == market.paths.plans_dir
    assert opened.path.read_bytes() == source.read_bytes() and tab.plan_path == opened.path
    exported = tab.export_plan(tmp_path / "out.json")
    assert exported.read_text() == plan_to_json(parse_plan(WEEKLY))

    bad = tmp_path / "elsewhere" / "bad.json"
    bad.write_text(json.dumps({**WEEKLY, "allocation": {"VBR": 60, "VTV": 30}}))
    before = sorted(p.name for p in market.paths.plans_dir.iterdir())
    opened = tab.import_plan(bad)
    assert not opened.ok and sorted(p.name for p in market.paths.plans_dir.iterdir()) == before
    assert str(bad) in tab.banner_text() and "weights sum to 90%" in tab.banner_text()


def test_corrupt_or_invalid_plan_file_opens_with_the_error_and_is_left_unchanged(qtbot, services, market, monkeypatch):
    plans = market.paths.plans_dir
    bad = write_plan(
        plans, {**WEEKLY, "name": "Broken", "allocation": {"VBR": 60, "VTV": 30}, "colour": "red"}, "broken.json"
    )
    before = bad.read_bytes()
    services.settings.dca.last_plan = "broken.json"
    tab = DcaTab(services)
    qtbot.addWidget(tab)
    monkeypatch.setattr(tab, "ask", lambda *a: True)
    banner = tab.banner_text()
    assert "plans/broken.json is not a valid plan" in banner
    assert "weights sum to 90%" in banner and "unknown key 'colour'" in banner and "The file is unchanged" in banner
    assert "weights sum to 90%" in tab.editor.field_error("allocation")
    assert tab.editor.name.text() == "Broken" and [r.percent.text() for r in tab.editor.allocation.rows] == ["60", "30"]
    assert not tab.run_button.isEnabled()
    tab.ensure_current()
    assert tab.outputs is None
    assert [tab.plan_combo.itemText(i) for i in range(tab.plan_combo.count())] == ["Broken (has problems)"]

    # edits do not touch the file; only Save writes, and only a valid plan
    set_text(qtbot, tab.editor.allocation.rows[1].percent, "40")
    tab.apply_edits()
    assert bad.read_bytes() == before
    assert tab.savable_plan() is not None and not tab.run_button.isEnabled()  # the unknown key is still there
    tab.save_plan()
    assert json.loads(bad.read_text())["allocation"] == {"VBR": 60, "VTV": 40} and "colour" not in bad.read_text()
    assert tab.banner_text() is None and tab.run_button.isEnabled()

    junk = plans / "junk.json"
    junk.write_bytes(b'{"name": "Junk",, "contribution": 1}')
    junk_before = junk.read_bytes()
    tab.open_path(junk)
    assert "plans/junk.json is not a valid plan: file: not valid JSON" in tab.banner_text()
    assert "line 1 column 17" in tab.banner_text()
    assert not tab.run_button.isEnabled() and junk.read_bytes() == junk_before
    assert "contribution" in tab.editor.marks()  # empty fields are marked as required
    tab.runner.wait(30000)


def test_last_plan_reopens_in_a_new_tab(qtbot, services, market, tmp_path):
    first = DcaTab(services)
    qtbot.addWidget(first)
    first.open_path(write_plan(tmp_path, WEEKLY, "w.json"))
    assert first.plan_path is None  # opened from outside the library: not yet a saved plan
    path = first.save_plan()
    assert services.settings.dca.last_plan == path.name
    # the settings survive a round trip through their JSON file format
    services.settings = Settings.from_json(json.loads(json.dumps(services.settings.to_json())))
    second = DcaTab(services)
    qtbot.addWidget(second)
    assert second.plan_path == path and second.valid_plan() == parse_plan(WEEKLY)
    assert second.banner_text() is None and not second.is_dirty()


def test_settings_keep_older_files_working_and_reject_bad_last_plan():
    old = Settings.from_json({"dca": {"contribution": 250, "allocation": {"VBR": 100}}})
    assert (old.dca.contribution, old.dca.allocation, old.dca.last_plan) == (250.0, {"VBR": 100.0}, None)
    assert Settings.from_json({"dca": {"last_plan": "a.json", "target": 1e5}}).dca.last_plan == "a.json"
    bad = Settings.from_json({"dca": {"last_plan": "../elsewhere.json", "contribution": 300}})
    assert bad.dca.last_plan is None and bad.dca.contribution == 300.0  # only the bad entry falls back
    assert len(bad.notices) == 1 and bad.notices[0].startswith("dca.last_plan: expected a file name")


def test_missing_last_plan_starts_a_new_plan_and_says_so(qtbot, services):
    services.settings.dca.last_plan = "gone.json"
    tab = DcaTab(services)
    qtbot.addWidget(tab)
    assert "gone.json, is no longer in" in tab.banner_text()
    assert tab.plan_path is None and tab.valid_plan() is not None


# -- export-chart dca ------------------------------------------------------------------------------------------


def test_export_chart_dca_writes_a_png(data_dir, tmp_path, capsys):
    out = tmp_path / "dca.png"
    assert cli(data_dir, "export-chart", "dca", "--out", out, "--width", "1200", "--height", "700") == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000
    tickers = tmp_path / "dca-vtv.png"
    assert (
        cli(
            data_dir,
            "export-chart",
            "dca",
            "--tickers",
            "VBR,VTV,EFV",
            "--start",
            "2016-01-01",
            "--end",
            "2020-12-31",
            "--out",
            tickers,
        )
        == 0
    )
    assert tickers.exists()
    capsys.readouterr()
    assert cli(data_dir, "export-chart", "dca", "--tickers", "ZZZQ", "--out", tmp_path / "x.png") == 2
    assert "no cached prices for ZZZQ" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_use_tickers_gives_an_equal_weight_plan(tab):
    tab.use_tickers(["vbr", "VTV", "EFV"])
    plan = tab.valid_plan()
    assert dict(plan.allocation) == {"VBR": 33.3333, "VTV": 33.3333, "EFV": 33.3334}
    tab.select_view("dca")
    tab.ensure_current()
    assert tab.chart_for_view("dca") is tab.current_chart() and tab.outputs.backtest is not None


def test_hostile_plan_files_open_with_their_problem_marked(tab, tmp_path):
    """Issue 12's plan files in the editor: each opens with the problem named, nothing runs, the file is unchanged."""
    newline = write_plan(tmp_path, {**WEEKLY, "name": "Two\nlines"}, "newline.json")
    tab.open_path(newline)
    assert "it has a line break" in tab.editor.field_error("name") and not tab.run_button.isEnabled()
    long = tmp_path / "long.json"
    long.write_text(json.dumps(WEEKLY).replace('"contribution": 150.0', '"contribution": ' + "9" * 5000))
    tab.open_path(long)
    assert "a number of 5,000 characters" in tab.editor.field_error("contribution")
    deep = tmp_path / "deep.json"
    deep.write_text('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}")
    before = deep.read_bytes()
    tab.open_path(deep)
    assert "nested 100,001 deep" in tab.banner_text() and deep.read_bytes() == before
    big = write_plan(tmp_path, {**WEEKLY, "name": "x" * 2_000_000}, "big.json")
    tab.open_path(big)
    assert "a plan file is at most 1,048,576 bytes" in tab.banner_text()
    tab.ensure_current()
    assert tab.outputs is None and not tab.run_button.isEnabled()


def test_a_new_plan_starts_from_the_settings_and_the_formats_defaults(tab):
    tab.settings.dca.contribution = 250.0
    tab.settings.dca.allocation = {"VTV": 100.0}
    tab.new_plan()
    plan = tab.valid_plan()
    assert plan.contribution == 250.0 and dict(plan.allocation) == {"VTV": 100.0}
    assert (plan.frequency, plan.anchor, plan.fractional, plan.rebalance, plan.initial, plan.fee) == (
        "monthly",
        "first-session",
        True,
        "pro-rata",
        0.0,
        0.0,
    )
    assert plan.start.day == 1 and (plan.end - plan.start).days in range(3650, 3654)


def test_the_chance_says_how_much_history_it_rests_on_and_warns_under_15_years(tab, qtbot, market, tmp_path):
    open_plan(tab, {**WEEKLY, "allocation": {"DFAT": 50, "VBR": 50}, "end": "2040-12-31"}, tmp_path)
    tab.ensure_current()
    page = tab.projection_page
    text = page.history_note.text()
    assert page.probability.text().startswith("Chance of reaching")
    # by hand from the closes: month-end closes both funds have, the unfinished August 2026 left out
    both = market.closes(["DFAT", "VBR"]).dropna()
    month_ends = both.groupby(both.index.to_period("M")).last().loc[:"2026-07"]
    months = len(month_ends) - 1  # returns between month-ends
    first, last = month_ends.index[0], month_ends.index[-1]
    assert months < 15 * 12
    assert (
        text
        == f"From {months} months of history ({first:%Y-%m} – {last:%Y-%m}): under 15 years, so a rough guide only."
    )
    assert page.history_note.isVisibleTo(page) and page.theme.loss in page.history_note.styleSheet()

    open_plan(tab, {**WEEKLY, "allocation": {"SPY": 60, "IWM": 40}, "end": "2040-12-31"}, tmp_path)
    tab.ensure_current()
    assert "months of history" in page.history_note.text()
    assert "under 15 years" not in page.history_note.text()  # SPY and IWM: 26 years
