"""File → Import prices from CSV…: one ticker's daily prices from a file, checked as ``data import`` checks them.

The dialog asks for the file, the ticker (``core.tickers`` syntax; offered from the file name) and
whether the file uses decimal commas (fields separated by semicolons). The import itself is
``data.csv_import.import_price_file``, the command line's: every line is checked before anything is
written, a refused file changes nothing and its problems are listed one a line in the dialog; an
accepted one replaces the ticker's cached history in one transaction. It runs on the worker pool
(a large file takes a moment); the window then reloads its tabs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core.tickers import is_ticker, parse_ticker
from rotation_desk.data.csv_import import Imported, import_price_file
from rotation_desk.ui.kit.widgets import ProblemLabel
from rotation_desk.ui.kit.workers import TaskRunner

FILE_RULES = (
    "A header with date and adj_close (or close); other columns are ignored. Dates YYYY-MM-DD "
    "(1900–2100), prices plain decimals such as 12.50. A file with anything else is refused, naming the "
    "line, and nothing is imported."
)
_CLI_WORDS = (  # the command line's option names, as the dialog calls them
    ("leave out --decimal ,", "untick “Decimal commas”"),
    ("or pass --decimal ,", "or tick “Decimal commas”"),
    ("pass --decimal ,", "tick “Decimal commas”"),
    ("but --decimal , expects", "but “Decimal commas” expects"),
    ("--decimal ,", "“Decimal commas”"),
)


def dialog_words(message: str) -> list[str]:
    """A ``read_price_csv`` message as the dialog lists it: the file, then one problem a line, in its words."""
    for cli, gui in _CLI_WORDS:
        message = message.replace(cli, gui)
    head, sep, rest = message.partition(": line ")
    if not sep:
        return [message]
    parts = ("line " + rest).split("; line ")
    lines = [head + ":"] + [p if p.startswith("line ") else "line " + p for p in parts]
    last = lines[-1]
    if last.endswith("; nothing was imported"):
        lines[-1] = last[: -len("; nothing was imported")]
        lines.append("Nothing was imported.")
    return lines


class ImportDialog(QDialog):
    imported = Signal(object)  # the Imported record, after the store was written

    def __init__(self, market, runner: TaskRunner, parent: QWidget | None = None, path: str | Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import prices from CSV")
        self.market = market
        self.runner = runner
        self.result_record: Imported | None = None
        self._task = None

        self.file_edit = QLineEdit(str(path) if path else "")
        self.file_edit.setPlaceholderText("a .csv file with date and adj_close (or close) columns")
        self.file_edit.textChanged.connect(self._file_changed)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.setContentsMargins(0, 0, 0, 0)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.ticker_edit = QLineEdit()
        self.ticker_edit.setPlaceholderText("e.g. MYFD, VWRL.L, BRK-B")
        self.ticker_edit.textChanged.connect(self._ticker_changed)
        self.decimal_box = QCheckBox("Decimal commas (fields separated by semicolons: 2020-01-02;12,50)")
        self.replace_note = QLabel()
        self.replace_note.setWordWrap(True)
        rules = QLabel(FILE_RULES)
        rules.setWordWrap(True)
        rules.setStyleSheet("color: palette(placeholder-text);")
        self.error_label = ProblemLabel()
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("File", file_row)
        form.addRow("Ticker", self.ticker_edit)
        form.addRow("", self.decimal_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.replace_note)
        layout.addWidget(rules)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())
        self._file_changed(self.file_edit.text())

    # ------------------------------------------------------------------ inputs
    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import prices", self.file_edit.text(), "CSV (*.csv);;All (*)")
        if name:
            self.file_edit.setText(name)

    def _file_changed(self, text: str) -> None:
        """Offer the file's name as the ticker while the user has not typed one."""
        stem = Path(text.strip()).stem.upper() if text.strip() else ""
        if not self.ticker_edit.isModified() and is_ticker(stem):
            self.ticker_edit.setText(stem)
        self.error_label.clear_problem()

    def _ticker_changed(self, text: str) -> None:
        self.error_label.clear_problem()
        meta = self.market.store.ticker_meta(text.strip().upper()) if is_ticker(text) else None
        if meta is not None and meta.rows:
            self.replace_note.setText(
                f"{meta.ticker} has {meta.rows:,} cached rows ({meta.first} to {meta.last}, from {meta.source}); "
                "an import replaces them all."
            )
            self.replace_note.show()
        else:
            self.replace_note.hide()

    def inputs(self) -> tuple[Path, str, str]:
        """(file, ticker, decimal mark); BadInput-style problems are raised as ValueError with the sentence."""
        text = self.file_edit.text().strip()
        if not text:
            raise ValueError("Choose the file to import.")
        try:
            ticker = parse_ticker(self.ticker_edit.text())
        except ValueError as exc:
            raise ValueError(str(exc)[0].upper() + str(exc)[1:] + ".") from None
        return Path(text).expanduser(), ticker, "," if self.decimal_box.isChecked() else "."

    # ------------------------------------------------------------------ importing
    def start_import(self) -> None:
        if self._task is not None:
            return
        try:
            path, ticker, decimal = self.inputs()
        except ValueError as exc:
            self.error_label.say(str(exc))
            return
        store = self.market.store
        self.import_button.setEnabled(False)
        self.error_label.clear_problem()
        self.replace_note.setText(f"Checking and importing {path.name}…")
        self.replace_note.show()
        self._task = self.runner.start(
            lambda _task: import_price_file(store, path, ticker, decimal),
            f"import {ticker}",
            on_success=self._done,
            on_failure=self._failed,
        )

    def busy(self) -> bool:
        return self._task is not None

    def _done(self, record: Imported) -> None:
        self._task = None
        self.result_record = record
        self.imported.emit(record)
        self.accept()

    def _failed(self, message: str) -> None:
        self._task = None
        self.import_button.setEnabled(True)
        self._ticker_changed(self.ticker_edit.text())
        self.error_label.say("\n".join(dialog_words(message)))

    def problem(self) -> str | None:
        return self.error_label.text() or None
