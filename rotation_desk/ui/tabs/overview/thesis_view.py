"""The thesis scorecard widget: each claim of the article with its proxies, window, figures,
verdict chip and note, next to the same check recomputed as of the last cached session.

The claims come from ``core.thesis.thesis_scorecard``, the function behind
``rotation-desk thesis``; figures are written as the command's table writes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from rotation_desk.core.thesis import (
    ARTICLE_DATE,
    NOT_CHECKABLE,
    NOT_SUPPORTED,
    SUPPORTED,
    Check,
    Claim,
    Figure,
    figure_text,
)
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.theme import LIGHT, Theme

VERDICTS = (SUPPORTED, NOT_SUPPORTED, NOT_CHECKABLE)


def figure_tip(f: Figure) -> str:
    if f.start is not None and f.end is not None:
        return f"{f.label}: {formats.date_range(f.start, f.end)} (last close on or before each date)"
    return ""


def chip_colours(verdict: str, theme: Theme) -> tuple[str, str]:
    """(background, text) of a verdict chip; the words are on the chip, so colour is never the only cue."""
    background = {SUPPORTED: theme.gain, NOT_SUPPORTED: theme.loss}.get(verdict, theme.muted)
    c = QColor(background)
    light = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue() > 150
    return background, ("#111111" if light else "#ffffff")


class VerdictChip(QLabel):
    def __init__(self, verdict: str, theme: Theme, parent: QWidget | None = None):
        super().__init__(verdict, parent)
        self.verdict = verdict
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        bg, fg = chip_colours(self.verdict, theme)
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border-radius: 8px; padding: 1px 9px; font-weight: bold; }}"
        )


class _CheckBlock(QWidget):
    """Verdict chip and window, the figures, the note."""

    def __init__(self, check: Check, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = check
        self.chip = VerdictChip(check.verdict, LIGHT)
        self.window = QLabel(check.window if check.window != "—" else "no window: not a price claim")
        self.window.setWordWrap(True)
        self.figures = QLabel(" · ".join(figure_text(f) for f in check.figures) or "no figures")
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tips = [t for t in (figure_tip(f) for f in check.figures) if t]
        self.figures.setToolTip("\n".join(tips))
        self.note = QLabel(check.note)
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QGridLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        top.setHorizontalSpacing(8)
        top.setVerticalSpacing(3)
        top.addWidget(self.chip, 0, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.window, 0, 1)
        top.addWidget(self.figures, 1, 0, 1, 2)
        top.addWidget(self.note, 2, 0, 1, 2)
        top.setColumnStretch(1, 1)

    def apply_theme(self, theme: Theme) -> None:
        self.chip.apply_theme(theme)
        self.window.setStyleSheet(f"color: {theme.muted};")
        self.figures.setStyleSheet(f"color: {theme.text}; font-weight: 600;")
        self.note.setStyleSheet(f"color: {theme.text};")


class ClaimCard(QFrame):
    def __init__(self, number: int, claim: Claim, as_of: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.claim = claim
        self.setObjectName("claimCard")
        self.quote = QLabel(f"{number}. “{claim.claim}”")
        self.quote.setWordWrap(True)
        font = self.quote.font()
        font.setBold(True)
        self.quote.setFont(font)
        self.proxies = QLabel(f"Proxies: {', '.join(claim.proxies)}")
        self.then_title = QLabel(f"WHEN THE ARTICLE WAS WRITTEN ({ARTICLE_DATE:%Y-%m-%d})")
        self.today_title = QLabel(f"AT THE LAST CLOSE · {as_of}")
        self.then = _CheckBlock(claim.check)
        self.today = _CheckBlock(claim.today)
        for title in (self.then_title, self.today_title):
            small = title.font()
            small.setPointSizeF(small.pointSizeF() * 0.85)
            small.setLetterSpacing(small.SpacingType.PercentageSpacing, 104)
            title.setFont(small)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.quote, 0, 0, 1, 2)
        grid.addWidget(self.proxies, 1, 0, 1, 2)
        grid.addWidget(self.then_title, 2, 0)
        grid.addWidget(self.today_title, 2, 1)
        grid.addWidget(self.then, 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.today, 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def apply_theme(self, theme: Theme) -> None:
        self.setStyleSheet(
            f"QFrame#claimCard {{ background: {theme.base}; border: 1px solid {theme.grid}; border-radius: 6px; }}"
        )
        self.proxies.setStyleSheet(f"color: {theme.muted};")
        for title in (self.then_title, self.today_title):
            title.setStyleSheet(f"color: {theme.muted};")
        self.then.apply_theme(theme)
        self.today.apply_theme(theme)


def summary_text(claims: Sequence[Claim]) -> str:
    def count(checks) -> str:
        n = Counter(c.verdict for c in checks)
        return ", ".join(f"{n[v]} {v}" for v in VERDICTS if n[v])

    return (
        f"{len(claims)} claims. When written: {count(c.check for c in claims)}. "
        f"At the last close: {count(c.today for c in claims)}."
    )


class ThesisView(QWidget):
    """A scrolling list of claim cards under a one-line summary."""

    def __init__(self, theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self.claims: list[Claim] = []
        self.cards: list[ClaimCard] = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.caption = QLabel(
            "The quantitative claims of the rotation article (2025-07-23), each checked with ETF proxies "
            "(adjusted closes, so dividends are included and index price returns run a little lower). "
            "“At the last close” recomputes the check at the newest cached close (its date and age are in the "
            "column title). "
            "Same figures as the command line: rotation-desk thesis."
        )
        self.caption.setWordWrap(True)
        self.message = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.message.hide()
        self.body = QWidget()
        self.body.setObjectName("thesisBody")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 6, 0)
        self.body_layout.setSpacing(8)
        self.body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.body)
        column(self, [self.summary, self.caption, self.message, (self.scroll, 1)], (8, 8, 8, 4))
        self.apply_theme(theme)

    def set_claims(self, claims: Sequence[Claim]) -> None:
        self.claims = list(claims)
        for card in self.cards:
            self.body_layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        ends = [c.today.end for c in claims if c.today.end is not None]
        as_of = formats.dated_close(max(ends)) if ends else "the last cached session"
        for i, claim in enumerate(claims, 1):
            card = ClaimCard(i, claim, as_of)
            card.apply_theme(self.theme)
            self.body_layout.insertWidget(self.body_layout.count() - 1, card)
            self.cards.append(card)
        self.summary.setText(summary_text(claims))
        self.message.hide()
        self.scroll.show()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.scroll.hide()
        self.summary.setText("")

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.caption.setStyleSheet(f"color: {theme.muted};")
        self.message.setStyleSheet(f"color: {theme.muted}; font-size: 12pt;")
        self.body.setStyleSheet(f"QWidget#thesisBody {{ background: {theme.window}; }}")
        for card in self.cards:
            card.apply_theme(theme)
