"""Running the DCA tab's plan: the inputs gathered on the GUI thread, the outputs shown on the three pages.

The computation is ``compute.run`` (Qt-free, the same core calls as
``rotation-desk dca``) in the tab's one job; this module is the job's
``gather``, ``apply``, ``fail`` and ``busy`` and what the pages say while the
plan cannot run. The host (the tab) keeps the outputs on screen (``outputs``),
the job, and the data source line (``source_text``).
"""

from __future__ import annotations

from rotation_desk.ui.kit.proxy_choice import active, source_note, through, used
from rotation_desk.ui.tabs.dca.backtest_page import BacktestPage
from rotation_desk.ui.tabs.dca.compute import BENCHMARK, RunInputs, RunOutputs
from rotation_desk.ui.tabs.dca.plan_bar import PlanBar
from rotation_desk.ui.tabs.dca.projection_page import ProjectionPage
from rotation_desk.ui.tabs.dca.schedule_page import SchedulePage
from rotation_desk.ui.tabs.dca.validation import PlanCheck


class PlanRun:
    def __init__(
        self,
        host,
        check: PlanCheck,
        bar: PlanBar,
        schedule_page: SchedulePage,
        backtest_page: BacktestPage,
        projection_page: ProjectionPage,
    ):
        self.host = host
        self.check = check
        self.bar = bar
        self.schedule_page = schedule_page
        self.backtest_page = backtest_page
        self.projection_page = projection_page
        backtest_page.proxy_bar.chosen.connect(self.set_proxy)

    def set_proxy(self, fund: str, proxy: str) -> None:
        """The backtest extends ``fund`` before its first close with ``proxy``'s returns ("": none); remembered."""
        chosen = {k: v for k, v in self.host.settings.dca.proxies.items() if k != fund}
        self.host.settings.dca.proxies = {**chosen, fund: proxy} if proxy else chosen
        self.host.job.invalidate()

    @property
    def pages(self):
        return (self.schedule_page, self.backtest_page, self.projection_page)

    def gather(self) -> RunInputs | None:
        """On the GUI thread: the valid plan (None: the editor shows what to fix) and its closes."""
        plan = self.check.check()
        if plan is None:
            return None
        market = self.host.market
        names = list(dict.fromkeys(list(plan.tickers) + [BENCHMARK]))
        benchmark = BENCHMARK
        if BENCHMARK not in market.ticker_names():
            names, benchmark = list(plan.tickers), None
        # in more than one currency (the plan's funds and the benchmark): converted ("Show in USD") or refused
        closes = self.host.currency_bar.prepare(market, names, what="a plan across them", where="the plan").closes
        remembered = self.host.settings.dca.proxies
        self.backtest_page.proxy_bar.set_funds(plan.tickers, remembered)
        chosen = active(remembered, plan.tickers)  # the splice of `dca --backtest --proxy`
        spliced, splices = None, {}
        if chosen:
            prep = through(
                self.host.currency_bar.prepare, chosen, market=market, names=names, what="a plan across them",
                where="the plan",
            )  # fmt: skip
            spliced, splices = prep.closes, prep.splices
        start, end = self.backtest_page.overrides()
        return RunInputs(
            plan=plan,
            closes=closes,
            start=start,
            end=end,
            n_paths=self.projection_page.n_paths(),
            seed=self.projection_page.seed_value(),
            benchmark=benchmark,
            backtest_closes=spliced,
            splices=splices,
        )

    def busy(self, on: bool) -> None:
        if on:
            self.bar.set_state("Computing…", error=False)

    def show_invalid(self, text: str) -> None:
        self.host.job.cancel()  # drop any run in flight
        self.host.outputs = None
        for page in self.pages:
            page.show_message(text)
        self.bar.set_state("Plan has problems", error=True)

    def failed(self, message: str) -> None:
        self.host.outputs = None
        if self.host.currency_bar.refusal(message):  # said in full in the currency line above
            message = "Not computed: the plan's funds are in more than one currency (see above)."
        self.bar.set_state("Could not compute", error=True)
        for page in self.pages:
            page.show_message(message)

    def show(self, out: RunOutputs | None) -> None:
        if out is None:
            return  # the plan has problems: the check has said so
        if out.plan_error is not None:
            self.check.calendar_issues = list(out.plan_error.issues)
            self.check.check()
            return
        self.host.outputs = out
        plan = out.inputs.plan
        self.schedule_page.show_schedule(plan, out.schedule, out.summary, out.latest, out.latest_date)
        result = out.backtest
        if out.window is not None:
            end = out.window[1] if out.window[1] is not None else (result.end if result is not None else None)
            self.backtest_page.set_window(out.window[0], end)
        elif result is not None:
            self.backtest_page.set_window(result.start, result.end)
        if result is not None:
            default = out.inputs.start is None and out.inputs.end is None
            self.backtest_page.show_result(result, default, plan.start)
            shown = used(out.inputs.splices, {t: result.start for t in out.inputs.splices})
            self.backtest_page.show_proxies(shown, result.start)
            self.backtest_page.chart.set_source(self.host.source_text() + source_note(shown))
        else:
            self.backtest_page.show_message(f"No backtest: {out.backtest_error}")
            self.backtest_page.show_proxies({}, None)
        if out.projection is not None:
            self.projection_page.show_result(out.projection, plan.name)
            self.projection_page.chart.set_source(self.host.source_text())
        else:
            self.projection_page.show_message(f"No projection: {out.projection_error}")
        problems = [p for p in (out.backtest_error, out.projection_error) if p]
        self.bar.set_state(
            "Up to date" if not problems else "Up to date (see the pages for what could not run)", error=bool(problems)
        )
