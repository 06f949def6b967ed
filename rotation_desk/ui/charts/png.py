"""A QImage encoded as PNG in memory.

Qt's PNG writer (libpng) tries all five row filters on every row and keeps the best guess, and it
cannot be told otherwise; on a chart (flat colours, antialiased edges) no filter at all compresses
best. So charts are encoded here: 8-bit RGB rows (RGBA when the image has an alpha channel), filter
"none", one zlib stream at ``LEVEL`` 6, zlib's default and what matplotlib's PNGs use. A 1920×1080
chart comes out about a fifth smaller than Qt's file at the same level, in about 70 % of its time
(and as fast as Qt at level 2, which wrote a file a third larger).

The resolution (``pHYs``) is the image's own, as Qt writes it.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
from PySide6.QtGui import QImage

LEVEL = 6
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_data(image: QImage) -> bytes | None:
    """The PNG file of ``image`` (None for a null image)."""
    if image.isNull() or image.width() == 0 or image.height() == 0:
        return None
    alpha = image.hasAlphaChannel()
    wanted = QImage.Format.Format_RGBA8888 if alpha else QImage.Format.Format_RGB888
    rgb = image if image.format() == wanted else image.convertToFormat(wanted)
    width, height, channels = rgb.width(), rgb.height(), 4 if alpha else 3
    stride = rgb.bytesPerLine()
    rows = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    raw = np.zeros((height, 1 + width * channels), dtype=np.uint8)  # each row: filter byte 0, then its pixels
    raw[:, 1:] = rows[:, : width * channels]
    header = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    parts = [SIGNATURE, _chunk(b"IHDR", header)]
    x_dpm, y_dpm = rgb.dotsPerMeterX(), rgb.dotsPerMeterY()
    if x_dpm > 0 and y_dpm > 0:
        parts.append(_chunk(b"pHYs", struct.pack(">IIB", x_dpm, y_dpm, 1)))
    parts += [_chunk(b"IDAT", zlib.compress(raw, LEVEL)), _chunk(b"IEND", b"")]
    return b"".join(parts)
