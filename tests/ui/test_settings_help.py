"""Settings (issue 13): theme, default range and benchmark, the risk-free rate of every Sharpe and
Sortino in the window (the command line keeps 0 unless --rf), refresh on start, export defaults — each
checked by its settings field. F1: the user guide's section for the tab and page on screen."""

from __future__ import annotations

import json

import empyrical
import pytest

from rotation_desk.cli.main import main
from rotation_desk.data.resources import read_guide
from rotation_desk.ui.app.help import CONVENTIONS, guide_sections
from rotation_desk.ui.state.settings import Settings, load_settings


def _settle(window):
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    window.current_tab().wait_idle()
    QApplication.processEvents()


def _set(dialog, **values):
    if "rf" in values:
        dialog.rf_box.setValue(values["rf"])
    if "benchmark" in values:
        dialog.bench_box.setCurrentText(values["benchmark"])
    if "refresh" in values:
        dialog.refresh_box.setChecked(values["refresh"])
    if "folder" in values:
        dialog.folder_edit.setText(values["folder"])
    if "size" in values:
        dialog.width_box.setValue(values["size"][0])
        dialog.height_box.setValue(values["size"][1])
    if "hidpi" in values:
        dialog.hidpi_box.setChecked(values["hidpi"])
    if "range" in values:
        dialog.range_box.setCurrentText(values["range"])


def test_the_risk_free_rate_reaches_every_sharpe_and_sortino_on_screen(main_window, paths, tmp_path):
    w = main_window
    w.tabs.setCurrentIndex(1)
    _settle(w)
    compare = w.current_tab()
    assert "Sharpe and Sortino with risk-free 0 %" in compare.metrics.table_caption.text()
    dialog = w.open_settings()
    _set(dialog, rf=4.0, refresh=False, folder=str(tmp_path), size=(1280, 720), hidpi=True, range="1Y")
    dialog._accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    _settle(w)
    assert w.settings.risk_free == 0.04
    data = compare.data
    assert data.rf == 0.04
    daily_rf = 1.04 ** (1 / 252) - 1
    for i, ticker in enumerate(compare.table.raw_column("ticker")):
        returns = data.series[ticker].pct_change().dropna()
        assert compare.table.raw_column("sharpe")[i] == pytest.approx(
            empyrical.sharpe_ratio(returns, risk_free=daily_rf), rel=1e-9
        )
        assert compare.table.raw_column("sortino")[i] == pytest.approx(
            empyrical.sortino_ratio(returns, required_return=daily_rf), rel=1e-9
        )
    assert "Sharpe and Sortino with risk-free 4.00 % a year" in compare.metrics.table_caption.text()
    sharpe_column = next(c for c in compare.table.source_model.columns() if c.key == "sharpe")
    assert sharpe_column.tooltip.endswith("risk-free 4.00 % a year")

    w.tabs.setCurrentIndex(2)
    sectors = w.current_tab()
    sectors.pages.setCurrentWidget(sectors.tilt_page)
    _settle(w)
    assert sectors.tilt_result.rf == 0.04 and "risk-free 4.00 % a year" in sectors.tilt_caption.text()

    saved = json.loads(paths.settings_file.read_text())
    assert saved["risk_free"] == 0.04 and saved["refresh_on_start"] is False and saved["default_range"] == "1Y"
    assert saved["export"] == {"width": 1280, "height": 720, "hidpi": True, "folder": str(tmp_path)}
    # the chart export dialog starts from the export defaults
    from rotation_desk.ui.charts.export_dialog import ExportDialog

    export = ExportDialog(compare.growth)
    assert (export.width_box.value(), export.height_box.value(), export.hidpi_box.isChecked()) == (1280, 720, True)
    assert export.path_edit.text().startswith(str(tmp_path))
    export.close()


def test_the_command_line_keeps_zero_unless_given_rf(data_dir, paths, capsys, closes):
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(json.dumps({"version": 2, "risk_free": 0.04}))
    args = ["--offline", "--data-dir", str(data_dir), "metrics", "VBR", "--start", "2020-01-01", "--format", "json"]
    assert main(args) == 0
    plain = json.loads(capsys.readouterr().out)[0]
    assert main([*args, "--rf", "0.04"]) == 0
    with_rf = json.loads(capsys.readouterr().out)[0]
    returns = closes["VBR"].loc["2019-12-31":].dropna().pct_change().dropna()
    assert plain["sharpe"] == pytest.approx(empyrical.sharpe_ratio(returns), rel=1e-9)
    assert with_rf["sharpe"] == pytest.approx(
        empyrical.sharpe_ratio(returns, risk_free=1.04 ** (1 / 252) - 1), rel=1e-9
    )


def test_the_dialog_refuses_what_the_fields_refuse(main_window, tmp_path):
    dialog = main_window.open_settings()
    lo, hi = dialog.rf_box.minimum(), dialog.rf_box.maximum()
    assert (lo, hi) == (-5.0, 25.0)  # the risk_free field's check: -0.05 … 0.25
    assert (dialog.width_box.minimum(), dialog.width_box.maximum()) == (200, 8000)
    _set(dialog, benchmark="ZZZZ")
    dialog._accept()
    assert dialog.error_label.text() == (
        "No cached prices for ZZZZ; refresh it, or import it with File → Import prices from CSV…."
    )
    _set(dialog, benchmark="QQQ", folder=str(tmp_path / "nowhere"))
    dialog._accept()
    assert dialog.error_label.text() == f"The export folder {tmp_path / 'nowhere'} does not exist."
    assert dialog.result() != dialog.DialogCode.Accepted and main_window.settings.benchmark == "SPY"
    dialog.reject()


def test_wrong_types_in_the_new_fields_fall_back_with_a_notice(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 2, "risk_free": "4%", "refresh_on_start": "yes", "export": {"width": 50}}))
    settings, notice = load_settings(path)
    assert (settings.risk_free, settings.refresh_on_start, settings.export.width) == (0.0, True, 1600)
    assert "risk_free" in notice and "refresh_on_start" in notice and "export.width" in notice
    assert Settings().refresh_on_start is True and Settings().risk_free == 0.0


# ---------------------------------------------------------------------------- F1
@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")
def test_f1_opens_the_guide_at_the_tab_and_page_on_screen(main_window):
    w = main_window
    sections = guide_sections(read_guide())
    texts = {}
    for i, tab in enumerate(w.tab_list):
        w.tabs.setCurrentIndex(i)
        w.help_action.trigger()
        dialog = w.help_dialog
        assert dialog.isVisible() and dialog.topic() == tab.title
        body = dialog.text()
        first_words = sections[tab.title].splitlines()[2][:40]  # the section's first sentence
        assert first_words in body and CONVENTIONS in body and "CAGR = (end / start)" in body
        texts[tab.title] = body
    assert len(set(texts.values())) == 4  # each tab has its own help (it was one formula list for all)

    w.tabs.setCurrentIndex(2)
    sectors = w.current_tab()
    sectors.pages.setCurrentWidget(sectors.tilt_page)
    sectors.tilt_page.show_view(sectors.tilt_page.side)
    w.help_action.trigger()
    cursor = w.help_dialog.browser.textCursor()  # the innermost page on screen: the tilt's Side by side view
    assert cursor.block().text() == "Side by side" and cursor.block().blockFormat().headingLevel() == 3
    sectors.pages.setCurrentWidget(sectors.rotation_page)
    w.help_action.trigger()
    assert w.help_dialog.browser.textCursor().block().text() == "Rotation graph"
    w.tabs.setCurrentIndex(1)
    compare = w.current_tab()
    compare.chart_tabs.setCurrentIndex(5)
    w.help_action.trigger()
    assert w.help_dialog.browser.textCursor().block().text() == "Correlation"
    w.help_dialog.topic_box.setCurrentText("Command line and exit codes")
    assert "4 environment" in w.help_dialog.text()
    w.help_dialog.close()


def test_the_guide_has_a_section_per_tab_and_page(main_window):
    from PySide6.QtWidgets import QTabWidget

    sections = guide_sections(read_guide())
    for title in ("How the numbers are computed", "Settings", "Command line and exit codes", "Where your data lives"):
        assert title in sections
    for tab in main_window.tab_list:
        assert tab.title in sections
        for pages in tab.findChildren(QTabWidget):
            for j in range(pages.count()):
                name = pages.tabText(j)
                if pages.parent() is not None and name in (
                    "Plan vs lump sum vs SPY",
                    "Shares and cost basis",
                    "Ledger",
                ):
                    assert "ledger" in sections[tab.title].lower()  # the backtest's tables, in its part
                    continue
                assert f"### {name}" in sections[tab.title], (tab.title, name)
