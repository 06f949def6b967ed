"""Issue 14, longer history by proxy in the Sector Tilts tab's tilt backtest: the figures equal `tilt --proxy`,
the choice is remembered, the proxied span is shaded, the holding marked, the page says it."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from rotation_desk.cli.main import main
from rotation_desk.ui.charts.panel import unix_seconds
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit import theme as themes
from rotation_desk.ui.state.settings import load_settings, save_settings
from rotation_desk.ui.tables.table import RAW_ROLE
from rotation_desk.ui.tabs.base import TabServices
from rotation_desk.ui.tabs.sectors.tab import SectorsTab

WEIGHTS = {"SPY": 70.0, "DFAT": 30.0}
START, END = "2016-01-01", "2023-12-29"  # before DFAT's first close (2021-06-14): bought at the close of 2015-12-31
NOTE = "Extended by proxy: DFAT before 2021-06-14: VBR's returns · shaded in the charts, marked ᵖ in the table"


def _tab(qtbot, services) -> SectorsTab:
    tab = SectorsTab(services)
    qtbot.addWidget(tab)
    tab.resize(1400, 860)
    tab.select_view("tilt")
    tab.editor.set_weights(WEIGHTS)
    tab.editor.set_custom_window(START, END)
    return tab


def _proxied(qtbot, services) -> SectorsTab:
    tab = _tab(qtbot, services)
    tab.tilt_page.set_proxy("DFAT", "VBR")
    tab.run_tilt()
    return tab


def _cli(data_dir, capsys, *extra) -> dict:
    capsys.readouterr()
    argv = ["--offline", "--data-dir", str(data_dir), "tilt", "--weights", "SPY=70,DFAT=30", "--start", START]
    assert main([*argv, "--end", END, *extra, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _cell(table, ticker: str, key: str, role):
    r = table.raw_column("ticker").index(ticker)
    return table.proxy.index(r, table.column_index(key)).data(role)


def test_the_tilt_figures_equal_the_command_with_the_proxy(qtbot, services, data_dir, capsys):
    tab = _proxied(qtbot, services)
    report = _cli(data_dir, capsys, "--proxy", "DFAT=VBR")
    r = tab.tilt_result
    assert (f"{r.start:%Y-%m-%d}", f"{r.end:%Y-%m-%d}") == (report["start"], report["end"]) == ("2015-12-31", END)
    p = report["portfolio"]
    assert r.portfolio_stats.total_return == pytest.approx(p["total_return"], rel=1e-12)
    assert r.portfolio_stats.cagr == pytest.approx(p["cagr"], rel=1e-12)
    assert r.tracking_error == pytest.approx(report["tracking_error"], rel=1e-12)
    cards = {k: c.value.text() for k, c in tab.cards.items()}
    assert cards["cagr"] == formats.pct(p["cagr"], 2)
    assert cards["tracking_error"] == formats.pct(report["tracking_error"], 2, False)
    assert cards["active_return"] == formats.pct(report["active_return"], 1)
    _, y = tab.growth.series_data("Tilted portfolio")
    assert y[-1] == pytest.approx(p["final_value"], rel=1e-12)
    for h in report["holdings"]:
        assert _cell(tab.contrib_table, h["ticker"], "contribution", RAW_ROLE) == pytest.approx(h["contribution"])
    assert report["proxies"]["DFAT"]["ticker"] == "VBR" and report["proxies"]["DFAT"]["until"] == "2021-06-14"
    # without the proxy the window starts at DFAT's first close, on the page as on the command line
    tab.tilt_page.set_proxy("DFAT", "")
    tab.run_tilt()
    plain = _cli(data_dir, capsys)
    assert f"{tab.tilt_result.start:%Y-%m-%d}" == plain["start"] == "2021-06-14"
    assert tab.tilt_page.proxy_note.isHidden() and tab.tilt_page.shading.items[tab.growth] == []


def test_note_mark_and_shading_over_the_proxied_span(qtbot, services):
    tab = _proxied(qtbot, services)
    page = tab.tilt_page
    assert page.proxy_note.text() == NOTE and not page.proxy_note.isHidden()
    assert page.proxy_bar.button.text() == "Extend history (1)"
    display = Qt.ItemDataRole.DisplayRole
    assert _cell(tab.contrib_table, "DFAT", "ticker", display) == "DFAT ᵖ"
    assert _cell(tab.contrib_table, "SPY", "ticker", display) == "SPY"
    tip = _cell(tab.contrib_table, "DFAT", "ticker", Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("DFAT before 2021-06-14: VBR's returns (from ")
    assert "shaded: DFAT before 2021-06-14: VBR's returns" in tab.growth.source()
    expected = tuple(unix_seconds(pd.DatetimeIndex(["2015-12-31", "2021-06-14"])))
    for panel in (tab.growth, tab.active_chart):
        [region] = page.shading.items[panel]
        assert region in panel.plot_item.items
        assert tuple(region.getRegion()) == pytest.approx(expected)
    tab.theme_changed(themes.resolve("light" if services.theme.dark else "dark"))  # shaded again, in the new theme
    for panel in (tab.growth, tab.active_chart):
        [region] = page.shading.items[panel]
        assert region in panel.plot_item.items and tuple(region.getRegion()) == pytest.approx(expected)
    # a window inside DFAT's own history uses no proxy: nothing shaded, marked or said
    tab.editor.set_custom_window("2022-01-03", END)
    tab.run_tilt()
    assert page.tilt_splices == {} and page.shading.items[tab.growth] == [] and page.proxy_note.isHidden()
    assert _cell(tab.contrib_table, "DFAT", "ticker", display) == "DFAT"


def test_the_side_by_side_view_takes_the_proxy(qtbot, services, data_dir, capsys):
    tab = _proxied(qtbot, services)
    page = tab.tilt_page
    page.show_view(page.side)
    assert page.side.pin({"SPY": 80.0, "DFAT": 20.0})
    tab.ensure_current()
    c = page.side.comparison
    assert c is not None and f"{c.start:%Y-%m-%d}" == "2015-12-31"
    capsys.readouterr()
    argv = ["--offline", "--data-dir", str(data_dir), "tilt", "--weights", "SPY=70,DFAT=30"]
    argv += ["--weights", "SPY=80,DFAT=20", "--proxy", "DFAT=VBR", "--start", START, "--end", END]
    assert main([*argv, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    for result, cli in zip(c.results, report["portfolios"]):
        assert result.portfolio_stats.cagr == pytest.approx(cli["portfolio"]["cagr"], rel=1e-12)
        assert result.tracking_error == pytest.approx(cli["tracking_error"], rel=1e-12)
    assert page.side.proxy_note.text().startswith("Extended by proxy: DFAT before 2021-06-14: VBR's returns")
    [region] = page.side_shading.items[page.side.growth]
    assert tuple(region.getRegion()) == pytest.approx(
        tuple(unix_seconds(pd.DatetimeIndex(["2015-12-31", "2021-06-14"])))
    )


def test_menu_offers_the_holdings_suggestions(qtbot, services):
    tab = _tab(qtbot, services)
    bar = tab.tilt_page.proxy_bar
    assert bar.button.isVisibleTo(tab.tilt_page) and bar.button.text() == "Extend history"
    bar._fill_menu()
    subs = [a.menu() for a in bar.menu.actions() if a.menu() is not None]
    assert [s.title() for s in subs] == ["DFAT"]  # SPY ships no suggestion
    assert subs[0].actions()[1].text().startswith("VBR · correlation 0.98")
    subs[0].actions()[1].trigger()
    assert services.settings.sectors.proxies == {"DFAT": "VBR"}


def test_the_choice_survives_a_settings_round_trip(qtbot, services, market, view_state, tmp_path):
    tab = _tab(qtbot, services)
    tab.tilt_page.set_proxy("DFAT", "VBR")
    path = tmp_path / "settings.json"
    assert save_settings(path, services.settings)
    loaded, notice = load_settings(path)
    assert notice is None and loaded.sectors.proxies == {"DFAT": "VBR"}
    again = SectorsTab(TabServices(market=market, settings=loaded, view_state=view_state, theme=services.theme))
    qtbot.addWidget(again)
    again.select_view("tilt")
    again.editor.set_custom_window(START, END)
    again.run_tilt()
    assert {t: s.proxy for t, s in again.tilt_page.tilt_splices.items()} == {"DFAT": "VBR"}
    assert again.tilt_page.proxy_note.text() == NOTE
    path.write_text(json.dumps({"sectors": {"proxies": {"DFAT": "DFAT"}}}))
    bad, notice = load_settings(path)
    assert bad.sectors.proxies == {} and "sectors.proxies" in notice


def test_export_chart_tilt_takes_the_proxy_shades_and_names_it(market, data_dir, tmp_path, capsys):
    """``export-chart tilt --proxy`` draws the tilt of ``tilt --proxy``: the same window and growth, the
    proxied span shaded and named in the source line; the remembered choice plays no part."""
    from rotation_desk.ui.app.render import ExportRequest, RenderSession

    out = tmp_path / "tilt.png"
    argv = ["--offline", "--data-dir", str(data_dir), "export-chart", "tilt", "--tickers", "SPY=70,DFAT=30"]
    argv += ["--proxy", "DFAT=VBR", "--start", START, "--end", END, "--out", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    cli = _cli(data_dir, capsys, "--proxy", "DFAT=VBR")
    req = ExportRequest(
        "tilt",
        out,
        tickers=("SPY=70", "DFAT=30"),
        start=pd.Timestamp(START),
        end=pd.Timestamp(END),
        proxies=(("DFAT", "VBR"),),
    )
    with RenderSession(market, data_dir / "no-settings.json", req) as session:
        chart = session.chart("tilt")
        tab = session.tab("tilt")
        [region] = tab.tilt_page.shading.items[chart]
        expected = tuple(unix_seconds(pd.DatetimeIndex(["2015-12-31", "2021-06-14"])))
        assert tuple(region.getRegion()) == pytest.approx(expected)
        assert "shaded: DFAT before 2021-06-14: VBR's returns" in chart.source()
        assert tab.tilt_page.tilt_splices["DFAT"].until == pd.Timestamp("2021-06-14")
        _, y = chart.series_data("Tilted portfolio")
        assert y[-1] == pytest.approx(cli["portfolio"]["final_value"], rel=1e-12)
        assert f"{tab.tilt_result.start:%Y-%m-%d}" == cli["start"] == "2015-12-31"
