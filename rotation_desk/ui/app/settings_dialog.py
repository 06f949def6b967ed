"""The Settings dialog: theme, the range and benchmark at start-up, the risk-free rate, refresh on
start, and the chart export's defaults (size, 2× for HiDPI, folder).

Every value is checked by its settings field (``ui.state`` declares each default and check once):
the spin boxes offer exactly the field's bounds, and OK applies nothing until every value passes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core.tickers import is_ticker
from rotation_desk.ui.kit.hints import IMPORT_WHERE
from rotation_desk.ui.kit.widgets import ProblemLabel
from rotation_desk.ui.state.fields import SettingsError, bounds_of, check_field
from rotation_desk.ui.state.ranges import PRESETS
from rotation_desk.ui.state.sections import ExportPrefs
from rotation_desk.ui.state.settings import THEME_CHOICES, Settings

THEME_WORDS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


def _row(*widgets) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        if isinstance(w, int):
            row.addStretch(w)
        else:
            row.addWidget(w)
    return box


class SettingsDialog(QDialog):
    """The app-wide settings; validated before it closes (``values`` then holds the checked values)."""

    def __init__(self, settings: Settings, known_tickers, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        self.known = set(known_tickers)
        self.checked: dict | None = None

        self.theme_box = QComboBox()
        for name in THEME_CHOICES:
            self.theme_box.addItem(THEME_WORDS[name], name)
        self.theme_box.setCurrentIndex(THEME_CHOICES.index(settings.theme))
        self.range_box = QComboBox()
        for p in PRESETS:
            if p != "Custom":
                self.range_box.addItem(p, p)
        self.range_box.setCurrentText(settings.default_range)
        self.bench_box = QComboBox(editable=True)
        self.bench_box.addItems(sorted(self.known))
        self.bench_box.setCurrentText(settings.benchmark)

        lo, hi = bounds_of(Settings, "risk_free")
        self.rf_box = QDoubleSpinBox(minimum=lo * 100, maximum=hi * 100, decimals=2, singleStep=0.25)
        self.rf_box.setSuffix(" % a year")
        self.rf_box.setValue(settings.risk_free * 100)
        self.rf_box.setToolTip(
            "The annual risk-free rate in every Sharpe and Sortino ratio of the window (ETF Comparison, "
            "tilt backtest). The command line keeps 0 unless given --rf."
        )
        self.refresh_box = QCheckBox("Refresh prices when the app starts")
        self.refresh_box.setChecked(settings.refresh_on_start)
        self.refresh_box.setToolTip(
            "Fetch the newest closes from Yahoo Finance in the background at start-up (not with --offline)"
        )

        export = settings.export
        w_lo, w_hi = bounds_of(ExportPrefs, "width")
        h_lo, h_hi = bounds_of(ExportPrefs, "height")
        self.width_box = QSpinBox(minimum=int(w_lo), maximum=int(w_hi), suffix=" px", value=export.width)
        self.height_box = QSpinBox(minimum=int(h_lo), maximum=int(h_hi), suffix=" px", value=export.height)
        self.hidpi_box = QCheckBox("2× for HiDPI screens (PNG)")
        self.hidpi_box.setChecked(export.hidpi)
        self.folder_edit = QLineEdit(export.folder)
        self.folder_edit.setPlaceholderText("your Pictures folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)

        self.error_label = ProblemLabel()
        form = QFormLayout()
        form.addRow("Theme", self.theme_box)
        form.addRow("Range at start-up", self.range_box)
        form.addRow("Benchmark", self.bench_box)
        form.addRow("Risk-free rate", self.rf_box)
        form.addRow("", self.refresh_box)
        form.addRow(QLabel("<b>Chart export</b>"))
        form.addRow("Size", _row(self.width_box, QLabel("×"), self.height_box, 1))
        form.addRow("", self.hidpi_box)
        form.addRow("Folder", _row(self.folder_edit, browse))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export folder", self.folder_edit.text() or str(Path.home()))
        if folder:
            self.folder_edit.setText(folder)

    def values(self) -> dict:
        """What the fields hold (not yet checked)."""
        return {
            "theme": self.theme_box.currentData(),
            "default_range": self.range_box.currentData(),
            "benchmark": self.bench_box.currentText().strip().upper(),
            "risk_free": round(self.rf_box.value() / 100, 6),
            "refresh_on_start": self.refresh_box.isChecked(),
            "export": {
                "width": self.width_box.value(),
                "height": self.height_box.value(),
                "hidpi": self.hidpi_box.isChecked(),
                "folder": self.folder_edit.text().strip(),
            },
        }

    def problem(self) -> str | None:
        """Why OK is refused, or None (and ``checked`` holds the values, each passed by its field's check)."""
        values = self.values()
        bench = values["benchmark"]
        if not is_ticker(bench):
            return f"“{bench}” is not a ticker symbol."
        if bench not in self.known:
            return f"No cached prices for {bench}; refresh it, or import it with {IMPORT_WHERE}."
        folder = values["export"]["folder"]
        if folder and not Path(folder).expanduser().is_dir():
            return f"The export folder {folder} does not exist."
        try:
            checked = {k: check_field(Settings, k, v) for k, v in values.items() if k != "export"}
            checked["export"] = {k: check_field(ExportPrefs, k, v, f"export.{k}") for k, v in values["export"].items()}
        except SettingsError as exc:
            return f"{exc}."
        self.checked = checked
        return None

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error_label.say(problem)
            return
        self.accept()
