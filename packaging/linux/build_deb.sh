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
# 3. The package tree: /opt/rotation-desk (the bundle, tidied by packaging/linux/tidy_bundle.py:
#    ELF files stripped, build-machine RUNPATHs removed, modes 0644/0755; the stripped app is
#    run once right away), /usr/bin/rotation-desk (a symlink),
#    /usr/share/applications/rotation-desk.desktop, hicolor icons 16..512 + scalable SVG,
#    /usr/share/metainfo/io.github.rotation-desk.metainfo.xml (AppStream, by
#    packaging/linux/metainfo.py: screenshots and URLs when the hosting repository is known,
#    e.g. GITHUB_REPOSITORY in GitHub Actions), the manual page, /usr/share/doc/rotation-desk/
#    copyright (DEP-5, by packaging/linux/copyright.py from the bundled packages' metadata) and
#    changelog.Debian.gz, the lintian overrides for what is inherent to a bundle in /opt,
#    DEBIAN/control whose Depends lists the system libraries Qt loads (checked against the
#    bundle by packaging/linux/libdeps.py) and DEBIAN/md5sums.
# 4. dpkg-deb --build --root-owner-group -Zxz.
#
# Environment (all optional):
#   ROTATION_DESK_PYTHON      interpreter for the build venv (default: the one bootstrap.py picks, >= 3.12 preferred)
#   ROTATION_DESK_BUILD_VENV  where the build venv lives (default: build/venv-installer)
#   ROTATION_DESK_BUILD_PY    a Python that already has the app + PyInstaller installed; no build venv then
#   DEB_MAINTAINER            the control file's Maintainer
#   DEB_REVISION              the Debian revision (default 1: version 0.1.0 -> 0.1.0-1)
#   GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_REF_TYPE, GITHUB_REF_NAME, GITHUB_SHA
#                             the hosting repository (set by GitHub Actions): the metainfo's screenshot
#                             and homepage URLs, the control file's Homepage
#   DEB_XZ_LEVEL              xz level for dpkg-deb (default 3: ~86 MB in ~1 min on 2 cores;
#                             6 makes ~76 MB but packs 3-4 times slower)
#
# Needs: python3 (>= 3.11 somewhere on the machine), dpkg-deb, binutils (objdump, strip, readelf),
# chrpath; binutils and chrpath are installed with apt-get when missing (as root or with sudo).
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

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO=none; fi
apt_install() {  # apt_install PKG...: install Debian packages when allowed, quietly
  [ "$SUDO" != none ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "installing $* (apt-get)"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq >/dev/null 2>&1 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}
need=()
for tool in objdump strip readelf chrpath; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$([ "$tool" = chrpath ] && echo chrpath || echo binutils)")
done
[ ${#need[@]} -eq 0 ] || apt_install $(printf '%s\n' "${need[@]}" | sort -u) || true
for tool in dpkg-deb objdump strip readelf chrpath gzip; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is needed (apt-get install dpkg-dev binutils chrpath)"
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
DEB_VERSION=$DEB_VERSION-${DEB_REVISION:-1}
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
APPSTREAM_ID=io.github.rotation-desk
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/doc/$PKG" "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/metainfo" \
  "$STAGE/usr/share/man/man1" "$STAGE/usr/share/lintian/overrides"
cp -a "$BUNDLE" "$STAGE/opt/$PKG"
bundle_bytes=$(du -sb "$STAGE/opt/$PKG" | cut -f1)
python3 packaging/linux/tidy_bundle.py "$STAGE/opt/$PKG"
# The stripped app must still start: --version, and a first run that seeds a store from the snapshot
# (Python, SQLite, NumPy and pandas loaded). test_deb.sh then runs the installed package in full.
check_dir=$(mktemp -d)
staged_version=$("$STAGE/opt/$PKG/$PKG" --version) || die "the stripped app does not start"
[ "$staged_version" = "$PKG $VERSION" ] || die "the stripped app says '$staged_version'"
"$STAGE/opt/$PKG/$PKG" --offline --data-dir "$check_dir" data list --format csv >"$check_dir/list.csv" \
  || die "the stripped app's data list failed"
grep -q "^SPY," "$check_dir/list.csv" || die "the stripped app's data list has no SPY"
say "stripped app ok: '$staged_version', data list of $(($(wc -l <"$check_dir/list.csv") - 1)) tickers"
rm -rf "$check_dir"
ln -s "/opt/$PKG/$PKG" "$STAGE/usr/bin/$PKG"  # absolute: it crosses top-level directories (Policy 10.5)
install -m 644 packaging/linux/rotation-desk.desktop "$STAGE/usr/share/applications/$PKG.desktop"
for size in "${ICON_SIZES[@]}"; do
  dir="$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  install -m 644 "resources/icons/rotation-desk-$size.png" "$dir/$PKG.png"
done
install -m 644 resources/icons/rotation-desk.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/$PKG.svg"
# Copyright (DEP-5) from the bundled packages' own metadata, read in the build venv.
"$PY" packaging/linux/copyright.py "$STAGE/opt/$PKG" --workpath "$ROOT/build/pyinstaller/$PKG" \
  --out "$STAGE/usr/share/doc/$PKG/copyright" || die "cannot write the copyright file"
chmod 644 "$STAGE/usr/share/doc/$PKG/copyright"
# AppStream metainfo and the Debian changelog, from packaging/linux/rotation-desk.metainfo.xml.
metainfo=$STAGE/usr/share/metainfo/$APPSTREAM_ID.metainfo.xml
python3 packaging/linux/metainfo.py --version "$VERSION" --deb-version "$DEB_VERSION" --maintainer "$MAINTAINER" \
  --metainfo "$metainfo" --changelog "$STAGE/usr/share/doc/$PKG/changelog.Debian" || die "cannot write the metainfo"
gzip -n -9 "$STAGE/usr/share/doc/$PKG/changelog.Debian"
chmod 644 "$metainfo" "$STAGE/usr/share/doc/$PKG/changelog.Debian.gz"
if command -v appstreamcli >/dev/null 2>&1; then
  appstreamcli validate --no-net "$metainfo" >/dev/null || { appstreamcli validate --no-net "$metainfo"; die "the metainfo is not valid"; }
  say "appstreamcli validate --no-net: ok"
fi
gzip -n -9 -c packaging/linux/rotation-desk.1 >"$STAGE/usr/share/man/man1/$PKG.1.gz"
install -m 644 packaging/linux/rotation-desk.lintian-overrides "$STAGE/usr/share/lintian/overrides/$PKG"
chmod -R u+rwX,go+rX,go-w "$STAGE"

glibc=$(python3 packaging/linux/libdeps.py "$STAGE/opt/$PKG" --print-glibc)
DEPENDS="libc6 (>= $glibc)"
for lib in "${DEPENDS_LIBS[@]}"; do DEPENDS+=", $lib"; done
# Every system library the bundle needs must come from a declared package
# (a warning here: the build machine may lack some; test_deb.sh is strict).
python3 packaging/linux/libdeps.py "$STAGE/opt/$PKG" --depends "$DEPENDS"

installed_kb=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
homepage=$(sed -n 's:.*<url type="homepage">\(.*\)</url>.*:\1:p' "$metainfo" | head -1)
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"
chmod 644 "$STAGE/DEBIAN/md5sums"
cat >"$STAGE/DEBIAN/control" <<EOF
Package: $PKG
Version: $DEB_VERSION
Section: misc
Priority: optional
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $installed_kb
Depends: $DEPENDS
${homepage:+Homepage: $homepage
}Description: track the small-cap / value / international stock rotation
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
rm -f "$DIST/${PKG}_"*"_$ARCH.deb"  # earlier versions' packages: test_deb.sh takes the newest .deb
say "packing $DEB"
dpkg-deb --build --root-owner-group -Zxz -z"${DEB_XZ_LEVEL:-3}" --threads-max="$(nproc)" "$STAGE" "$DEB" >/dev/null
t_end=$(now)

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
bundle_mb=$(mb "$bundle_bytes")
staged_mb=$(mb "$(du -sb "$STAGE/opt/$PKG" | cut -f1)")
deb_mb=$(mb "$(stat -c %s "$DEB")")
say "done: $DEB"
say "bundle ${bundle_mb} MB as frozen, ${staged_mb} MB stripped; .deb ${deb_mb} MB; venv $(secs "$t_start" "$t_venv") s, PyInstaller $(secs "$t_venv" "$t_freeze") s, packing $(secs "$t_freeze" "$t_end") s, total $(secs "$t_start" "$t_end") s"
