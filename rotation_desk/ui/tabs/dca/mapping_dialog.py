"""The column-mapping dialog of "Import buys from CSV…": which of the file's columns holds each field.

It opens for a file whose header does not name ``date, ticker, shares,
price`` itself (a broker's ``Trade Date, Symbol, Quantity, …``), prefilled
with the mapping remembered for that layout (``DcaSettings.buy_mappings``, by
``journal_csv.header_signature``) or with guesses from common broker names.
The mapping is the ``--map`` of ``rotation-desk journal import``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from rotation_desk.core.dca.buys import FIELDS
from rotation_desk.data.journal_csv import REQUIRED
from rotation_desk.ui.kit.theme import LIGHT, Theme

LABELS = {"date": "Date", "ticker": "Ticker", "shares": "Shares", "price": "Price per share", "fee": "Fee",
          "note": "Note"}  # fmt: skip
NONE = "(none)"


class MappingDialog(QDialog):
    def __init__(self, file_name: str, header: Sequence[str], start: Mapping[str, str],
                 theme: Theme = LIGHT, parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Which column holds what?")
        self.setMinimumWidth(440)
        self.header = [h for h in header if h.strip()]
        intro = QLabel(
            f"The columns of {file_name} are not named date, ticker, shares, price. Choose the column for each "
            "field; the choice is remembered for files with these columns."
        )
        intro.setWordWrap(True)
        self.boxes: dict[str, QComboBox] = {}
        form = QFormLayout()
        for field in FIELDS:
            box = QComboBox()
            if field not in REQUIRED:
                box.addItem(NONE, "")
            for h in self.header:
                box.addItem(h, h)
            wanted = start.get(field)
            index = box.findData(wanted) if wanted else -1
            box.setCurrentIndex(index if index >= 0 else (0 if field not in REQUIRED else -1))
            box.currentIndexChanged.connect(self._clear_problem)
            self.boxes[field] = box
            form.addRow(LABELS[field] + ("" if field in REQUIRED else " (optional)"), box)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.problem.setStyleSheet(f"color: {theme.loss};")

    def choose(self, field: str, column: str) -> None:
        box = self.boxes[field]
        box.setCurrentIndex(box.findData(column))

    def mapping(self) -> dict[str, str]:
        """{field: column} of the fields given a column."""
        return {f: box.currentData() for f, box in self.boxes.items() if box.currentData()}

    def problems(self) -> list[str]:
        chosen = self.mapping()
        out = [f"choose the column for {LABELS[f].lower()}" for f in REQUIRED if f not in chosen]
        seen: dict[str, str] = {}
        for field, column in chosen.items():
            if column in seen:
                out.append(f"{column!r} is chosen for both {seen[column]} and {field}")
            seen[column] = field
        return out

    def try_accept(self) -> bool:
        problems = self.problems()
        if problems:
            self.problem.setText("; ".join(problems).capitalize() + ".")
            self.problem.show()
            return False
        self.accept()
        return True

    def _clear_problem(self) -> None:
        self.problem.hide()
