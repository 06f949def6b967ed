"""Issue 14, longer history by proxy in the ETF Comparison: the figures equal `metrics --proxy`, the choice is
remembered, the proxied span is shaded, the ticker marked, the page says it; `export-chart --proxy`."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from snapshot_closes import DFAT_PLAN

from rotation_desk.cli.main import main
from rotation_desk.ui.app.render import ExportRequest, RenderSession
from rotation_desk.ui.charts.panel import unix_seconds
from rotation_desk.ui.kit import formats
from rotation_desk.ui.state.settings import load_settings, save_settings
from rotation_desk.ui.tables.table import RAW_ROLE
from rotation_desk.ui.tabs.base import TabServices
from rotation_desk.ui.tabs.compare.tab import CompareTab

NUMBERS = ("total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar")
UNTIL = pd.Timestamp("2021-06-14")  # DFAT's first close


def _tab(qtbot, services, tickers=("DFAT",)) -> CompareTab:
    tab = CompareTab(services, list(tickers))
    qtbot.addWidget(tab)
    tab.resize(1300, 850)
    tab.ensure_current()
    return tab


def _row(tab: CompareTab, ticker: str, role=RAW_ROLE) -> dict:
    table = tab.table
    r = table.raw_column("ticker").index(ticker)
    return {c.key: table.proxy.index(r, table.column_index(c.key)).data(role) for c in table.source_model.columns()}


def _range_tab(qtbot, services, view_state):
    view_state.set_custom(pd.Timestamp("2016-01-04"), pd.Timestamp("2023-12-29"))
    tab = _tab(qtbot, services)
    tab.set_mode("range")
    tab.set_proxy("DFAT", "VBR")
    tab.ensure_current()
    return tab


def test_the_tabs_figures_equal_metrics_with_the_proxy(qtbot, services, view_state, data_dir, capsys):
    tab = _range_tab(qtbot, services, view_state)
    capsys.readouterr()
    argv = ["metrics", "DFAT", "--proxy", "DFAT=VBR", "--start", "2016-01-04", "--end", "2023-12-29"]
    assert main(["--offline", "--data-dir", str(data_dir), *argv, "--format", "json"]) == 0
    [cli] = json.loads(capsys.readouterr().out)
    row = _row(tab, "DFAT")
    for key in NUMBERS:
        assert row[key] == pytest.approx(cli[key], rel=1e-12, abs=1e-15), key
    assert (
        (formats.day(row["start"]), formats.day(row["end"]))
        == (cli["start"], cli["end"])
        == ("2016-01-04", "2023-12-29")
    )
    assert cli["proxy"]["ticker"] == "VBR" and cli["proxy"]["until"] == "2021-06-14"


def test_marker_statement_and_shading_over_the_proxied_span(qtbot, services, view_state):
    tab = _range_tab(qtbot, services, view_state)
    assert list(tab.splices) == ["DFAT"]
    shown = _row(tab, "DFAT", Qt.ItemDataRole.DisplayRole)
    assert shown["ticker"] == "DFAT ᵖ" and _row(tab, "SPY", Qt.ItemDataRole.DisplayRole)["ticker"] == "SPY"
    tip = _row(tab, "DFAT", Qt.ItemDataRole.ToolTipRole)["ticker"]
    assert tip.startswith("DFAT before 2021-06-14: VBR's returns (from 2004-01-30")
    assert tab.proxy_bar.label.text().startswith("Extended by proxy: DFAT before 2021-06-14: VBR's returns")
    assert tab.proxy_bar.button.text() == "Extend history (1)"
    assert "shaded: DFAT before 2021-06-14: VBR's returns" in tab.growth.source()
    for panel in (tab.growth, tab.drawdown, tab.rolling_return, tab.rolling_volatility):
        [region] = tab.shading.items[panel]
        assert region in panel.plot_item.items
        expected = unix_seconds(pd.DatetimeIndex([pd.Timestamp("2016-01-04"), UNTIL]))
        assert tuple(region.getRegion()) == pytest.approx(tuple(expected))
    # a window inside DFAT's own history needs no proxy: nothing shaded, marked or said
    view_state.set_custom(pd.Timestamp("2022-01-03"), pd.Timestamp("2023-12-29"))
    tab.invalidate()
    tab.ensure_current()
    assert tab.splices == {} and tab.shading.items[tab.growth] == [] and tab.proxy_bar.label.text() == ""
    assert _row(tab, "DFAT", Qt.ItemDataRole.DisplayRole)["ticker"] == "DFAT"


def test_menu_lists_the_suggestions_and_none(qtbot, services):
    tab = _tab(qtbot, services, ("DFAT", "VBR", "SPY"))
    bar = tab.proxy_bar
    bar._fill_menu()
    subs = [a.menu() for a in bar.menu.actions() if a.menu() is not None]
    assert [s.title() for s in subs] == ["DFAT"]  # VBR and SPY ship no suggestion
    texts = [a.text() for a in subs[0].actions()]
    assert texts[0] == "None: DFAT's own history only"
    assert texts[1] == "VBR · correlation 0.98 · tracking difference +1.8 % a year"
    assert len(texts) == 5 and subs[0].actions()[0].isChecked()
    assert "2021-06-14 – 2026-08-03" in subs[0].actions()[1].toolTip()
    subs[0].actions()[2].trigger()  # IJS
    assert tab.settings.compare.proxies == {"DFAT": "IJS"}
    tab.ensure_current()
    assert tab.splices["DFAT"].proxy == "IJS"
    bar._fill_menu()
    sub = next(a.menu() for a in bar.menu.actions() if a.menu() is not None)
    assert sub.title() == "DFAT via IJS" and sub.actions()[2].isChecked()
    sub.actions()[0].trigger()  # none
    assert tab.settings.compare.proxies == {}


def test_the_choice_is_remembered_in_a_new_window(qtbot, services, market, view_state, tmp_path):
    tab = _tab(qtbot, services, ("DFAT", "AVUV"))
    tab.set_proxy("AVUV", "SLYV")
    tab.set_proxy("DFAT", "VBR")
    path = tmp_path / "settings.json"
    assert save_settings(path, services.settings)
    loaded, notice = load_settings(path)
    assert notice is None and loaded.compare.proxies == {"AVUV": "SLYV", "DFAT": "VBR"}
    again = _tab(qtbot, TabServices(market=market, settings=loaded, view_state=view_state, theme=services.theme))
    again.use_tickers(["DFAT", "AVUV"])
    again.ensure_current()
    assert {t: s.proxy for t, s in again.splices.items()} == {"DFAT": "VBR", "AVUV": "SLYV"}
    # common window: both extended, so it starts at SLYV's and VBR's common first close
    assert again.data.first < pd.Timestamp("2019-09-26")
    path.write_text(json.dumps({"compare": {"proxies": {"DFAT": "DFAT"}}}))
    bad, notice = load_settings(path)
    assert bad.compare.proxies == {} and "compare.proxies" in notice


def _export(capsys, data_dir, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), "export-chart", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv, code_wanted, words",
    [
        (["compare", "--tickers", "DFAT", "--proxy", "DFAT=NOPE"], 3, "--proxy DFAT=NOPE: no price data for NOPE"),
        (["compare", "--tickers", "DFAT", "--proxy", "DFAT=^TNX"], 2, "^TNX is a yield"),
        (["compare", "--tickers", "DFAT", "--proxy", "DFAT"], 2, "write it as FUND=PROXY"),
        (["compare", "--tickers", "DFAT", "--proxy", "SPY=VBR"], 2, "SPY is not one of the tickers"),
        (["dca", "--proxy", "DFAT=VBR"], 2, "the dca chart does not take --proxy"),
        (["rrg", "--proxy", "DFAT=VBR"], 2, "the rrg chart does not take --proxy"),
        (["tilt", "--tickers", "SPY=70,DFAT=30", "--proxy", "SPY=VBR"], 2, "SPY"),
    ],
)
def test_export_chart_proxy_refusals(data_dir, tmp_path, capsys, argv, code_wanted, words):
    out = tmp_path / "c.png"
    code, _, err = _export(capsys, data_dir, *argv, "--out", out)
    assert code == code_wanted and err.count("\n") == 1 and words in err and not out.exists()


def test_export_chart_shades_and_names_the_proxy(market, data_dir, tmp_path, capsys):
    out = tmp_path / "c.png"
    code, _, err = _export(
        capsys,
        data_dir,
        "compare",
        "--tickers",
        "DFAT,VBR",
        "--proxy",
        "DFAT=VBR",
        "--start",
        "2012-01-03",
        "--out",
        out,
    )
    assert code == 0, err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    req = ExportRequest(
        "compare", out, tickers=("DFAT", "VBR"), start=pd.Timestamp("2012-01-03"), proxies=(("DFAT", "VBR"),)
    )
    with RenderSession(market, data_dir / "no-settings.json", req) as session:
        chart = session.chart("compare")
        tab = session.tab("compare")
        [region] = tab.shading.items[chart]
        lo, hi = region.getRegion()
        assert (lo, hi) == tuple(unix_seconds(pd.DatetimeIndex(["2012-01-03", "2021-06-14"])))
        assert "shaded: DFAT before 2021-06-14: VBR's returns" in chart.source()


# -- the DCA Planner's backtest ---------------------------------------------------------------------------------


def test_dca_backtest_with_a_proxy_equals_the_command_line(qtbot, services, data_dir, tmp_path, capsys, monkeypatch):
    from rotation_desk.ui.tabs.dca.tab import DcaTab

    path = tmp_path / "plan.json"
    path.write_text(json.dumps(DFAT_PLAN))
    tab = DcaTab(services)
    qtbot.addWidget(tab)
    tab.resize(1400, 900)
    monkeypatch.setattr(tab, "ask", lambda *a: True)
    tab.open_path(path)
    tab.ensure_current()
    page = tab.backtest_page
    assert tab.outputs.backtest is None and "DFAT has no prices before 2021-06-14" in tab.outputs.backtest_error
    assert page.proxy_bar.isVisibleTo(page) and page.proxy_bar.button.text() == "Extend history"
    page.proxy_bar._fill_menu()
    sub = next(a.menu() for a in page.proxy_bar.menu.actions() if a.menu() is not None)
    assert sub.title() == "DFAT" and sub.actions()[1].text().startswith("VBR · correlation 0.98")
    sub.actions()[1].trigger()  # VBR
    assert services.settings.dca.proxies == {"DFAT": "VBR"}
    tab.ensure_current()
    result = tab.outputs.backtest
    capsys.readouterr()
    out = tmp_path / "b.json"
    argv = ["--offline", "--data-dir", str(data_dir), "dca", str(path), "--backtest", str(out), "--proxy", "DFAT=VBR"]
    assert main(argv) == 0
    cli = json.loads(out.read_text())
    assert result.start == pd.Timestamp(cli["start"]) == pd.Timestamp("2016-01-04")
    assert (result.invested, result.value, result.gain) == (cli["invested"], cli["value"], cli["gain"])
    assert result.xirr == pytest.approx(cli["xirr"], rel=1e-12)
    assert page.proxy_note.text() == "Extended by proxy: DFAT before 2021-06-14: VBR's returns · shaded in the chart"
    assert page.proxy_note.isVisibleTo(page)
    [region] = page.shading.items[page.chart]
    assert tuple(region.getRegion()) == tuple(unix_seconds(pd.DatetimeIndex(["2016-01-04", "2021-06-14"])))
    assert "shaded: DFAT before 2021-06-14: VBR's returns" in page.chart.source()
    tab.runner.wait(30000)
