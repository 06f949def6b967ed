"""Rendering a chart scene to a QImage, a PNG file or an SVG file.

PNG: the scene is rendered into a QImage of ``width*scale`` × ``height*scale``
pixels with device pixel ratio ``scale``, so a 2× export is the same layout
with sharper lines and text (HiDPI), not a stretched copy.

SVG: pyqtgraph 0.14's SVGExporter fails with Qt 6.12 (DESIGN.md), so the scene
is painted into ``QtSvg.QSvgGenerator`` instead. The chart's curves are
antialiased, which makes pyqtgraph draw each as one path (its segmented-line
mode would write thousands of tiny polylines).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from rotation_desk import APP_TITLE, __version__
from rotation_desk.errors import BadInput


def _hints(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)


def render_to_image(scene, rect: QRectF, scale: float, background: str) -> QImage:
    width, height = rect.width(), rect.height()
    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(QColor(background))
    painter = QPainter(image)
    try:
        _hints(painter)
        scene.render(painter, QRectF(0, 0, width, height), rect)
    finally:
        painter.end()
    return image


def save_png(image: QImage, path: Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise BadInput(f"{path}: a PNG file name must end in .png")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"{path}: cannot create the folder ({exc.strerror})") from None
    if not image.save(str(path), "PNG"):
        raise BadInput(f"{path}: cannot write the image (check the folder exists and is writable)")
    return path


def write_svg(scene, rect: QRectF, path: Path, title: str, background: str) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".svg":
        raise BadInput(f"{path}: an SVG file name must end in .svg")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError as exc:
        raise BadInput(f"{path}: cannot write ({exc.strerror})") from None
    width, height = int(round(rect.width())), int(round(rect.height()))
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setTitle(title)
    generator.setDescription(f"{APP_TITLE} {__version__}")
    generator.setResolution(96)
    painter = QPainter()
    if not painter.begin(generator):
        raise BadInput(f"{path}: cannot write the SVG file")
    try:
        _hints(painter)
        painter.fillRect(QRectF(0, 0, width, height), QColor(background))
        scene.render(painter, QRectF(0, 0, width, height), rect)
    finally:
        painter.end()
    return path
