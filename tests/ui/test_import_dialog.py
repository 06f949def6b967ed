"""File → Import prices from CSV… (issue 13): the checks of ``data import`` in a dialog, every problem
listed with its line, nothing saved when the file is refused, the tabs see an imported series at once,
and the messages that mention importing say where it is."""

from __future__ import annotations

import pandas as pd
import pytest
from fault_helpers import files_digest, read_only
from PySide6.QtWidgets import QMenu

from rotation_desk.cli.main import main
from rotation_desk.data.csv_import import read_price_csv
from rotation_desk.ui.kit.hints import IMPORT_MENU, IMPORT_WHERE
from rotation_desk.ui.kit.widgets import ticker_list_problem


def _import(window, qtbot, path, ticker=None, decimal_comma=False):
    dialog = window.open_import(path)
    if ticker is not None:
        dialog.ticker_edit.setText(ticker)
    dialog.decimal_box.setChecked(decimal_comma)
    dialog.start_import()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20000)
    return dialog


def test_a_good_file_is_imported_and_every_tab_sees_it(main_window, qtbot, tmp_path):
    w = main_window
    path = tmp_path / "myfd.csv"
    path.write_text("date,adj_close\n2020-01-02,10.00\n2020-01-03,10.50\n2020-01-06,10.25\n")
    dialog = w.open_import(path)
    assert dialog.ticker_edit.text() == "MYFD"  # offered from the file's name
    assert not dialog.replace_note.isVisible()
    with qtbot.waitSignal(dialog.imported, timeout=20000):
        dialog.start_import()
    assert dialog.result() == dialog.DialogCode.Accepted
    history = w.market.store.read_history("MYFD")
    assert history["adj_close"].tolist() == [10.0, 10.5, 10.25]
    assert list(history.index) == list(pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-06"]))
    assert w.market.store.ticker_meta("MYFD").source == "import:myfd.csv"
    assert w.status.message_label.text() == "Imported 3 rows of MYFD, 2020-01-02 to 2020-01-06."
    assert w.benchmark_box.findText("MYFD") >= 0
    compare = w.tab_list[1]
    assert compare.add_ticker("MYFD") and "MYFD" in compare.tickers and compare.picker.error() is None


def test_the_dialog_and_the_command_accept_and_refuse_the_same_files(main_window, qtbot, tmp_path, data_dir, capsys):
    """Same file, same verdict: the dialog runs the command's import (``import_price_file``)."""
    w = main_window
    good = tmp_path / "good.csv"
    good.write_text("date;adj_close\n2020-01-02;12,50\n2020-01-03;12,75\n")
    dialog = _import(w, qtbot, good, "GOODC", decimal_comma=True)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert w.market.store.read_history("GOODC")["adj_close"].tolist() == [12.5, 12.75]
    frame = read_price_csv(good, "GOODC", decimal=",")
    assert frame["adj_close"].tolist() == [12.5, 12.75]
    assert (
        main(
            [
                "--offline",
                "--data-dir",
                str(data_dir),
                "data",
                "import",
                str(good),
                "--ticker",
                "GOODX",
                "--decimal",
                ",",
            ]
        )
        == 0
    )
    assert main(["--offline", "--data-dir", str(data_dir), "data", "import", str(good), "--ticker", "GOODY"]) == 2
    capsys.readouterr()


def test_a_bad_file_lists_its_problems_by_line_and_saves_nothing(main_window, qtbot, tmp_path, data_dir):
    w = main_window
    path = tmp_path / "bad.csv"
    path.write_text("date,adj_close\n2020-01-02,12.50\n2020-01-03,12,50\n2020-13-01,12.60\n2020-01-06,-1\n")
    w.market.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = files_digest(data_dir / "cache")["prices.sqlite3"]
    metas = w.market.store.tickers()
    dialog = _import(w, qtbot, path, "BADF")
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    lines = dialog.problem().splitlines()
    assert lines[0] == f"{path}:"
    assert lines[1].startswith("line 3: decimal comma found ('12,50'): use a dot, or tick “Decimal commas”")
    assert lines[2].startswith("line 4: date ")
    assert lines[3].startswith("line 5: adj_close '-1'")
    assert lines[-1] == "Nothing was imported."
    assert "--decimal" not in dialog.problem()  # the dialog's words, not the command's option
    assert not w.market.store.has("BADF")
    w.market.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert files_digest(data_dir / "cache")["prices.sqlite3"] == before and w.market.store.tickers() == metas
    assert dialog.import_button.isEnabled()  # fix the file and try again
    dialog.close()


def test_a_ticker_with_prices_says_they_will_be_replaced(main_window, qtbot, tmp_path):
    dialog = main_window.open_import(tmp_path / "x.csv")
    dialog.ticker_edit.setText("spy")
    meta = main_window.market.store.ticker_meta("SPY")
    assert dialog.replace_note.isVisibleTo(dialog)
    assert dialog.replace_note.text() == (
        f"SPY has {meta.rows:,} cached rows ({meta.first} to {meta.last}, from snapshot); an import replaces them all."
    )
    dialog.ticker_edit.setText("BRK B")
    dialog.start_import()
    assert dialog.problem().startswith("'BRK B' is not a ticker symbol (e.g. SPY, BRK-B")
    dialog.close()


def test_a_read_only_database_is_said_in_one_sentence(qtbot, paths, tmp_path):
    from rotation_desk.ui.app.start import build_window

    path = tmp_path / "ro.csv"
    path.write_text("date,adj_close\n2020-01-02,10\n")
    with read_only(paths.cache_dir):
        w = build_window(paths, offline=True)
        qtbot.addWidget(w)
        w.persist = False
        dialog = _import(w, qtbot, path, "ROF")
        text = dialog.problem()
        assert text.startswith("cannot write to the price database: ") and text.endswith("nothing was written")
        assert "read-only" in text and "\n" not in text and "Traceback" not in text
        assert not w.market.store.has("ROF")
        dialog.close()
        w.market.store.close()


def test_messages_that_mention_importing_say_where_it_is(main_window):
    assert ticker_list_problem(["SPY", "NOPE"], 5, lambda: ["SPY"]) == (
        f"no cached prices for NOPE (refresh it, or import it with {IMPORT_WHERE})"
    )
    file_menu = next(m for m in main_window.menuBar().findChildren(QMenu) if m.title() == "&File")
    assert IMPORT_MENU in [a.text() for a in file_menu.actions()]
    assert IMPORT_WHERE == f"File → {IMPORT_MENU}"


@pytest.mark.parametrize("text, words", [("2020-01-02,12,50", "tick “Decimal commas”")])
def test_the_commands_option_names_become_the_dialogs(text, words, tmp_path):
    from rotation_desk.errors import BadInput
    from rotation_desk.ui.app.import_dialog import dialog_words

    path = tmp_path / "f.csv"
    path.write_text("date,adj_close\n" + text + "\n")
    with pytest.raises(BadInput) as caught:
        read_price_csv(path, "F")
    assert "--decimal ," in str(caught.value)
    assert words in "\n".join(dialog_words(str(caught.value)))
