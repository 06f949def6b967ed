#!/usr/bin/env bash
# Install the .deb from build_deb.sh and check the installed app, headless:
#
#     bash packaging/linux/test_deb.sh [dist/rotation-desk_<version>_<arch>.deb]
#
# As root (or with password-less sudo) the package is really installed: apt-get
# installs it with any missing Depends, and at the end it is removed with
# dpkg -r, together with exactly the dependencies this test had to add
# (ROTATION_DESK_DEB_KEEP_DEPS=1 keeps those). If the package is already
# installed, or without root, or with ROTATION_DESK_DEB_EXTRACT=1, the .deb is
# unpacked with dpkg -x into a temporary root instead (the system libraries it
# needs must then be present already).
#
# Checks: package contents and root ownership; lintian (installed if missing):
# no error-level tag that packaging/linux/rotation-desk.lintian-overrides does
# not override, the remaining warnings and infos listed; desktop-file-validate
# (desktop-file-utils); appstreamcli validate --no-net (appstream) on the
# installed metainfo, and on the metainfo metainfo.py writes with and without
# a hosting repository (GITHUB_* set here by hand); the changelog, the manual
# page (every command of --help described); hicolor icon sizes; the bundle's
# ELF files are stripped; every system library the
# bundle links against is found and declared in Depends; then, with HOME and
# the XDG folders in a temp dir and QT_QPA_PLATFORM=offscreen, the installed
# /usr/bin/rotation-desk: --version, --offline data list, --offline --smoke
# --screenshot-dir (exit 0, PNGs written), --offline export-chart overview
# (a 1600x900 PNG); user data lands in the XDG cache dir; nothing under
# /opt/rotation-desk is created or changed; dpkg -r leaves no /opt/rotation-desk.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PKG=rotation-desk
ICON_SIZES=(16 32 48 64 128 256 512)
APPSTREAM_ID=io.github.rotation-desk

say() { printf 'test_deb: %s\n' "$*"; }
failures=0
fail() { printf 'test_deb: FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

DEB=${1:-$(ls -t "$ROOT"/dist/${PKG}_*.deb 2>/dev/null | head -1 || true)}
[ -n "$DEB" ] && [ -f "$DEB" ] || { echo "test_deb: no .deb given and none in dist/ (run packaging/linux/build_deb.sh)" >&2; exit 2; }
DEB=$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")
say "testing $DEB"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; can_root=1
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; can_root=1
else SUDO=""; can_root=0; fi

apt_install() {  # apt_install PKG...: install Debian packages (root or sudo only)
  [ "$can_root" = 1 ] || return 1
  say "installing $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq >/dev/null 2>&1 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

TMP=$(mktemp -d)
installed=0
added_deps=""
uninstall() {
  if [ "$installed" = 1 ]; then
    installed=0
    say "removing the package (dpkg -r $PKG)"
    $SUDO dpkg -r "$PKG" >"$TMP/dpkg-r.log" 2>&1 || { cat "$TMP/dpkg-r.log" >&2; fail "dpkg -r $PKG failed"; }
    if [ -e "/opt/$PKG" ]; then fail "/opt/$PKG is still there after dpkg -r: $(find "/opt/$PKG" | head -5 | tr '\n' ' ')"; fi
    if [ -n "$added_deps" ] && [ "${ROTATION_DESK_DEB_KEEP_DEPS:-0}" != 1 ]; then
      say "removing the dependencies this test installed: $added_deps"
      # shellcheck disable=SC2086
      $SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq $added_deps >"$TMP/apt-remove.log" 2>&1 \
        || { cat "$TMP/apt-remove.log" >&2; fail "could not remove $added_deps"; }
    fi
  fi
}
cleanup() {
  uninstall
  rm -rf "$TMP"
}
trap cleanup EXIT

png_size() {  # prints WxH for a PNG file, exits 1 for anything else
  python3 - "$1" <<'EOF'
import struct, sys
with open(sys.argv[1], "rb") as fh:
    head = fh.read(24)
if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
    sys.exit(1)
print("%dx%d" % struct.unpack(">II", head[16:24]))
EOF
}

# ---------------------------------------------------------------- the package itself
VERSION=$(dpkg-deb -f "$DEB" Version)
DEPENDS=$(dpkg-deb -f "$DEB" Depends)
[ "$(dpkg-deb -f "$DEB" Package)" = "$PKG" ] || fail "Package is not $PKG"
contents=$(dpkg-deb -c "$DEB")
owners=$(awk '{print $2}' <<<"$contents" | sort -u | tr '\n' ' ')
[ "$owners" = "root/root " ] || fail "entries not owned by root/root: $owners"
for path in "./opt/$PKG/$PKG" "./opt/$PKG/_internal/rotation_desk/resources/snapshot.csv.xz" \
  "./usr/share/applications/$PKG.desktop" "./usr/share/icons/hicolor/scalable/apps/$PKG.svg" \
  "./usr/share/doc/$PKG/copyright" "./usr/share/doc/$PKG/changelog.Debian.gz" \
  "./usr/share/metainfo/$APPSTREAM_ID.metainfo.xml" "./usr/share/man/man1/$PKG.1.gz" \
  "./usr/share/lintian/overrides/$PKG"; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done
grep -q " ./usr/bin/$PKG -> /opt/$PKG/$PKG\$" <<<"$contents" || fail "/usr/bin/$PKG is not the symlink to /opt/$PKG/$PKG"
dpkg-deb -I "$DEB" md5sums >/dev/null 2>&1 || fail "the package has no md5sums"

# ---------------------------------------------------------------- lintian
command -v lintian >/dev/null 2>&1 || apt_install lintian || true
if command -v lintian >/dev/null 2>&1; then
  # One run that also lists the overridden tags ("O:"); an error-level tag left shows as "E:".
  # (With --show-overrides lintian's exit status counts overridden tags too: only 1, lintian
  # itself failing, is read from it.)
  lintian_rc=0
  lintian --info --show-overrides --tag-display-limit 0 "$DEB" >"$TMP/lintian.txt" 2>&1 || lintian_rc=$?
  errors=$(grep -c '^E: ' "$TMP/lintian.txt" || true)
  remaining=$(grep -E '^[EWIPX]: ' "$TMP/lintian.txt" | awk '{print $1, $3}' | sort | uniq -c | sort -rn | awk '{printf "%s%s %s (%s)", sep, $2, $3, $1; sep="; "}')
  overridden=$(grep -c '^O: ' "$TMP/lintian.txt" || true)
  by_tag=$(grep '^O: ' "$TMP/lintian.txt" | awk '{print $3}' | sort | uniq -c | sort -rn | awk '{printf "%s%s %s", sep, $2, $1; sep=", "}')
  say "lintian overrides used: ${by_tag:-none}"
  if [ "$lintian_rc" -eq 1 ] || [ "$errors" -gt 0 ]; then
    { grep -E '^E: ' "$TMP/lintian.txt" || tail -5 "$TMP/lintian.txt"; } | head -20 >&2
    fail "lintian: $errors error(s) not overridden (exit $lintian_rc)"
  fi
  say "lintian $(lintian --version | awk '{print $2}'): no errors; $overridden overridden tags (bundle in /opt); left: ${remaining:-nothing}"
else
  fail "lintian is not available (apt-get install lintian)"
fi

# ---------------------------------------------------------------- install (or unpack)
mode=extract
if [ "$can_root" = 1 ] && [ "${ROTATION_DESK_DEB_EXTRACT:-0}" != 1 ]; then
  if dpkg-query -W -f '${Status}' "$PKG" 2>/dev/null | grep -q "install ok installed"; then
    say "$PKG is already installed on this machine; leaving it alone and unpacking instead"
  else
    mode=install
  fi
fi
if [ "$mode" = install ]; then
  apt_sim() { $SUDO apt-get -s install --no-install-recommends "$DEB" 2>/dev/null; }
  sim=$(apt_sim) || { $SUDO apt-get update -qq; sim=$(apt_sim); } || { echo "test_deb: apt cannot resolve the Depends" >&2; exit 1; }
  added_deps=$(awk '/^Inst / && $2 != "'"$PKG"'" {print $2}' <<<"$sim" | tr '\n' ' ')
  say "installing with apt-get${added_deps:+ (adds $added_deps)}"
  installed=1
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$DEB" >"$TMP/apt.log" 2>&1 \
    || { cat "$TMP/apt.log" >&2; echo "test_deb: apt-get install failed" >&2; exit 1; }
  dpkg-query -W -f '${Status}' "$PKG" | grep -q "install ok installed" || fail "dpkg does not list $PKG as installed"
  PREFIX=""
else
  say "unpacking with dpkg -x into a temporary root"
  PREFIX=$TMP/root
  dpkg-deb -x "$DEB" "$PREFIX"
fi
OPT=$PREFIX/opt/$PKG
# /usr/bin/rotation-desk is an absolute symlink: unpacked into a temporary root, run the target itself.
if [ "$mode" = install ]; then APP=/usr/bin/$PKG; else APP=$OPT/$PKG; fi
[ -x "$APP" ] || fail "$APP is not executable"
if [ "$mode" = install ]; then
  [ "$(command -v "$PKG")" = "/usr/bin/$PKG" ] || fail "$PKG on PATH is $(command -v "$PKG" || echo nothing), not /usr/bin/$PKG"
fi

# ---------------------------------------------------------------- desktop entry, metainfo, icons, docs
command -v desktop-file-validate >/dev/null 2>&1 || apt_install desktop-file-utils || true
desktop=$PREFIX/usr/share/applications/$PKG.desktop
if command -v desktop-file-validate >/dev/null 2>&1; then
  if out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ]; then
    say "desktop-file-validate: ok"
  else
    fail "desktop-file-validate: ${out:-exit status}"
  fi
else
  fail "desktop-file-validate is not available (apt-get install desktop-file-utils)"
fi
grep -qx "Categories=Office;Finance;" "$desktop" || fail "the desktop entry's Categories are not Office;Finance;"

command -v appstreamcli >/dev/null 2>&1 || apt_install appstream || true
metainfo=$PREFIX/usr/share/metainfo/$APPSTREAM_ID.metainfo.xml
if command -v appstreamcli >/dev/null 2>&1; then
  validate() {  # validate FILE WHAT: appstreamcli validate --no-net, infos allowed
    if out=$(appstreamcli validate --no-net "$1" 2>&1); then
      say "appstreamcli validate --no-net ($2): $(tail -1 <<<"$out")"
    else
      fail "appstreamcli validate --no-net ($2): $out"
    fi
  }
  validate "$metainfo" "installed metainfo"
  grep -q "<launchable type=\"desktop-id\">$PKG.desktop</launchable>" "$metainfo" || fail "the metainfo's launchable is not $PKG.desktop"
  grep -q "<release version=\"${VERSION%-*}\"" "$metainfo" || fail "the metainfo has no <release> for ${VERSION%-*}"
  # Both ways metainfo.py writes it: without a hosting repository (a local build) and with one
  # (the variables GitHub Actions sets, given here by hand).
  gen() {  # gen NAME ENV-ARGS...: metainfo.py with that environment -> $TMP/NAME.metainfo.xml
    env "${@:2}" python3 "$ROOT/packaging/linux/metainfo.py" --version "${VERSION%-*}" --deb-version "$VERSION" \
      --maintainer "Test <test@example.invalid>" --metainfo "$TMP/$1.metainfo.xml" --changelog "$TMP/$1.changelog" >/dev/null
  }
  if gen local -u GITHUB_REPOSITORY -u GITHUB_SERVER_URL -u GITHUB_SHA -u GITHUB_REF_TYPE -u GITHUB_REF_NAME; then
    grep -q "<screenshot" "$TMP/local.metainfo.xml" && fail "metainfo without a repository still lists screenshots"
    validate "$TMP/local.metainfo.xml" "no repository: no screenshots, no URLs"
  else
    fail "metainfo.py failed without a repository"
  fi
  sha=0123456789abcdef0123456789abcdef01234567
  if gen gh GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=example-owner/rotation-desk GITHUB_REF_TYPE=branch \
    GITHUB_REF_NAME=main GITHUB_SHA=$sha; then
    want="https://raw.githubusercontent.com/example-owner/rotation-desk/$sha/docs/screenshots/"
    shots=$(grep -c "<image type=\"source\" width=\"[0-9]*\" height=\"[0-9]*\">$want[a-z0-9-]*\.png</image>" "$TMP/gh.metainfo.xml" || true)
    listed=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$ROOT/docs/screenshots/screenshots.json")
    [ "$shots" = "$listed" ] || fail "metainfo with a repository has $shots screenshot URLs under $want, expected $listed"
    grep -q '<url type="homepage">https://github.com/example-owner/rotation-desk</url>' "$TMP/gh.metainfo.xml" || fail "no homepage URL"
    validate "$TMP/gh.metainfo.xml" "GitHub repository: $shots screenshots at the commit"
  else
    fail "metainfo.py failed with a repository"
  fi
else
  fail "appstreamcli is not available (apt-get install appstream)"
fi

changelog_top=$(gzip -dc "$PREFIX/usr/share/doc/$PKG/changelog.Debian.gz" | head -1)
[ "$changelog_top" = "$PKG ($VERSION) unstable; urgency=medium" ] || fail "changelog.Debian.gz starts '$changelog_top'"
manpage=$(gzip -dc "$PREFIX/usr/share/man/man1/$PKG.1.gz" | sed 's/\\-/-/g')
commands=$("${OPT}/$PKG" --help 2>/dev/null | awk '/^positional arguments:/{p=1;next} /^options:/{p=0} p && /^    [a-z]/{print $1}')
[ -n "$commands" ] || fail "could not read the commands from --help"
for cmd in $commands; do
  grep -qx "\.B $cmd" <<<"$manpage" || fail "the manual page does not describe the command '$cmd'"
done
say "changelog and manual page ok ($(wc -w <<<"$commands") commands described)"
for size in "${ICON_SIZES[@]}"; do
  icon=$PREFIX/usr/share/icons/hicolor/${size}x${size}/apps/$PKG.png
  got=$(png_size "$icon" 2>/dev/null || echo missing)
  [ "$got" = "${size}x${size}" ] || fail "icon $icon is $got, expected ${size}x${size}"
done

# ---------------------------------------------------------------- stripped, system libraries
unstripped=0
while IFS= read -r -d '' so; do
  readelf -S -W "$so" 2>/dev/null | grep -q ' \.symtab ' && unstripped=$((unstripped + 1))
done < <(find "$OPT" -type f \( -name '*.so' -o -name '*.so.*' \) -print0)
if [ "$unstripped" = 0 ]; then say "every shared object in $OPT is stripped"
else fail "$unstripped shared objects in the bundle still have a symbol table (not stripped)"; fi
if [ "$mode" = install ]; then
  python3 "$ROOT/packaging/linux/libdeps.py" "$OPT" --depends "$DEPENDS" --strict >"$TMP/libdeps.txt" 2>&1 \
    && say "libraries: $(tail -1 "$TMP/libdeps.txt")" \
    || { cat "$TMP/libdeps.txt"; fail "system libraries missing or undeclared"; }
else
  python3 "$ROOT/packaging/linux/libdeps.py" "$OPT" --depends "$DEPENDS" >"$TMP/libdeps.txt" 2>&1 || true
  grep -q "NOT FOUND" "$TMP/libdeps.txt" && say "note: some optional libraries are missing here (unpacked, not installed)"
fi

# ---------------------------------------------------------------- run the installed app
H=$TMP/home
mkdir -p "$H" "$TMP/work" "$TMP/run"
chmod 700 "$TMP/run"
find "$OPT" -printf '%P %s %m %T@\n' | sort >"$TMP/opt.before"
touch "$TMP/stamp"
sleep 1
run_env=(env -u ROTATION_DESK_DATA_DIR HOME="$H" XDG_CACHE_HOME="$H/.cache" XDG_CONFIG_HOME="$H/.config"
  XDG_DATA_HOME="$H/.local/share" XDG_STATE_HOME="$H/.local/state" XDG_RUNTIME_DIR="$TMP/run"
  QT_QPA_PLATFORM=offscreen)
run() { (cd "$TMP/work" && timeout 600 "${run_env[@]}" "$APP" "$@"); }

t0=$(now)
version_out=$(run --version) || fail "--version exited $?"
t1=$(now)
[[ "$version_out" == "$PKG "* ]] || fail "--version printed '$version_out'"
say "--version: '$version_out' in $(secs "$t0" "$t1") s"

t0=$(now)
run --offline data list --format json >"$TMP/list.json" || fail "data list exited $?"
t1=$(now)
tickers=$(python3 -c 'import json,sys; rows=json.load(open(sys.argv[1])); print(len(rows) if any(r["ticker"]=="SPY" for r in rows) else 0)' "$TMP/list.json" 2>/dev/null || echo 0)
[ "$tickers" -ge 80 ] || fail "data list gave $tickers tickers (expected the snapshot's 88, SPY among them)"
say "--offline data list: $tickers tickers in $(secs "$t0" "$t1") s (first run: seeds the store)"
t0=$(now)
run --offline data list --format csv >/dev/null || fail "second data list exited $?"
t1=$(now)
say "--offline data list again: $(secs "$t0" "$t1") s"

t0=$(now)
if run --offline --smoke --screenshot-dir "$TMP/shots" >"$TMP/smoke.log" 2>&1; then
  t1=$(now)
  shots=0
  for png in "$TMP"/shots/*.png; do
    [ -e "$png" ] || continue
    png_size "$png" >/dev/null || fail "smoke screenshot $png is not a PNG"
    shots=$((shots + 1))
  done
  [ "$shots" -ge 1 ] || fail "--smoke wrote no screenshots"
  say "--smoke: exit 0, $shots screenshots in $(secs "$t0" "$t1") s"
else
  fail "--smoke exited non-zero"; cat "$TMP/smoke.log" >&2
fi

if run --offline export-chart overview --out x.png >"$TMP/export.log" 2>&1; then
  out=$TMP/work/x.png
  size=$(stat -c %s "$out" 2>/dev/null || echo 0)
  dims=$(png_size "$out" 2>/dev/null || echo "not a PNG")
  if [ "$size" -gt 0 ] && [ "$dims" = "1600x900" ]; then
    say "export-chart overview: x.png $dims, $size bytes"
  else
    fail "export-chart overview wrote $size bytes, $dims (expected a 1600x900 PNG)"
  fi
else
  fail "export-chart exited non-zero"; cat "$TMP/export.log" >&2
fi

# ---------------------------------------------------------------- where things were written
[ -f "$H/.cache/$PKG/prices.sqlite3" ] || fail "no price database in the XDG cache dir ($H/.cache/$PKG)"
find "$OPT" -printf '%P %s %m %T@\n' | sort >"$TMP/opt.after"
if ! cmp -s "$TMP/opt.before" "$TMP/opt.after" || [ -n "$(find "$OPT" -newer "$TMP/stamp" -print -quit)" ]; then
  fail "the app wrote under $OPT: $(diff "$TMP/opt.before" "$TMP/opt.after" | head -5 | tr '\n' ' ')"
else
  say "nothing written under $OPT; user files went to $(cd "$H" && find . -mindepth 2 -maxdepth 3 -type d -name "$PKG" | tr '\n' ' ')"
fi

uninstall  # here rather than only in the EXIT trap, so its checks count
if [ "$failures" -gt 0 ]; then
  echo "test_deb: $failures check(s) failed" >&2
  exit 1
fi
say "all checks passed ($mode mode, $PKG $VERSION)"
