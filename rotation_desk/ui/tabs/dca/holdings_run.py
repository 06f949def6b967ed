"""Running the Holdings page: the journal rows and closes gathered on the GUI thread, the standing computed
on the pool (``holdings_compute.compute_holdings``), the page filled with the newest result.

The page's job is the tab's (``Tab.add_job``): it recomputes when the page is
on screen after the plan, the journal or the prices changed, and the as-of day
is today (``ui.kit.clock``, as ``rotation-desk dca PLAN --next`` without ``--as-of``).
"""

from __future__ import annotations

import pandas as pd

from rotation_desk.ui.kit import clock
from rotation_desk.ui.kit.currency_bar import prepare_page
from rotation_desk.ui.tabs.dca.holdings_compute import HoldingsInputs, HoldingsOutputs, compute_holdings
from rotation_desk.ui.tabs.dca.holdings_page import HoldingsPage

INVALID = "The holdings appear here once the plan is valid: fix the marked fields."


HOLDINGS = "positions added up across them"


class HoldingsRun:
    def __init__(self, host, page: HoldingsPage):
        self.host = host
        self.page = page
        self.job = host.add_job("holdings", page, self.gather, compute_holdings, self.show, self.failed)

    def gather(self) -> HoldingsInputs | None:
        plan = self.host.valid_plan()
        if plan is None:
            return None
        market = self.host.market
        journal = market.journal
        name = journal.resolve_plan(plan.name)
        rows = journal.read(name).rows
        known = set(market.ticker_names())
        bought = [r.buy.ticker for r in rows if r.buy is not None]
        names = [t for t in dict.fromkeys(list(plan.tickers) + bought) if t in known]
        # positions in more than one currency add up only in one: converted ("Show in USD") or refused
        # (the plan's line above is the plan run's; this one says its own refusal on the page)
        in_usd = self.host.currency_bar.in_usd
        closes = prepare_page(market, names, in_usd, what=HOLDINGS)[0].closes if names else pd.DataFrame()
        return HoldingsInputs(plan, name, tuple(rows), closes, clock.today())

    def show(self, out: HoldingsOutputs | None) -> None:
        if out is None:
            self.page.show_message(INVALID)
            return
        self.page.show_outputs(out)
        self.page.chart.set_source(self.host.source_text())

    def failed(self, message: str) -> None:
        self.page.show_message(f"The holdings could not be computed: {message}", can_add=True)

    def show_invalid(self, text: str) -> None:
        self.job.cancel()
        self.page.show_message(INVALID)
