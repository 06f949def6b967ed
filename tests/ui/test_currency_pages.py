"""Issue 14, currencies in the tabs: a London listing in pence (VWRL.L, GBp) beside dollar funds is never mixed
silently. The pages say which ticker is in which currency in one line with a "Show in USD" box (one
remembered setting); on, the figures are those of the command line's ``--in USD``; off, the figures across
currencies are refused in that line. Tables tag the ticker cells of rows not in dollars ("VWRL.L · GBP").

The store holds VWRL.L and GBPUSD=X as a refresh writes them from the recorded (synthetic, labelled) Yahoo
answers (tests/fixtures/yahoo), through real yfinance at its HTTP layer (tests/yahoo_replay.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from yahoo_replay import FIXTURES, YahooReplay, load_chart_file
from yahoo_synthetic import file_name

from rotation_desk.cli.main import main
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.ui.kit.currency_bar import IN_USD, mix_words
from rotation_desk.ui.kit.theme import LIGHT
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.state.view_state import ViewState
from rotation_desk.ui.tables.columns import Column
from rotation_desk.ui.tables.model import DataFrameModel
from rotation_desk.ui.tables.table import RAW_ROLE
from rotation_desk.ui.tabs.base import TabServices
from rotation_desk.ui.tabs.compare.tab import CompareTab

pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")

FUNDS = ["VWRL.L", "VBR"]
REFUSAL = (
    "VWRL.L is in GBP, the others in USD: not computed, as growth, drawdowns, correlation and beta side by side "
    "would mix currencies. Tick “Show in USD” to convert through GBPUSD=X."
)


@pytest.fixture
def foreign_dir(data_dir, monkeypatch, tmp_path):
    """The seeded store plus VWRL.L and GBPUSD=X, refreshed from the recorded answers (then offline)."""
    replay = YahooReplay([load_chart_file(FIXTURES / file_name(t)) for t in ("VWRL.L", "GBPUSD=X")])
    replay.install(monkeypatch, tmp_path / "yf-cache")
    live = MarketData(resolve_paths(data_dir), offline=False)
    report = live.refresh(["VWRL.L", "GBPUSD=X"], now=lambda: datetime(2026, 8, 4, 12, tzinfo=UTC))
    assert {o.status for o in report.outcomes} == {"ok"}
    live.store.close()
    return data_dir


@pytest.fixture
def fx_market(foreign_dir):
    m = MarketData(resolve_paths(foreign_dir), offline=True)
    yield m
    m.store.close()


@pytest.fixture
def fx_services(qapp, fx_market):
    settings = Settings()
    settings.compare.tickers = list(FUNDS)
    return TabServices(market=fx_market, settings=settings, view_state=ViewState("5Y", "SPY"), theme=LIGHT)


def _tab(qtbot, services) -> CompareTab:
    tab = CompareTab(services)
    qtbot.addWidget(tab)
    tab.resize(1300, 850)
    tab.ensure_current()
    return tab


def _row(tab, ticker):
    table = tab.table
    r = table.raw_column("ticker").index(ticker)
    row = {c.key: table.proxy.index(r, j).data(RAW_ROLE) for j, c in enumerate(table.source_model.columns())}
    frame = table.source_model.frame()
    row["currency"] = frame.loc[frame["ticker"] == ticker, "currency"].iloc[0]
    return row


def _cli(data_dir, capsys, *args):
    capsys.readouterr()
    assert main(["--offline", "--data-dir", str(data_dir), *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_line_names_the_currencies():
    assert mix_words({"GBP": ["VWRL.L"], "USD": ["VBR", "SPY"]}) == "VWRL.L is in GBP, the others in USD"
    assert mix_words({"USD": ["SPY"], "GBP": ["VWRL.L"]}) == "VWRL.L is in GBP, SPY in USD"  # a tie: dollars
    assert mix_words({"GBP": ["VWRL.L", "ISF.L"]}) == "VWRL.L, ISF.L are in GBP"
    assert (
        mix_words({"USD": ["SPY", "VBR"], "GBP": ["VWRL.L"], "EUR": ["EXS1.DE"]})
        == "VWRL.L is in GBP, EXS1.DE is in EUR, the others in USD"
    )


def test_comparison_across_currencies_is_refused_in_one_line(qtbot, fx_services):
    tab = _tab(qtbot, fx_services)
    bar = tab.currency_bar
    assert not bar.isHidden() and bar.box.text() == IN_USD and not bar.box.isChecked()
    assert bar.label.text() == REFUSAL
    assert tab.data is None and tab.table.model().rowCount() == 0  # nothing computed on mixed currencies
    assert "more than one currency" in tab.window_label.text()


def test_show_in_usd_equals_metrics_in_usd(qtbot, fx_services, foreign_dir, capsys):
    tab = _tab(qtbot, fx_services)
    tab.currency_bar.box.setChecked(True)  # the user ticks "Show in USD"
    assert fx_services.settings.in_usd
    tab.ensure_current()
    assert tab.data is not None
    assert tab.currency_bar.label.text() == (
        "VWRL.L is in GBP, the others in USD: shown in USD, converted through GBPUSD=X"
    )
    start, end = tab.data.first, tab.data.last
    cli = _cli(
        foreign_dir, capsys, "metrics", *FUNDS, "--benchmark", "SPY", "--in", "USD",
        "--start", f"{start:%Y-%m-%d}", "--end", f"{end:%Y-%m-%d}",
    )  # fmt: skip
    for item in cli:
        row = _row(tab, item["ticker"])
        for key in ("total_return", "cagr", "volatility", "sharpe", "max_drawdown", "beta", "correlation"):
            assert row[key] == pytest.approx(item[key], rel=1e-12, abs=1e-15), (item["ticker"], key)
        assert row["currency"] == item["currency"] == "USD"
    assert tab.table.displayed_rows()[0][0] == "VWRL.L"  # in dollars now: no tag
    # unticked: refused again
    tab.currency_bar.box.setChecked(False)
    tab.ensure_current()
    assert tab.data is None and tab.currency_bar.label.text() == REFUSAL


def test_one_foreign_fund_alone_is_shown_in_its_currency(qtbot, fx_services):
    fx_services.view_state.set_benchmark("VWRL.L")  # no dollar ticker on the page
    fx_services.settings.compare.tickers = ["VWRL.L"]
    tab = _tab(qtbot, fx_services)
    assert tab.data is not None
    assert tab.currency_bar.label.text() == "VWRL.L is in GBP: the figures are in GBP"
    assert _row(tab, "VWRL.L")["currency"] == "GBP"
    assert tab.table.displayed_rows()[0][0] == "VWRL.L · GBP"


def test_a_table_tags_tickers_not_in_dollars(qapp):
    model = DataFrameModel()
    frame = pd.DataFrame({"ticker": ["VWRL.L", "SPY", "^TNX"], "last": [8123.0, 500.0, 4.1]})
    frame["currency"] = ["GBp", "USD", None]
    model.set_frame(frame, [Column("ticker", "Ticker"), Column("last", "Last", kind="number")])
    shown = [model.index(r, 0).data() for r in range(3)]
    assert shown == ["VWRL.L · GBp", "SPY", "^TNX"]
    assert model.index(0, 0).data(RAW_ROLE) == "VWRL.L"  # the raw value (double-click, CSV) stays the ticker


# -- the other pages ---------------------------------------------------------------------------------------
def test_watchlist_keeps_own_currency_returns_and_leaves_the_foreign_fund_out_of_the_chart(qtbot, fx_services):
    from rotation_desk.ui.tabs.overview.tab import OverviewTab

    fx_services.settings.overview.watchlist = ["SPY", "VWRL.L", "VBR"]
    fx_services.settings.overview.pairs = ["VWRL.L/SPY", "IWM/SPY"]
    tab = OverviewTab(fx_services)
    qtbot.addWidget(tab)
    tab.resize(1300, 850)
    tab.ensure_current()
    bar = tab.currency_bar
    assert bar.label.text() == (
        "VWRL.L is in GBP, the others in USD: the chart leaves VWRL.L out, as growth side by side would mix "
        "currencies; the table gives each one's returns in its own currency. Tick “Show in USD” to convert "
        "through GBPUSD=X."
    )
    assert [r[0] for r in tab.table.displayed_rows()] == ["SPY", "VWRL.L · GBP", "VBR"]
    assert "VWRL.L" not in tab.chart.series_names() and "VBR" in tab.chart.series_names()
    gbp = tab.table.raw_column("1Y")[1]
    mixed, fine = tab.result.pairs
    assert mixed.lines is None and mixed.problem == "VWRL.L is in GBP, SPY in USD (tick “Show in USD” to convert)"
    assert fine.lines is not None
    assert tab.pairs_bar.label.text() == (
        "VWRL.L/SPY: VWRL.L is in GBP, SPY in USD — a ratio across currencies would mix them, so it is not drawn. "
        "Tick “Show in USD” to convert."
    )
    bar.box.setChecked(True)
    tab.ensure_current()
    assert [r[0] for r in tab.table.displayed_rows()] == ["SPY", "VWRL.L", "VBR"]
    assert "VWRL.L" in tab.chart.series_names()
    assert tab.table.raw_column("1Y")[1] != gbp  # in dollars: the pound's move is in it
    assert tab.result.pairs[0].lines is not None  # the pair's ratio in dollars


def test_tilt_across_currencies_is_refused_then_equals_tilt_in_usd(qtbot, fx_services, foreign_dir, capsys):
    from rotation_desk.ui.tabs.sectors.tab import SectorsTab

    tab = SectorsTab(fx_services)
    qtbot.addWidget(tab)
    tab.resize(1400, 860)
    tab.select_view("tilt")
    tab.editor.set_weights({"SPY": 70, "VWRL.L": 30})
    tab.editor.set_custom_window("2025-03-03", "2026-07-31")
    tab.run_tilt()
    bar = tab.tilt_page.currency_bar
    assert tab.tilt_result is None
    assert bar.label.text().startswith(
        "VWRL.L is in GBP, SPY in USD: not computed, as a tilt across them would mix currencies."
    )
    bar.box.setChecked(True)
    tab.run_tilt()
    capsys.readouterr()
    code = main(["--offline", "--data-dir", str(foreign_dir), "tilt", "--weights", "SPY=70,VWRL.L=30", "--start",
                 "2025-03-03", "--end", "2026-07-31", "--in", "USD", "--format", "json"])  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    r = tab.tilt_result
    assert r is not None and f"{r.start:%Y-%m-%d}" == report["start"]
    assert r.tracking_error == pytest.approx(report["tracking_error"], abs=1e-12)
    tab.timeline.stop()
    tab.wait_idle()


def test_dca_plan_across_currencies_is_refused_until_shown_in_usd(qtbot, fx_services, monkeypatch):
    from rotation_desk.ui.tabs.dca.tab import DcaTab

    fx_services.settings.dca.allocation = {"VBR": 60.0, "VWRL.L": 40.0}
    tab = DcaTab(fx_services)
    qtbot.addWidget(tab)
    monkeypatch.setattr(tab, "ask", lambda *a: True)
    tab.resize(1400, 900)
    tab.ensure_current()
    qtbot.waitUntil(tab.is_idle, timeout=30000)
    assert tab.outputs is None
    assert tab.currency_bar.label.text().startswith(
        "VWRL.L is in GBP, the others in USD: not computed, as a plan across them would mix currencies."
    )
    tab.currency_bar.box.setChecked(True)
    tab.ensure_current()
    qtbot.waitUntil(lambda: tab.is_idle() and tab.outputs is not None, timeout=30000)
    assert tab.currency_bar.label.text().endswith("shown in USD, converted through GBPUSD=X")
    tab.runner.wait(30000)


def test_show_in_usd_is_remembered_by_a_new_window(qtbot, foreign_dir):
    from rotation_desk.ui.app.start import build_window

    paths = resolve_paths(foreign_dir).ensure()
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(json.dumps({"version": 2, "compare": {"tickers": FUNDS}}))
    w = build_window(paths, offline=True)
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentIndex(1)
    compare = w.current_tab()
    compare.wait_idle()
    assert compare.currency_bar.isVisible() and not compare.currency_bar.box.isChecked()
    compare.currency_bar.box.setChecked(True)
    compare.wait_idle()
    w.close()
    w.market.store.close()
    assert json.loads(paths.settings_file.read_text())["in_usd"] is True
    w2 = build_window(paths, offline=True)
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitExposed(w2)
    again = w2.current_tab()
    assert isinstance(again, CompareTab) and again.currency_bar.box.isChecked()
    qtbot.waitUntil(lambda: again.data is not None, timeout=20000)  # computed in dollars, not refused
    assert again.currency_bar.label.text().endswith("shown in USD, converted through GBPUSD=X")
    w2.persist = False
    w2.close()
    w2.market.store.close()


def test_rotation_graph_across_currencies_is_refused_until_shown_in_usd(qtbot, fx_services):
    from rotation_desk.ui.tabs.sectors.tab import SectorsTab

    fx_services.settings.sectors.tickers = ["XLK", "VWRL.L"]
    tab = SectorsTab(fx_services)
    qtbot.addWidget(tab)
    tab.resize(1400, 860)
    tab.ensure_current()
    bar = tab.rotation_page.currency_bar
    assert tab.data is None and bar.label.text().startswith(
        "VWRL.L is in GBP, the others in USD: not computed, as relative strength against the benchmark would mix"
    )
    bar.box.setChecked(True)
    tab.ensure_current()
    assert tab.data is not None and "VWRL.L" in tab.data.names
    tab.timeline.stop()
    tab.wait_idle()


def test_pair_strategy_across_currencies_is_refused_until_shown_in_usd(qtbot, fx_services):
    from rotation_desk.ui.tabs.sectors.tab import SectorsTab

    fx_services.settings.sectors.strategy_pair = "VWRL.L/SPY"
    tab = SectorsTab(fx_services)
    qtbot.addWidget(tab)
    tab.resize(1400, 860)
    page = tab.strategy_page
    tab.pages.setCurrentWidget(page)
    page.job.ensure_current()
    assert page.result is None and page.currency_bar.label.text().startswith(
        "VWRL.L is in GBP, SPY in USD: not computed, as a rule across them would mix currencies."
    )
    assert page.caption.text() == "Not run: the tickers are in more than one currency (see above)"
    page.currency_bar.box.setChecked(True)
    page.job.ensure_current()
    assert page.result is not None
    tab.timeline.stop()
    tab.wait_idle()


def test_a_tagged_table_exports_its_currency_column(qtbot):
    from rotation_desk.ui.tables.table import DataTable

    table = DataTable("test.currency")
    qtbot.addWidget(table)
    frame = pd.DataFrame({"ticker": ["VWRL.L", "SPY"], "r": [0.1, 0.2], "currency": ["GBP", "USD"]})
    table.set_frame(frame, [Column("ticker", "Ticker"), Column("r", "1Y", kind="percent")])
    assert table.csv().splitlines() == ["Ticker,1Y (%),Currency", "VWRL.L,10.0,GBP", "SPY,20.0,USD"]
