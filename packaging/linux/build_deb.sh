#!/usr/bin/env bash
# Build the Debian package of Rotation Desk, one command from the repository root:
#
#     bash packaging/linux/build_deb.sh        ->  dist/rotation-desk_<version>_<arch>.deb
#
# 1. A build venv (build/venv-installer) with the app's dependencies and
#    PyInstaller. It is reused while pyproject.toml, the PyInstaller pin and
#    the interpreter stay the same (the same idea as bootstrap.py's stamp).
# 2. The PyInstaller one-dir bundle from packaging/rotation-desk.spec
#    -> dist/rotation-desk/ (frozen --version checked right away).
# 3. The package tree: /opt/rotation-desk (the bundle), /usr/bin/rotation-desk
#    (a relative symlink), /usr/share/applications/rotation-desk.desktop,
#    hicolor icons 16..512 + scalable SVG, /usr/share/doc/rotation-desk/copyright,
#    DEBIAN/control whose Depends lists the system libraries Qt loads
#    (checked against the bundle by packaging/linux/libdeps.py).
# 4. dpkg-deb --build --root-owner-group -Zxz.
#
# Environment (all optional):
#   ROTATION_DESK_PYTHON      interpreter for the build venv (default: the one bootstrap.py picks, >= 3.12 preferred)
#   ROTATION_DESK_BUILD_VENV  where the build venv lives (default: build/venv-installer)
#   ROTATION_DESK_BUILD_PY    a Python that already has the app + PyInstaller installed; no build venv then
#   DEB_MAINTAINER            the control file's Maintainer
#   DEB_XZ_LEVEL              xz level for dpkg-deb (default 3: ~86 MB in ~1 min on 2 cores;
#                             6 makes ~76 MB but packs 3-4 times slower)
#
# Needs: python3 (>= 3.11 somewhere on the machine), dpkg-deb, objdump (binutils).
# Test the result with: bash packaging/linux/test_deb.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

PKG=rotation-desk
PYINSTALLER_REQ="pyinstaller>=6.10,<7"
BUILD_VENV=${ROTATION_DESK_BUILD_VENV:-$ROOT/build/venv-installer}
MAINTAINER=${DEB_MAINTAINER:-"Rotation Desk engineers <rotation-desk@users.noreply.github.com>"}
DIST=$ROOT/dist
STAGE=$ROOT/build/deb/root
ICON_SIZES=(16 32 48 64 128 256 512)
# System libraries the bundle links against (PyInstaller copies only the Python
# runtime's own libraries; see the spec). xcb-* are for X11 windows, wayland-*
# for Wayland sessions, GL/EGL for the offscreen and OpenGL paths.
DEPENDS_LIBS=(
  libstdc++6 libgcc-s1 zlib1g
  libgl1 libegl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
  libgssapi-krb5-2 libbrotli1 libzstd1
  libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
  libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxkbcommon0 libxkbcommon-x11-0
  libwayland-client0 libwayland-cursor0 libwayland-egl1
)

say() { printf 'build_deb: %s\n' "$*"; }
die() { printf 'build_deb: error: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

for tool in dpkg-deb objdump; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is needed (apt-get install dpkg-dev binutils)"
done

t_start=$(now)

# ---------------------------------------------------------------- 1. build venv
if [ -n "${ROTATION_DESK_BUILD_PY:-}" ]; then
  PY=$ROTATION_DESK_BUILD_PY
  say "using $PY (ROTATION_DESK_BUILD_PY)"
else
  BASE_PY=$(python3 -c "import sys; sys.path.insert(0, '$ROOT'); import bootstrap; print(bootstrap.choose_python()[0])") \
    || die "no usable Python (3.11 or newer) found"
  key=$( { cat "$ROOT/pyproject.toml"; echo "$PYINSTALLER_REQ"; "$BASE_PY" -VV; echo "$BASE_PY"; } | sha256sum | cut -c1-64)
  PY=$BUILD_VENV/bin/python
  if [ ! -x "$PY" ] || [ "$(cat "$BUILD_VENV/.build-key" 2>/dev/null)" != "$key" ]; then
    say "creating the build venv $BUILD_VENV with $("$BASE_PY" -V) ($BASE_PY)"
    rm -rf "$BUILD_VENV"
    "$BASE_PY" -m venv "$BUILD_VENV"
    "$PY" -m pip install -q --disable-pip-version-check --upgrade pip
    "$PY" -m pip install -q --disable-pip-version-check "$ROOT" "$PYINSTALLER_REQ"
    echo "$key" >"$BUILD_VENV/.build-key"
  else
    say "reusing the build venv $BUILD_VENV"
  fi
fi
t_venv=$(now)

VERSION=$("$PY" -c 'from importlib.metadata import version; print(version("rotation-desk"))')
DEB_VERSION=$("$PY" - "$VERSION" <<'EOF'
import re, sys
v = sys.argv[1]
# PEP 440 -> Debian: pre-releases sort before the release with "~"; local labels stay after "+".
v = re.sub(r"\.?(dev|a|b|rc)(\d*)", lambda m: "~" + m.group(1) + m.group(2), v)
v = v.replace(".post", "+post")
print(v)
EOF
)
ARCH=$(dpkg --print-architecture)
DEB=$DIST/${PKG}_${DEB_VERSION}_${ARCH}.deb
say "version $VERSION (Debian $DEB_VERSION), architecture $ARCH"

# Icons are committed; warn when the SVG changed and they were not re-rendered.
QT_QPA_PLATFORM=offscreen "$PY" packaging/make_icons.py --check \
  || say "warning: icons are stale; run: python packaging/make_icons.py"

# ---------------------------------------------------------------- 2. PyInstaller
say "freezing with PyInstaller (packaging/rotation-desk.spec)"
rm -rf "$DIST/$PKG"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$ROOT/build/pyinstaller" packaging/rotation-desk.spec
BUNDLE=$DIST/$PKG
[ -f "$BUNDLE/_internal/rotation_desk/resources/snapshot.csv.xz" ] || die "the bundle lacks the snapshot"
frozen_version=$("$BUNDLE/$PKG" --version)
[ "$frozen_version" = "$PKG $VERSION" ] || die "frozen --version says '$frozen_version', expected '$PKG $VERSION'"
t_freeze=$(now)

# ---------------------------------------------------------------- 3. package tree
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/doc/$PKG" "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$STAGE/opt/$PKG"
ln -s "../../opt/$PKG/$PKG" "$STAGE/usr/bin/$PKG"
install -m 644 packaging/linux/rotation-desk.desktop "$STAGE/usr/share/applications/$PKG.desktop"
for size in "${ICON_SIZES[@]}"; do
  dir="$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  install -m 644 "resources/icons/rotation-desk-$size.png" "$dir/$PKG.png"
done
install -m 644 resources/icons/rotation-desk.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/$PKG.svg"
cat >"$STAGE/usr/share/doc/$PKG/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Rotation Desk
Comment: /opt/$PKG bundles Python, Qt for Python (PySide6, LGPL-3), Qt 6 (LGPL-3),
 pyqtgraph (MIT), pandas and NumPy (BSD-3-Clause), yfinance (Apache-2.0),
 exchange_calendars (Apache-2.0), platformdirs (MIT), icalendar (BSD-2-Clause)
 and their dependencies, each under its own licence. Market data: Yahoo Finance,
 for personal, informational use; not investment advice.

Files: *
Copyright: Rotation Desk engineers
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
EOF
chmod -R u+rwX,go+rX,go-w "$STAGE"

glibc=$(python3 packaging/linux/libdeps.py "$STAGE/opt/$PKG" --print-glibc)
DEPENDS="libc6 (>= $glibc)"
for lib in "${DEPENDS_LIBS[@]}"; do DEPENDS+=", $lib"; done
# Every system library the bundle needs must come from a declared package
# (a warning here: the build machine may lack some; test_deb.sh is strict).
python3 packaging/linux/libdeps.py "$STAGE/opt/$PKG" --depends "$DEPENDS"

installed_kb=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat >"$STAGE/DEBIAN/control" <<EOF
Package: $PKG
Version: $DEB_VERSION
Section: misc
Priority: optional
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $installed_kb
Depends: $DEPENDS
Description: track the small-cap / value / international stock rotation
 Rotation Desk shows whether money is rotating from mega-cap growth toward
 small-cap, value and international stocks: rotation ratios, ETF comparison,
 sector rotation and a dollar-cost-averaging planner with backtests.
 .
 It works offline on a bundled snapshot of daily prices and refreshes from
 Yahoo Finance when online. The command line (rotation-desk --help) exports
 metrics, charts and DCA schedules. Not investment advice.
EOF

if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$STAGE/usr/share/applications/$PKG.desktop"
fi

# ---------------------------------------------------------------- 4. dpkg-deb
mkdir -p "$DIST"
rm -f "$DEB"
say "packing $DEB"
dpkg-deb --build --root-owner-group -Zxz -z"${DEB_XZ_LEVEL:-3}" --threads-max="$(nproc)" "$STAGE" "$DEB" >/dev/null
t_end=$(now)

bundle_mb=$(du -sm "$BUNDLE" | cut -f1)
deb_mb=$(awk -v b="$(stat -c %s "$DEB")" 'BEGIN { printf "%.1f", b / 1048576 }')
say "done: $DEB"
say "bundle ${bundle_mb} MB, .deb ${deb_mb} MB; venv $(secs "$t_start" "$t_venv") s, PyInstaller $(secs "$t_venv" "$t_freeze") s, packing $(secs "$t_freeze" "$t_end") s, total $(secs "$t_start" "$t_end") s"
