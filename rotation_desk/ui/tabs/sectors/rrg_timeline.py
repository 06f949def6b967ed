"""The RRG's time controls: a date slider over the graph's points, step buttons and play/pause.

Playing advances one point per timer tick (a QTimer in the GUI thread); the
slider's value is the frame, so dragging, the arrow keys and playback all go
through ``frame_changed``. ``scrubbing`` is true while the user drags or the
animation plays (the graph then keeps its view instead of refitting per frame).
While the page is still filling the table and heat map for the frame shown
(``waiting``), a tick does not advance: what is under the graph is always the
graph's date. Play and Pause carry the style's standard media icons.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QSlider, QStyle, QToolButton, QWidget

from rotation_desk.ui.kit.boxes import line

SPEEDS = {"Slow": 450, "Normal": 180, "Fast": 70}  # milliseconds per frame
MAX_WAIT_MS = 3000  # a table that takes longer than this does not hold the animation up


class RrgTimeline(QWidget):
    frame_changed = Signal(int)
    playing_changed = Signal(bool)
    settled = Signal()  # dragging or playing ended: the view may refit

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.frames: list[pd.Timestamp] = []
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.waiting = False  # the table of the frame shown is not in yet: the next tick waits
        self._waited_ms = 0
        self.play_button = QToolButton(text="Play")
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Animate the rotation from the slider's date to the end of the range (Space)")
        self.play_button.toggled.connect(self._play_toggled)
        self.back_button = QToolButton(text="‹")
        self.back_button.setToolTip("One point back")
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.forward_button = QToolButton(text="›")
        self.forward_button.setToolTip("One point forward")
        self.forward_button.clicked.connect(lambda: self.step(1))
        for b in (self.play_button, self.back_button, self.forward_button):
            b.setAutoRaise(True)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setMinimum(0)
        self.slider.setMaximum(0)
        self.slider.setPageStep(4)
        self.slider.setToolTip("The date the graph shows; each point uses only data up to its own date")
        self.slider.valueChanged.connect(self._value_changed)
        self.slider.sliderReleased.connect(self.settled)
        self.date_label = QLabel("—")
        self.date_label.setMinimumWidth(self.date_label.fontMetrics().horizontalAdvance("2026-08-03 (9999/9999)") + 8)
        self.speed = QComboBox()
        self.speed.addItems(list(SPEEDS))
        self.speed.setCurrentText("Normal")
        self.speed.setToolTip("Animation speed")
        self.speed.currentTextChanged.connect(self._speed_changed)
        line(
            self,
            [self.play_button, self.back_button, self.forward_button, (self.slider, 1), self.date_label, self.speed],
            (4, 0, 4, 0),
        )
        self._speed_changed(self.speed.currentText())

    # ------------------------------------------------------------------ frames
    def set_frames(self, frames: list[pd.Timestamp], index: int | None = None) -> None:
        """New dates; the slider goes to ``index`` (default: the last) without emitting twice."""
        self.stop()
        self.frames = list(frames)
        last = max(0, len(self.frames) - 1)
        index = last if index is None else max(0, min(index, last))
        self.slider.blockSignals(True)
        self.slider.setMaximum(last)
        self.slider.setValue(index)
        self.slider.blockSignals(False)
        self.setEnabled(bool(self.frames))
        self._label(index)

    def index(self) -> int:
        return self.slider.value()

    def current(self) -> pd.Timestamp | None:
        return self.frames[self.index()] if self.frames else None

    def go_to(self, index: int) -> None:
        self.slider.setValue(max(0, min(index, len(self.frames) - 1)))

    def go_to_date(self, when) -> None:
        """The last frame on or before ``when`` (the first frame if ``when`` is earlier)."""
        if not self.frames:
            return
        pos = pd.DatetimeIndex(self.frames).searchsorted(pd.Timestamp(when), side="right") - 1
        self.go_to(max(0, int(pos)))

    def step(self, delta: int) -> None:
        self.go_to(self.index() + delta)
        self.settled.emit()

    @property
    def scrubbing(self) -> bool:
        return self.is_playing() or self.slider.isSliderDown()

    def _value_changed(self, index: int) -> None:
        self._label(index)
        self.frame_changed.emit(index)

    def _label(self, index: int) -> None:
        if not self.frames:
            self.date_label.setText("—")
            return
        self.date_label.setText(f"{self.frames[index]:%Y-%m-%d} ({index + 1}/{len(self.frames)})")

    # ------------------------------------------------------------------ playback
    def is_playing(self) -> bool:
        return self.timer.isActive()

    def play(self) -> None:
        self.play_button.setChecked(True)

    def stop(self) -> None:
        self.play_button.setChecked(False)

    def toggle(self) -> None:
        self.play_button.setChecked(not self.play_button.isChecked())

    def _play_toggled(self, on: bool) -> None:
        if on:
            if len(self.frames) < 2:
                self.play_button.setChecked(False)
                return
            if self.index() >= len(self.frames) - 1:
                self.slider.setValue(0)  # from the start of the range again
            self._show_as("Pause", QStyle.StandardPixmap.SP_MediaPause)
            self.waiting = False
            self.timer.start()
        else:
            was = self.timer.isActive()
            self.timer.stop()
            self.waiting = False
            self._show_as("Play", QStyle.StandardPixmap.SP_MediaPlay)
            if was:
                self.settled.emit()
        self.playing_changed.emit(on and self.timer.isActive())

    def _show_as(self, text: str, icon: QStyle.StandardPixmap) -> None:
        self.play_button.setText(text)
        self.play_button.setIcon(self.style().standardIcon(icon))

    def _tick(self) -> None:
        if self.waiting and self._waited_ms < MAX_WAIT_MS:
            self._waited_ms += self.timer.interval()
            return  # the table and heat map of this frame are still being computed
        self._waited_ms = 0
        if self.index() >= len(self.frames) - 1:
            self.stop()
            return
        self.slider.setValue(self.index() + 1)
        if self.index() >= len(self.frames) - 1:
            self.stop()

    def _speed_changed(self, name: str) -> None:
        self.timer.setInterval(SPEEDS.get(name, SPEEDS["Normal"]))
