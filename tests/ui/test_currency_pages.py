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
    "VWRL.L is in GBP, the others in USD: growth, drawdowns, correlation and beta side by side would mix "
    "currencies, so they are not shown. Tick “Show in USD” to convert through GBPUSD=X."
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
    assert mix_words({"USD": ["SPY"], "GBP": ["VWRL.L"]}) == "VWRL.L is in GBP, the others in USD"  # a tie: dollars
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
