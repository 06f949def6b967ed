"""The DCA Planner's Holdings page and journal entry (issue 15), through the real window, widgets and SQLite.

Figures are checked against hand computations from the store's closes and pyxirr, and against the command
line (``rotation-desk journal list`` and ``dca PLAN --next --format json``) run on the same data dir.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest
import pyxirr
from PySide6.QtCore import Qt

from rotation_desk.cli.main import main
from rotation_desk.data.journal_csv import header_signature
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.ui.kit import formats
from rotation_desk.ui.tabs.dca.buy_dialog import BuyDialog
from rotation_desk.ui.tabs.dca.mapping_dialog import MappingDialog
from rotation_desk.ui.tabs.dca.tab import DcaTab

PLAN = {
    "name": "Rotation core",
    "contribution": 1000.0,
    "frequency": "monthly",
    "anchor": "first-session",
    "start": "2025-01-01",
    "end": "2027-12-31",
    "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
    "rebalance": "to-target",
}


class Dialogs:
    """Stands in for the person at the dialogs: edits the real dialog's fields, then presses OK or Cancel."""

    def __init__(self):
        self.seen: list = []
        self.edits: list[dict] = []  # per BuyDialog, field -> text to type
        self.mapping_choices: dict[str, str] = {}
        self.choice: str | None = None
        self.warnings: list[str] = []

    def run_dialog(self, tab, dialog) -> bool:
        self.seen.append(dialog)
        if isinstance(dialog, BuyDialog):
            for field, text in (self.edits.pop(0) if self.edits else {}).items():
                edit = getattr(dialog, field)
                edit.setText(text)
            return dialog.try_accept()
        if isinstance(dialog, MappingDialog):
            for field, column in self.mapping_choices.items():
                dialog.choose(field, column)
            return dialog.try_accept()
        raise AssertionError(f"unexpected dialog {dialog!r}")


@pytest.fixture
def dialogs(monkeypatch):
    d = Dialogs()
    monkeypatch.setattr(DcaTab, "run_dialog", lambda tab, dialog: d.run_dialog(tab, dialog))
    monkeypatch.setattr(DcaTab, "warn", lambda tab, title, text: d.warnings.append(text))
    monkeypatch.setattr(DcaTab, "ask_choice", lambda tab, title, text, choices: d.choice)
    monkeypatch.setattr(DcaTab, "ask", lambda tab, title, text: True)
    return d


def build(qtbot, paths):
    from rotation_desk.ui.app.start import build_window

    window = build_window(paths, offline=True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    index = next(i for i, t in enumerate(window.tab_list) if t.key == "dca")
    window.tabs.setCurrentIndex(index)
    tab = window.tab_list[index]
    qtbot.waitUntil(tab.isVisible, timeout=10000)  # a tab built while the window shows is shown by a queued call
    qtbot.waitUntil(tab.is_idle, timeout=30000)
    return window, tab


def close(qtbot, window, tab) -> None:
    qtbot.waitUntil(tab.is_idle, timeout=30000)
    window.close()
    window.market.store.close()


def open_plan(qtbot, tab, paths, raw=PLAN):
    path = paths.plans_dir / "rotation-core.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw))
    tab.open_path(path)
    tab.ensure_current()
    return path


def show_holdings(qtbot, tab):
    tab.pages.setCurrentWidget(tab.holdings_page)
    qtbot.waitUntil(tab.holdings_page.isVisible, timeout=10000)
    qtbot.waitUntil(tab.is_idle, timeout=30000)
    tab.wait_idle()
    return tab.holdings_page


def cli_json(capsys, data_dir, *argv):
    capsys.readouterr()
    code = main(["--offline", "--data-dir", str(data_dir), *map(str, argv)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def cell(table, row_key, col_key, key_col="ticker"):
    keys = table.raw_column(key_col)
    j = table.column_index(col_key)
    return table.proxy.index(keys.index(row_key), j).data()


def test_three_marked_buys_survive_a_restart_and_the_next_buy_follows_the_rule(
    qtbot, paths, data_dir, dialogs, capsys, tmp_path
):
    window, tab = build(qtbot, paths)
    plan_path = open_plan(qtbot, tab, paths)
    page = tab.schedule_page
    tab.pages.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.table.model().rowCount() > 0, timeout=10000)
    assert not page.mark_button.isEnabled()  # nothing selected yet
    # the first scheduled date's three rows; VBR bought twice the shares the dialog suggests (overweight)
    first = page.table.raw_column("date")[0]
    rows = [r for r, d in enumerate(page.table.raw_column("date")) if d == first]
    assert [page.table.raw_column("ticker")[r] for r in rows] == ["VBR", "DFAT", "EEMV"]
    dialogs.edits = [{"shares": "8", "price": "200.50", "fee": "1"}, {}, {}]
    for r in rows:
        page.table.selectRow(r)
        qtbot.mouseClick(page.mark_button, Qt.MouseButton.LeftButton)
    buy_dialogs = [d for d in dialogs.seen if isinstance(d, BuyDialog)]
    assert len(buy_dialogs) == 3 and not dialogs.warnings
    # prefilled: the row's amount at that session's close (2025-01-02), the plan's fee
    closes = tab.market.closes(["VBR", "DFAT", "EEMV"])
    day = pd.Timestamp(first)
    assert buy_dialogs[1].price.text() == f"{closes.loc[day, 'DFAT']:.4f}".rstrip("0").rstrip(".")
    assert float(buy_dialogs[1].shares.text()) == pytest.approx(300 / closes.loc[day, "DFAT"], abs=1e-6)
    assert "that session's close (2025-01-02" in buy_dialogs[1].hint.text()
    close(qtbot, window, tab)

    # quit and start again: the plan reopens, the Holdings page shows the three buys
    window, tab = build(qtbot, paths)
    assert tab.plan_path == plan_path
    hp = show_holdings(qtbot, tab)
    assert hp.message_text() is None
    listed = cli_json(capsys, data_dir, "journal", "list", "--plan", "Rotation core", "--format", "json")
    assert [(r["ticker"], r["date"]) for r in listed] == [("VBR", first), ("DFAT", first), ("EEMV", first)]
    assert listed[0]["shares"] == 8.0 and listed[0]["price"] == 200.5 and listed[0]["fee"] == 1.0
    last = closes.ffill().iloc[-1]
    value = sum(r["shares"] * last[r["ticker"]] for r in listed)
    invested = sum(r["cost"] for r in listed)
    assert invested == pytest.approx(8 * 200.5 + 1 + 600, abs=0.011)  # DFAT and EEMV: 300.00 each to the cent
    hp.views.setCurrentWidget(hp.positions)
    qtbot.waitUntil(lambda: hp.positions.model().rowCount() == 3, timeout=10000)
    for r in listed:
        t = r["ticker"]
        assert cell(hp.positions, t, "shares") == formats.number(r["shares"], 4)
        assert cell(hp.positions, t, "value") == formats.money(r["shares"] * last[t])
        assert cell(hp.positions, t, "weight") == formats.pct(r["shares"] * last[t] / value, signed=False)
    assert hp.cards["value"].value.text() == formats.money(value)
    assert hp.cards["invested"].value.text() == formats.money(invested)
    valued_at = closes.index[-1].date()
    expected_xirr = pyxirr.xirr([dt.date.fromisoformat(first)] * 3 + [valued_at],
                                [-r["cost"] for r in listed] + [round(value, 2)])  # fmt: skip
    assert hp.cards["xirr"].value.text() == formats.pct(expected_xirr, 2)
    assert hp.cards["twr"].value.text() == formats.pct(value / invested - 1, 2)  # one day of buys: V / paid - 1
    # behind plan: every monthly buy up to today after the first was missed
    n_due = len(hp.shown.standing.periods)
    behind = n_due * 1000 - invested
    assert hp.standing.text().startswith(f"Behind plan by ${behind:,.2f}: {n_due} buys scheduled up to")
    assert f"{n_due - 1} missed" in hp.standing.text()
    hp.views.setCurrentIndex(3)
    qtbot.waitUntil(lambda: hp.off_table.model().rowCount() == n_due - 1, timeout=10000)
    assert hp.off_table.frame()["what"].eq("missed").all()

    # the next buy: as `dca --next`; sums to the contribution, nothing for the overweight VBR
    nxt = cli_json(capsys, data_dir, "dca", plan_path, "--next", "--format", "json")
    hp.views.setCurrentIndex(2)
    qtbot.waitUntil(lambda: hp.next_table.model().rowCount() == 3, timeout=10000)
    shown = hp.next_table.frame().set_index("ticker")
    assert sum(round(o["amount"] * 100) for o in nxt["orders"]) == 100000
    for o in nxt["orders"]:
        assert shown.loc[o["ticker"], "amount"] == o["amount"]
        assert shown.loc[o["ticker"], "shares"] == pytest.approx(o["shares"], abs=1e-12)
    assert shown.loc["VBR", "amount"] == 0.0 and shown["amount"].min() >= 0
    assert f"Next buy {nxt['date']}: $1,000.00, to the holdings below target" in hp.next_line.text()
    assert f"cash left {formats.money(nxt['cash_left'])}" in hp.next_line.text()
    close(qtbot, window, tab)


def test_empty_journal_says_how_to_add_buys(qtbot, paths, dialogs):
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths)
    hp = show_holdings(qtbot, tab)
    text = hp.message_text()
    assert text.startswith("No buys recorded for “Rotation core” yet.")
    assert "Mark as bought" in text and "Import buys from CSV" in text and "journal add" in text
    assert hp.add_button.isEnabled() and hp.import_button.isEnabled()
    close(qtbot, window, tab)


def test_csv_with_a_bad_row_saves_nothing_and_names_the_row(qtbot, paths, dialogs, tmp_path):
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths)
    hp = show_holdings(qtbot, tab)
    src = tmp_path / "buys.csv"
    src.write_text("date,ticker,shares,price,fee\n2025-01-02,VBR,2,190.10,0\n2025-02-03,DFAT,3,12;50,0\n")
    assert tab.journal_actions.import_csv(src) is None
    assert len(dialogs.warnings) == 1 and "\n" not in dialogs.warnings[0]
    assert "line 3: price" in dialogs.warnings[0] and dialogs.warnings[0].endswith("nothing was imported")
    assert "line 3" in hp.notice.text() and not hp.undo_button.isVisible()
    assert tab.market.journal.count() == 0
    assert hp.message_text().startswith("No buys recorded")
    close(qtbot, window, tab)


def test_column_mapping_is_asked_once_per_layout_and_remembered(qtbot, paths, dialogs, tmp_path):
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths)
    show_holdings(qtbot, tab)
    header = "Trade Date,Symbol,Quantity,Unit Price,Commission,Account"
    first = tmp_path / "broker-jan.csv"
    first.write_text(f"{header}\n2025-01-02,VBR,2,190.10,1.00,X1\n2025-01-02,DFAT,5,55.20,1.00,X1\n")
    dialogs.mapping_choices = {"price": "Unit Price"}  # the rest guessed from the broker's names
    ids = tab.journal_actions.import_csv(first)
    assert ids == [1, 2] and not dialogs.warnings
    [mapping_dialog] = [d for d in dialogs.seen if isinstance(d, MappingDialog)]
    assert mapping_dialog.mapping() == {"date": "Trade Date", "ticker": "Symbol", "shares": "Quantity",
                                        "price": "Unit Price", "fee": "Commission"}  # fmt: skip
    rows = tab.market.journal.read("Rotation core").buys
    assert [(b.ticker, b.shares, b.price, b.fee) for b in rows] == [("VBR", 2, 190.10, 1.0), ("DFAT", 5, 55.20, 1.0)]
    # the same layout again: no dialog
    second = tmp_path / "broker-feb.csv"
    second.write_text(f"{header}\n2025-02-03,EEMV,4,60.00,0,X1\n")
    assert tab.journal_actions.import_csv(second) == [3]
    assert len([d for d in dialogs.seen if isinstance(d, MappingDialog)]) == 1
    key = header_signature(header.split(","))
    assert tab.settings.dca.buy_mappings[key]["price"] == "Unit Price"
    close(qtbot, window, tab)
    # remembered in the settings file: a new window imports the layout without asking
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths)
    third = tmp_path / "broker-mar.csv"
    third.write_text(f"{header}\n2025-03-03,VBR,1,200.00,0,X1\n")
    assert tab.journal_actions.import_csv(third) == [4]
    assert len([d for d in dialogs.seen if isinstance(d, MappingDialog)]) == 1
    close(qtbot, window, tab)


def test_delete_and_edit_are_undone_with_their_rows_back(qtbot, paths, dialogs, tmp_path):
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths)
    hp = show_holdings(qtbot, tab)
    src = tmp_path / "buys.csv"
    src.write_text("date,ticker,shares,price\n2025-01-02,VBR,2,190.10\n2025-01-02,DFAT,5,55.20\n")
    assert tab.journal_actions.import_csv(src) == [1, 2]
    journal = tab.market.journal
    before = journal.get(2)
    show_holdings(qtbot, tab)
    hp.views.setCurrentIndex(hp.views.count() - 1)
    qtbot.waitUntil(lambda: hp.buys.model().rowCount() == 2, timeout=10000)
    hp.select_ids([2])
    qtbot.mouseClick(hp.delete_button, Qt.MouseButton.LeftButton)
    assert journal.get(2) is None and journal.count() == 1
    assert hp.notice.text().startswith("Deleted row 2: 2025-01-02 DFAT 5 @ 55.20") and hp.undo_button.isVisible()
    qtbot.mouseClick(hp.undo_button, Qt.MouseButton.LeftButton)
    assert journal.get(2) == before  # the same row, under its own number
    assert hp.notice.text().startswith("Undone: deleted row 2")
    show_holdings(qtbot, tab)
    qtbot.waitUntil(lambda: hp.buys.model().rowCount() == 2, timeout=10000)
    # edit the row, then undo the edit (Ctrl+Z on the page)
    dialogs.edits = [{"shares": "6", "note": "partial fill"}]
    hp.select_ids([2])
    qtbot.mouseClick(hp.edit_button, Qt.MouseButton.LeftButton)
    assert journal.get(2).buy.shares == 6.0 and journal.get(2).buy.note == "partial fill"
    hp.buys.setFocus()
    tab.journal_actions.undo()
    assert journal.get(2).buy == before.buy
    close(qtbot, window, tab)


def test_buy_dialog_refuses_what_journal_add_refuses(qtbot, dialogs):
    dialog = BuyDialog("Add buy", "P")
    qtbot.addWidget(dialog)
    dialog.date.setText("2025-13-01")
    dialog.ticker.setText("VBR")
    dialog.shares.setText("1,5")
    dialog.price.setText("-3")
    assert not dialog.try_accept()
    lines = dialog.problems.text().splitlines()
    assert lines[0].startswith("date: '2025-13-01' is not a date on the calendar")
    assert any(line.startswith("shares: '1,5'") for line in lines) and any("price:" in line for line in lines)
    assert "--decimal" not in dialog.problems.text()
    dialog.date.setText("2025-01-02")
    dialog.shares.setText("1.5")
    dialog.price.setText("100")
    dialog.fee.setText("1")
    assert dialog.cost.text() == "Cost $151.00 (150.00 + 1.00 fee)"
    assert dialog.try_accept() and dialog.buy().cost == 151.0


def test_deleting_a_plan_asks_what_to_do_with_its_journal(qtbot, paths, dialogs, tmp_path):
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths)
    src = tmp_path / "buys.csv"
    src.write_text("date,ticker,shares,price\n2025-01-02,VBR,2,190.10\n")
    tab.journal_actions.import_csv(src)
    journal = tab.market.journal
    dialogs.choice = None  # Cancel: nothing happens
    tab.plans.delete_clicked()
    assert tab.plan_path is not None and journal.count() == 1
    dialogs.choice = "keep"
    tab.plans.delete_clicked()
    assert not (paths.plans_dir / "rotation-core.json").exists() and journal.count() == 1
    open_plan(qtbot, tab, paths)
    dialogs.choice = "delete"
    tab.plans.delete_clicked()
    assert journal.count() == 0
    assert tab.journal_actions.undo() and journal.count() == 1
    close(qtbot, window, tab)


def test_editing_a_plan_leaves_its_journal_and_a_rename_takes_the_buys_along(qtbot, paths, dialogs, tmp_path):
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths)
    src = tmp_path / "buys.csv"
    src.write_text("date,ticker,shares,price\n2025-01-02,VBR,2,190.10\n")
    tab.journal_actions.import_csv(src)
    journal = tab.market.journal
    stored = journal.read().rows
    tab.editor.contribution.setText("750")
    tab.apply_edits()
    tab.save_plan()
    assert journal.read().rows == stored
    tab.editor.name.setText("Rotation satellite")
    tab.apply_edits()
    tab.save_plan()
    assert journal.plan_names() == ["Rotation satellite"]
    assert [r.buy for r in journal.read("Rotation satellite").rows] == [r.buy for r in stored]
    close(qtbot, window, tab)


@pytest.mark.parametrize(
    "every, roll, unit",
    [("3", "previous-session", "weeks"), ("", "next-session", "week")],
)
def test_schedule_options_in_the_editor(qtbot, paths, dialogs, every, roll, unit):
    from rotation_desk.core.dca.plan_json import parse_plan
    from rotation_desk.core.dca.schedule import plan_contributions

    raw = dict(PLAN, frequency="weekly", anchor="fri", start="2026-06-12", end="2026-12-31")
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths, raw)
    tab.editor.every.setText(every)
    tab.editor.roll.set_value(roll)
    tab.apply_edits()
    assert tab.editor.schedule.unit.text() == unit
    plan = tab.valid_plan()
    expected = parse_plan({**raw, **({"every": int(every)} if every else {}), "roll": roll})
    assert plan == expected
    saved = tab.save_plan()
    on_file = json.loads(saved.read_text())
    assert on_file.get("every") == (int(every) if every else None) and on_file.get("roll") == (
        roll if roll != "next-session" else None
    )
    tab.ensure_current()
    dates = sorted(set(tab.outputs.schedule["date"]))
    assert dates == sorted({c.date for c in plan_contributions(expected)})
    if roll == "previous-session":  # 2026-07-03 (Independence Day observed) moves back to Thursday 2 July
        assert pd.Timestamp("2026-07-02") in dates and "previous session" in tab.schedule_page.note.text()
        assert "every 3 weeks" in tab.schedule_page.note.text()
    tab.editor.every.setText("0")
    tab.apply_edits()
    assert "between 1 and 52" in tab.editor.field_error("every")
    close(qtbot, window, tab)


def test_a_damaged_row_is_named_and_can_be_deleted(qtbot, paths, data_dir, dialogs, tmp_path):
    src = tmp_path / "buys.csv"
    src.write_text("date,ticker,shares,price\n2025-01-02,VBR,2,190.10\n2025-01-02,DFAT,5,55.20\n")
    assert main(["--offline", "--data-dir", str(data_dir), "journal", "import", str(src), "--plan",
                 "Rotation core"]) == 0  # fmt: skip
    market = MarketData(resolve_paths(data_dir), offline=True)
    with market.store.conn:
        market.store.conn.execute("UPDATE journal SET shares = 'lots' WHERE id = 2")
    market.store.close()
    window, tab = build(qtbot, paths)
    open_plan(qtbot, tab, paths)
    hp = show_holdings(qtbot, tab)
    assert "damaged row (row 2 (shares: 'lots' is not a number))" in hp.standing.text()
    assert hp.cards["value"].value.text() == formats.MISSING
    qtbot.waitUntil(lambda: hp.buys.model().rowCount() == 2, timeout=10000)
    assert hp.buys.frame()["note"].iloc[1].startswith("DAMAGED: shares")
    hp.select_ids([2])
    qtbot.mouseClick(hp.delete_button, Qt.MouseButton.LeftButton)
    show_holdings(qtbot, tab)
    assert hp.shown.standing is not None and math.isfinite(hp.shown.standing.value)
    close(qtbot, window, tab)
