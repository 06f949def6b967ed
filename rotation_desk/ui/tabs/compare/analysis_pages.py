"""The ETF Comparison's analysis pages and their jobs: Factors, Monthly returns, Drawdowns and the
"Rolling vs benchmark" chart (wiring only: what they compute is in ``analysis`` and ``factor_compute``).

Each page has its own job over the comparison's window (``CompareTab.window_inputs``), run when the
page is on screen (else when it is next shown); the tab's range, benchmark, funds and window mode
invalidate them with the comparison. A page's own choices (model, returns, rolling span) rerun its
job only; choosing a fund on a page redraws it from the result it has.
"""

from __future__ import annotations

from dataclasses import replace

from rotation_desk.data.prepared import prepare
from rotation_desk.errors import BadInput
from rotation_desk.ui.tabs.compare import analysis
from rotation_desk.ui.tabs.compare.drawdowns_page import DrawdownsPage
from rotation_desk.ui.tabs.compare.factor_compute import FactorInputs, factor_job
from rotation_desk.ui.tabs.compare.factors_page import FactorsPage
from rotation_desk.ui.tabs.compare.monthly_page import MonthlyPage
from rotation_desk.ui.tabs.compare.relative_page import RelativeChart


class AnalysisPages:
    def __init__(self, tab):
        self.tab = tab
        theme, settings = tab.theme, tab.settings
        self.factors = FactorsPage(theme, settings)
        self.monthly = MonthlyPage(theme, settings)
        self.drawdowns = DrawdownsPage(theme, settings)
        self.relative = RelativeChart(theme, settings)

    def add_jobs(self) -> None:
        tab, f, m, d, r = self.tab, self.factors, self.monthly, self.drawdowns, self.relative
        self.factor_job = tab.add_job(
            "factor regression", f, self._factor_inputs, factor_job, self._factors_done, fail=f.show_problem
        )
        source = tab.source_text

        def shown(page, draw):
            """The job's result on ``page``; None (no funds) says how to add them."""
            return lambda v: draw(v) if v is not None else page.show_problem(tab.empty_text())

        self.grid_job, self.drawdown_job, self.relative_job = (
            tab.add_job(what, page, gather, compute, shown(page, draw), fail=page.show_problem)
            for what, page, gather, compute, draw in (
                ("monthly returns grid", m, tab.window_inputs, analysis.grid_job, m.show_view),
                ("worst drawdowns", d, tab.window_inputs, analysis.drawdown_job, lambda v: d.show_view(v, source())),
                (
                    "rolling correlation and beta",
                    r,
                    self._relative_inputs,
                    analysis.relative_job,
                    lambda v: r.show_view(v, source()),
                ),
            )
        )
        f.inputs_changed.connect(self.factor_job.invalidate)
        r.span_changed.connect(lambda _span: self.relative_job.invalidate())

    def _factor_inputs(self) -> FactorInputs | None:
        """The window inputs on closes checked as ``rotation-desk factors`` checks them (``data.prepared``):
        no yields, and US dollars (the factors are dollar returns)."""
        w = self.tab.window_inputs()
        if w is None:
            return None
        where = "a factor regression"
        prep = prepare(self.tab.market, w.names, prices_only=where, where=where)
        if prep.currency not in (None, "USD"):
            raise BadInput(
                f"{', '.join(prep.tickers)} in {prep.currency}: the Fama/French factors are US dollar returns"
            )
        w = replace(w, closes=prep.closes)
        f = self.factors
        return FactorInputs(w, f.model(), f.frequency(), f.span(), self.tab.market.paths)

    def _relative_inputs(self) -> tuple[analysis.WindowInputs, str] | None:
        w = self.tab.window_inputs()
        return None if w is None else (w, self.relative.span())

    def _factors_done(self, view) -> None:
        if view is None:
            self.factors.show_problem(self.tab.empty_text())
        else:
            self.factors.show_view(view, self.tab.name_of, self.tab.source_text())

    def apply_theme(self, theme) -> None:
        for page in (self.factors, self.monthly, self.drawdowns):
            page.apply_theme(theme)
