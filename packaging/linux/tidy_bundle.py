"""Make the staged PyInstaller bundle fit for a .deb (what lintian and Debian policy ask of files):

    python3 packaging/linux/tidy_bundle.py STAGE/opt/rotation-desk

- strips every ELF object the way dh_strip does (``strip --remove-section=.comment
  --remove-section=.note``, plus ``--strip-unneeded`` for shared objects), except the PyInstaller
  executable itself: its archive of compiled Python modules is appended after the ELF data, and
  ``strip`` would cut it off;
- removes RPATH/RUNPATH entries that point at the build machine (e.g. /root/.pyenv/.../lib): they
  are never right on a user's machine; ``$ORIGIN`` entries stay (``chrpath``);
- sets modes: 0755 for directories, the executable and scripts, 0644 for everything else
  (shared libraries included: they are mapped, not executed);
- removes empty directories.

Prints what it did (sizes before and after). Needs binutils (strip, readelf) and chrpath.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
PYI_COOKIE = b"MEI\x0c\x0b\x0a\x0b\x0e"  # PyInstaller's archive cookie, at the end of its executable
ET_EXEC, ET_DYN = 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    args = parser.parse_args(argv)
    for tool in ("strip", "readelf", "chrpath"):
        if shutil.which(tool) is None:
            print(f"tidy_bundle: error: {tool} is needed (apt-get install binutils chrpath)", file=sys.stderr)
            return 1
    bundle = args.bundle
    before = tree_size(bundle)
    stripped = rpaths = failed = 0
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()):
        kind = elf_type(path)
        if kind is None:
            continue
        if is_pyinstaller_exe(path):
            continue
        rpaths += fix_rpath(path)
        if strip(path, kind):
            stripped += 1
        else:
            failed += 1
    modes = set_modes(bundle)
    empty = remove_empty_dirs(bundle)
    after = tree_size(bundle)
    print(
        f"tidy_bundle: stripped {stripped} ELF files ({failed} left as they were), removed {rpaths} "
        f"build-machine RPATH/RUNPATH, fixed {modes} modes, removed {empty} empty dirs; "
        f"{before / 1048576:.1f} MB -> {after / 1048576:.1f} MB"
    )
    return 0


def elf_type(path: Path) -> int | None:
    with path.open("rb") as fh:
        head = fh.read(18)
    if len(head) < 18 or head[:4] != ELF_MAGIC:
        return None
    return int.from_bytes(head[16:18], "little" if head[5] == 1 else "big")


def is_pyinstaller_exe(path: Path) -> bool:
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 4096))
        return PYI_COOKIE in fh.read()


def fix_rpath(path: Path) -> int:
    """Drop RPATH/RUNPATH entries outside the bundle ($ORIGIN ones stay). 1 if it changed one."""
    out = subprocess.run(["readelf", "-d", "-W", str(path)], capture_output=True, text=True).stdout
    m = re.search(r"\((RPATH|RUNPATH)\)\s+Library (?:rpath|runpath): \[([^\]]*)\]", out)
    if not m:
        return 0
    entries = m.group(2).split(":")
    keep = [e for e in entries if e.startswith("$ORIGIN")]
    if keep == entries:
        return 0
    cmd = ["chrpath", "-r", ":".join(keep), str(path)] if keep else ["chrpath", "-d", str(path)]
    subprocess.run(cmd, check=True, capture_output=True)
    return 1


def strip(path: Path, kind: int) -> bool:
    cmd = ["strip", "--remove-section=.comment", "--remove-section=.note"]
    if kind == ET_DYN:
        cmd.append("--strip-unneeded")
    mode = path.stat().st_mode
    done = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
    os.chmod(path, stat.S_IMODE(mode))
    if done.returncode != 0:
        print(f"tidy_bundle: note: strip {path.name}: {done.stderr.strip()}")
        return False
    return True


def set_modes(bundle: Path) -> int:
    changed = 0
    for path in [bundle, *bundle.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            want = 0o755
        else:
            want = 0o755 if is_program(path) else 0o644
        if stat.S_IMODE(path.stat().st_mode) != want:
            os.chmod(path, want)
            changed += 1
    return changed


def is_program(path: Path) -> bool:
    """An ELF executable with an interpreter (not a shared library), or a script with a #! line."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head[:2] == b"#!":
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o111)
    if head != ELF_MAGIC:
        return False
    out = subprocess.run(["readelf", "-l", "-W", str(path)], capture_output=True, text=True).stdout
    return elf_type(path) == ET_EXEC or "Requesting program interpreter" in out


def remove_empty_dirs(bundle: Path) -> int:
    removed = 0
    for path in sorted((p for p in bundle.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()
            removed += 1
    return removed


def tree_size(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


if __name__ == "__main__":
    sys.exit(main())
