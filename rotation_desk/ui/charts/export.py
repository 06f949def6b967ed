"""Rendering a chart to a QImage, a PNG file, an SVG file or the clipboard.

PNG: the scene is rendered into a QImage of ``width*scale`` × ``height*scale``
pixels with device pixel ratio ``scale``, so a 2× export is the same layout
with sharper lines and text (HiDPI), not a stretched copy.

Both are rendered to bytes in memory first, then written through ``data.atomic`` (a temporary file
beside the target, fsync, rename): a full disk or a kill leaves the previous file or none, never half
of one, and the problem is one sentence naming the file (``EnvironmentProblem``).

SVG: pyqtgraph 0.14's SVGExporter fails with Qt 6.12 (docs/architecture.md, known facts about the stack), so the scene
is painted into ``QtSvg.QSvgGenerator`` instead. The chart's curves are
antialiased, which makes pyqtgraph draw each as one path (its segmented-line
mode would write thousands of tiny polylines).

Before a render the panel's scene is laid out at the export size (title,
legend with the end-of-data values and source line included), without the
crosshair or a hover highlight, and with pens scaled for a 2× image; then it
is put back as it was. ``ChartExport`` is that part of ``ChartPanel``
(panel.py); it holds ``_exporting`` (true during a render: the pointer is
ignored) and ``_pen_scale``.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QBuffer, QCoreApplication, QEvent, QIODevice, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QMenu

from rotation_desk import APP_TITLE, __version__
from rotation_desk.data import atomic
from rotation_desk.errors import BadInput, RotationDeskError, environment_problem
from rotation_desk.ui.charts.end_labels import EndLabels
from rotation_desk.ui.charts.png import png_data
from rotation_desk.ui.state.settings import ExportPrefs


def _hints(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)


REFERENCE_SIZE = (640.0, 560.0)  # an export larger than this is this layout (or wider), scaled up


def fit_scale(width: float, height: float) -> float:
    """How much an export of ``width``×``height`` pixels enlarges the chart's layout: 1 up to about
    1000×560, then with the height (fonts, lines and markers grow with the image: the axis labels stay
    about 1.9 % of its height), as long as the layout keeps at least 640 px of width."""
    ref_w, ref_h = REFERENCE_SIZE
    return max(1.0, min(height / ref_h, width / ref_w))


def render_to_image(scene, rect: QRectF, scale: float, background: str, pixels: QSize | None = None) -> QImage:
    """``rect`` of the scene rendered at ``scale`` device pixels per unit (``pixels``: the exact size)."""
    width, height = rect.width(), rect.height()
    if pixels is None:
        pixels = QSize(round(width * scale), round(height * scale))
    image = QImage(pixels, QImage.Format.Format_RGB32)  # opaque: the PNG is RGB, a quarter less to compress
    image.setDevicePixelRatio(scale)
    image.fill(QColor(background))
    painter = QPainter(image)
    try:
        _hints(painter)
        scene.render(painter, QRectF(0, 0, pixels.width() / scale, pixels.height() / scale), rect)
    finally:
        painter.end()
    return image


def _named(path, suffix: str, kind: str) -> Path:
    """``path`` as a Path, refused (``BadInput``) unless it ends in ``suffix``."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise BadInput(f"{path}: {kind} file name must end in {suffix}")
    return path


def png_bytes(image: QImage) -> bytes:
    """The image encoded as PNG in memory (the file is written afterwards, whole or not at all; png.py)."""
    data = png_data(image)
    if data is None:
        raise RotationDeskError("the chart could not be encoded as PNG")
    return data


def svg_bytes(scene, rect: QRectF, title: str, background: str, size: QSize | None = None) -> bytes:
    """The scene's ``rect`` drawn as an SVG document of ``size`` (default: the rect's own size) in memory."""
    paint = lambda painter, target: scene.render(painter, target, rect)  # noqa: E731
    return painted_svg_bytes(paint, size or QSize(round(rect.width()), round(rect.height())), title, background)


def painted_svg_bytes(paint, size: QSize, title: str, background: str) -> bytes:
    """An SVG document of ``size`` drawn by ``paint(painter, target_rect)``, in memory."""
    width, height = size.width(), size.height()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    from PySide6.QtSvg import QSvgGenerator  # loads Qt's SVG library: only when an SVG is written

    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setTitle(title)
    generator.setDescription(f"{APP_TITLE} {__version__}")
    generator.setResolution(96)
    painter = QPainter()
    if not painter.begin(generator):
        raise RotationDeskError("the chart could not be drawn as SVG")
    try:
        _hints(painter)
        painter.fillRect(QRectF(0, 0, width, height), QColor(background))
        paint(painter, QRectF(0, 0, width, height))
    finally:
        painter.end()
    return bytes(buffer.data())


def write_file(path: Path, data: bytes) -> Path:
    """``data`` written to ``path`` whole or not at all (``data.atomic``), its folder made if missing;
    a full disk or a folder that cannot be written is one EnvironmentProblem naming the file."""
    try:
        with atomic.parent_folders(path):
            atomic.write_bytes(path, data)
    except OSError as exc:
        raise environment_problem(exc, path, "write the chart") from None
    return path


def save_png(image: QImage, path: Path) -> Path:
    path = _named(path, ".png", "a PNG")
    return write_file(path, png_bytes(image))


def write_svg(scene, rect: QRectF, path: Path, title: str, background: str) -> Path:
    path = _named(path, ".svg", "an SVG")
    return write_file(path, svg_bytes(scene, rect, title, background))


def paint_svg(paint, path: Path, size: QSize, title: str, background: str) -> Path:
    """An SVG file of ``size`` drawn by ``paint(painter, target_rect)`` (composites), written whole."""
    path = _named(path, ".svg", "an SVG")
    return write_file(path, painted_svg_bytes(paint, size, title, background))


class ChartExport:
    """The export part of ``ChartPanel`` (see the module docstring)."""

    def _init_export(self) -> None:
        self._exporting = False
        self._pen_scale = 1.0  # > 1 while rendering a HiDPI export (cosmetic pens do not scale)
        self._line_pen_scale = 1.0  # the data lines' share of it (see _export_layout)

    def add_export_actions(self, menu: QMenu) -> QMenu:
        menu.addAction("Save as PNG…", lambda: self.open_export_dialog("png"))
        menu.addAction("Save as SVG…", lambda: self.open_export_dialog("svg"))
        menu.addAction("Copy image", self.copy_image)
        return menu

    @contextmanager
    def _export_layout(self, width: float, height: float, scale: float = 1.0, enlarged: float = 1.0):
        """Lay the scene out at ``width``×``height`` for one render (pens × ``scale``), then put it back.

        ``enlarged``: how much of ``scale`` is the enlargement of a large export (``fit_scale``); the data
        lines grow by its square root only (a 1920×1080 line ~2 px, not 3: as thick as a chart library's
        and a third faster to draw), the axes, texts and markers by all of it."""
        ci = self.view.ci
        old = QRectF(ci.geometry())
        crosshair = self._crosshair_x
        self._exporting = True
        self._hide_crosshair_lines()
        saved_focus = (self._highlighted, self._pinned_highlight)
        self._highlighted = self._pinned_highlight = None
        self._pen_scale = scale
        self._line_pen_scale = scale / enlarged**0.5
        self._apply_pens()
        self._apply_line_pens()
        self._show_readout(None)
        ci.setGeometry(QRectF(0, 0, width, height))
        ci.layout.activate()
        labels = EndLabels(self)
        labels.make_room()  # a crowded chart: names at the line ends, in room past the data's end
        self._settle_scene()
        labels.show()
        try:
            yield QRectF(0, 0, width, height)
        finally:
            labels.hide()
            ci.setGeometry(old)
            ci.layout.activate()
            if self.isVisible():  # the screen repaints normally (a hidden chart settles when shown)
                self._settle_scene(warm_up=False)
            self._highlighted, self._pinned_highlight = saved_focus
            self._pen_scale = self._line_pen_scale = 1.0
            self._apply_pens()
            self._apply_line_pens()
            self._exporting = False
            if crosshair is not None:
                self.move_crosshair(crosshair)

    def _settle_scene(self, warm_up: bool = True) -> None:
        """Apply pending auto-range and re-draw the axes for the current geometry before a render.

        pyqtgraph updates the auto-range lazily, at paint time; rendering right
        after a resize would draw the axes' tick labels for the old range.
        """
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        scene = self.view.scene()
        scene.prepareForPaint()
        for axis in (self.x_axis, self.y_axis):
            axis.picture = None
            axis.update()
        if not warm_up:
            return
        # A throwaway render of the axes (data items hidden: curves need no warm-up) makes
        # them compute their paint-time state (text sizes, tick layout) for this geometry;
        # the real render then matches.
        hidden = [e.item for e in self._series.values() if e.item.isVisible()]
        for item in hidden:
            item.setVisible(False)
        scratch = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(scratch)
        try:
            for axis in (self.x_axis, self.y_axis):
                scene.render(painter, QRectF(0, 0, 8, 8), axis.sceneBoundingRect())
        finally:
            painter.end()
            for item in hidden:
                item.setVisible(True)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        scene.prepareForPaint()

    def render_image(self, width: int, height: int, scale: float = 1.0, fit: bool = True) -> QImage:
        """The chart as an image of ``width*scale`` × ``height*scale`` pixels (``scale`` 2 for HiDPI).

        With ``fit`` a large image is the chart laid out smaller and enlarged (``fit_scale``): its
        texts, lines and markers grow with the image instead of staying screen-sized."""
        k = fit_scale(width, height) if fit else 1.0
        pixels = QSize(round(width * scale), round(height * scale))
        with self._export_layout(width / k, height / k, scale * k, k) as rect:
            return render_to_image(self.view.scene(), rect, scale * k, self.theme.base, pixels)

    def paint_into(self, painter: QPainter, target: QRectF, scale: float = 1.0, footer: bool = True) -> None:
        """Paint the chart into ``target`` of ``painter`` (a composite, a report page), laid out at
        ``target``'s size enlarged as an export of that size is; ``scale``: device pixels per unit;
        ``footer`` false leaves out the source line (a composite prints it once)."""
        k = fit_scale(target.width(), target.height())
        if not footer:
            self._footer_item.collapse(True)
        try:
            with self._export_layout(target.width() / k, target.height() / k, scale * k, k) as rect:
                painter.save()
                painter.fillRect(target, QColor(self.theme.base))
                self.view.scene().render(painter, target, rect)
                painter.restore()
        finally:
            if not footer:
                self._footer_item.collapse(False)

    def export_png(self, path, width: int, height: int, scale: float = 1.0) -> Path:
        """Write a PNG of ``width*scale`` × ``height*scale`` pixels."""
        image = self.render_image(width, height, scale)
        return save_png(image, Path(path))

    def svg_data(self, width: int, height: int) -> bytes:
        """The chart as an SVG document of ``width``×``height``, laid out as a PNG of that size is."""
        k = fit_scale(width, height)
        with self._export_layout(width / k, height / k, k, k) as rect:
            return svg_bytes(
                self.view.scene(), rect, self._title or self.chart_id, self.theme.base, QSize(width, height)
            )

    def export_svg(self, path, width: int, height: int) -> Path:
        path = _named(path, ".svg", "an SVG")
        return write_file(path, self.svg_data(width, height))

    def copy_image(self, width: int | None = None, height: int | None = None) -> QImage:
        size = self.view.size()
        w = width or max(size.width(), 800)
        h = height or max(size.height(), 450)
        scale = self.devicePixelRatioF() or 1.0
        image = self.render_image(w, h, scale, fit=False)  # what the screen shows
        QGuiApplication.clipboard().setImage(image)
        self.exported.emit("clipboard")
        return image

    def default_file_name(self, fmt: str) -> str:
        stem = self.chart_id.replace(".", "-")
        end = self.last_x() if self.x_kind == "date" else None
        if end is not None:
            stem += f"-{pd.Timestamp(int(end), unit='s'):%Y-%m-%d}"
        return f"{stem}.{fmt}"

    def export_prefs(self) -> ExportPrefs:
        return self.settings.export if self.settings is not None else ExportPrefs()

    def open_export_dialog(self, fmt: str = "png") -> None:
        from rotation_desk.ui.charts.export_dialog import ExportDialog

        dialog = ExportDialog(self, fmt)
        dialog.open()
