"""Contrast of both themes (WCAG 2.1 AA) and the series palette, from the colours the app applies.

Text must reach 4.5:1 on its background, control states 3:1 (WCAG 2.1 success criteria 1.4.3 and
1.4.11). The colours are those of ui/kit/theme.py as applied: the Qt palette and the application style
sheet set by ``apply_to_app``; a rendered widget of each control state shows the style takes effect.
Series colours: twelve per theme, every pair (and the benchmark) apart under normal vision and under
simulated protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1),
measured as CIE76 distance in CIELAB, each at 3:1 against the plot background.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLineEdit, QSlider, QTabBar, QToolBar, QToolButton

from rotation_desk.ui.charts.axes import growth_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit.theme import (
    DARK,
    LIGHT,
    apply_to_app,
    button_colour,
    contrast_ratio,
    qt_palette,
    style_sheet,
)
from rotation_desk.ui.kit.widgets import ProblemLabel, StatCard

THEMES = [LIGHT, DARK]
TEXT, STATE = 4.5, 3.0


@pytest.fixture
def themed(qapp):
    """Apply a theme to the application for one test, then put the application back as it was."""
    style, palette, sheet = qapp.style().name(), QPalette(qapp.palette()), qapp.styleSheet()

    def use(theme):
        apply_to_app(qapp, theme)
        return qapp

    yield use
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)


def test_contrast_ratio_by_hand():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.478, abs=0.001)  # WCAG's grey on white
    assert contrast_ratio("#0072B2", "#0072B2") == pytest.approx(1.0)


# ---------------------------------------------------------------- text
@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_text_reaches_4_5_to_1(theme):
    pal = qt_palette(theme)

    def role(r):
        return pal.color(QPalette.ColorGroup.Active, r).name()

    backgrounds = {"window": theme.window, "base": theme.base, "alternate rows": theme.alt_base}
    pairs = {}
    for fg in ("text", "muted", "gain", "loss"):  # labels, tables, stat cards, signed figures, errors
        for where, bg in backgrounds.items():
            pairs[f"{fg} on {where}"] = (getattr(theme, fg), bg)
    pairs["link on window"] = (role(QPalette.ColorRole.Link), theme.window)
    pairs["link on base"] = (role(QPalette.ColorRole.Link), theme.base)
    pairs["placeholder on base"] = (role(QPalette.ColorRole.PlaceholderText), role(QPalette.ColorRole.Base))
    pairs["tooltip"] = (role(QPalette.ColorRole.ToolTipText), role(QPalette.ColorRole.ToolTipBase))
    pairs["selected row"] = (role(QPalette.ColorRole.HighlightedText), role(QPalette.ColorRole.Highlight))
    pairs["checked toolbar button"] = (theme.on_accent, theme.accent)
    for sign, word in ((1.0, "gain"), (-1.0, "loss")):  # the strongest heat a cell can have
        pairs[f"table text on the strongest {word} heat"] = (
            role(QPalette.ColorRole.Text),
            theme.heat_colour(sign, 1.0).name(),
        )
    low = {k: round(contrast_ratio(*v), 2) for k, v in pairs.items() if contrast_ratio(*v) < TEXT}
    assert not low, f"{theme.name}: text under {TEXT}:1: {low}"


def test_stat_card_figures_follow_the_theme(qtbot):
    card = StatCard("XIRR", LIGHT)
    qtbot.addWidget(card)
    card.set_value("+13.54 %", 0.1354)
    assert card.figure_colour() == LIGHT.gain and LIGHT.gain in card.value.styleSheet()
    card.apply_theme(DARK)  # the dark figures no longer keep the light theme's blue
    assert card.figure_colour() == DARK.gain and DARK.gain in card.value.styleSheet()
    assert contrast_ratio(card.figure_colour(), DARK.window) >= TEXT
    card.set_value("-20.3 %", -0.203)
    assert card.figure_colour() == DARK.loss and contrast_ratio(DARK.loss, DARK.window) >= TEXT
    card.set_value("$31,000.00")
    assert card.figure_colour() == DARK.text


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_dialog_problem_line_follows_the_theme(qtbot, themed, theme):
    themed(theme)
    label = ProblemLabel()
    qtbot.addWidget(label)
    label.say("The end date must be after the start date.")
    assert label.styleSheet() == f"color: {theme.loss.lower()};"
    assert contrast_ratio(theme.loss, theme.window) >= TEXT


# ---------------------------------------------------------------- control states
def _fusion_focus_colour(palette: QPalette) -> str:
    """The focus frame Fusion draws around line edits, spin and combo boxes, buttons and check boxes
    (QFusionStylePrivate::highlightedOutline: the highlight 25 % darker; over value 160, its hue and
    saturation at HSL lightness 160)."""
    colour = palette.color(QPalette.ColorRole.Highlight).darker(125)
    if colour.value() > 160:
        colour.setHsl(colour.hue(), colour.saturation(), 160)
    return colour.name()


def _pixel(widget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def _near(colour: QColor, expected: str, tolerance: int = 10) -> bool:
    e = QColor(expected)
    return max(abs(colour.red() - e.red()), abs(colour.green() - e.green()), abs(colour.blue() - e.blue())) <= tolerance


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_control_states_reach_3_to_1(qtbot, themed, theme):
    app = themed(theme)
    assert app.styleSheet() == style_sheet(theme)  # what is applied is what is measured here
    focus = _fusion_focus_colour(app.palette())
    pairs = {
        "selected tab bar on the selected tab": (theme.accent, theme.window),
        "selected tab bar on the other tabs": (theme.accent, button_colour(theme)),
        "checked range preset on the toolbar": (theme.accent, theme.window),
        "slider track": (theme.track, theme.window),
        "slider filled part and handle rim": (theme.accent, theme.window),
        "slider handle on its filled part": (theme.base, theme.accent),
        "focus frame on the window": (focus, theme.window),
        "focus frame on a field": (focus, theme.base),
    }
    low = {k: round(contrast_ratio(*v), 2) for k, v in pairs.items() if contrast_ratio(*v) < STATE}
    assert not low, f"{theme.name}: control states under {STATE}:1: {low}"

    bar = QTabBar()
    bar.addTab("Market Overview")
    bar.addTab("ETF Comparison")
    bar.setCurrentIndex(0)
    qtbot.addWidget(bar)
    bar.show()
    rect = bar.tabRect(0)
    assert _near(_pixel(bar, rect.center().x(), rect.top() + 1), theme.accent)

    toolbar = QToolBar()
    qtbot.addWidget(toolbar)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    action = toolbar.addAction("5Y")
    action.setCheckable(True)
    action.setChecked(True)
    toolbar.show()
    button = toolbar.widgetForAction(action)
    assert isinstance(button, QToolButton)
    assert _near(_pixel(button, 3, button.height() // 2), theme.accent)

    slider = QSlider(Qt.Orientation.Horizontal)
    qtbot.addWidget(slider)
    slider.setRange(0, 100)
    slider.setValue(20)
    slider.resize(300, 30)
    slider.show()
    image = slider.grab().toImage()
    middle = image.height() // 2
    assert _near(image.pixelColor(250, middle), theme.track)  # the groove right of the handle
    assert _near(image.pixelColor(20, middle), theme.accent)  # the part already passed

    edit = QLineEdit("VBR")
    qtbot.addWidget(edit)
    edit.resize(200, 28)
    edit.show()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    assert _near(_pixel(edit, 100, 0), focus, tolerance=14)


# ---------------------------------------------------------------- series colours
MACHADO_2009 = {  # severity 1.0, applied to linear RGB
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _linear(colour: str) -> np.ndarray:
    c = QColor(colour)
    v = np.array([c.red(), c.green(), c.blue()]) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of linear sRGB."""
    m = np.array(
        [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
    )
    xyz = m @ linear / np.array([0.95047, 1.0, 1.08883])
    d = 6 / 29
    f = np.where(xyz > d**3, np.cbrt(xyz), xyz / (3 * d * d) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _distances(colours, vision: str) -> dict[tuple[str, str], float]:
    labs = {}
    for c in colours:
        lin = _linear(c)
        if vision != "normal":
            lin = np.clip(np.array(MACHADO_2009[vision]) @ lin, 0.0, 1.0)
        labs[c] = _lab(lin)
    return {(a, b): float(np.linalg.norm(labs[a] - labs[b])) for a, b in itertools.combinations(colours, 2)}


def test_colour_science_by_hand():
    assert _lab(_linear("#ffffff")) == pytest.approx([100.0, 0.0, 0.0], abs=0.01)
    assert _lab(_linear("#000000")) == pytest.approx([0.0, 0.0, 0.0], abs=0.01)
    assert _lab(_linear("#ff0000")) == pytest.approx([53.24, 80.09, 67.20], abs=0.02)  # sRGB red
    for matrix in MACHADO_2009.values():
        assert np.array(matrix).sum(axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)  # grey stays grey
    # red and green, apart for most readers, nearly meet for a deuteranope
    assert _distances(["#d62728", "#2ca02c"], "normal")[("#d62728", "#2ca02c")] > 80
    assert _distances(["#d62728", "#2ca02c"], "deuteranopia")[("#d62728", "#2ca02c")] < 20


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_twelve_series_colours_apart_for_every_reader(theme):
    assert len(theme.series) == 12 and len(set(c.lower() for c in theme.series)) == 12
    low = {c: round(contrast_ratio(c, theme.base), 2) for c in theme.series if contrast_ratio(c, theme.base) < STATE}
    assert not low, f"{theme.name}: series under {STATE}:1 on the plot: {low}"
    colours = [*theme.series, theme.benchmark]
    for vision, least in (("normal", 20.0), ("protanopia", 7.0), ("deuteranopia", 7.0), ("tritanopia", 7.0)):
        close = {k: round(v, 1) for k, v in _distances(colours, vision).items() if v < least}
        assert not close, f"{theme.name}, {vision}: colours closer than ΔE {least}: {close}"


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_no_colour_repeats_within_a_chart_of_twelve(qtbot, theme):
    panel = ChartPanel("test.palette", growth_style(), theme=theme)
    qtbot.addWidget(panel)
    days = pd.bdate_range("2024-01-01", periods=30)
    names = [f"F{i:02d}" for i in range(13)] + ["SPY"]
    series = {n: pd.Series(np.linspace(100, 100 + i, len(days)), index=days) for i, n in enumerate(names)}
    panel.set_series(series, {"SPY": SeriesStyle(role="benchmark")})
    looks = {n: (panel._series[n].colour.lower(), panel._series[n].dashed) for n in names}
    first_twelve = [looks[n][0] for n in names[:12]]
    assert len(set(first_twelve)) == 12 and not any(looks[n][1] for n in names[:12])
    assert looks["SPY"][0] == theme.benchmark.lower() and looks["SPY"][0] not in first_twelve
    assert looks["F12"] == (theme.series[0].lower(), True)  # the thirteenth: the first colour, dashed
    assert contrast_ratio(theme.benchmark, theme.base) >= STATE
