#!/usr/bin/env python3
"""Which system libraries a frozen bundle links against, and which Debian packages provide them.

    python3 packaging/linux/libdeps.py dist/rotation-desk
    python3 packaging/linux/libdeps.py /opt/rotation-desk --depends "libc6 (>= 2.34), libgl1, ..." --strict

Every ELF file in the bundle is read with ``objdump -p`` (binutils, which
PyInstaller needs anyway). A NEEDED library that the bundle does not carry
itself must come from the system: it is looked up with ``ldconfig -p`` and
mapped to its package with ``dpkg -S``. Also reports the newest GLIBC symbol
version the bundle asks for (the .deb's ``libc6 (>= …)``).

``--depends`` compares with a control file's Depends (package names only;
``:arch`` and the Ubuntu ``t64`` suffix are ignored). ``--strict`` exits 1 when a
library cannot be found on this system or its package is not declared: build
hosts may lack optional libraries (only a warning there), an installed .deb
must not.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

# Loaded by the C library itself; never a package dependency of their own.
LOADER = re.compile(r"^(ld-linux.*|linux-vdso.*|ld64.*)\.so")
# Architecture tags as printed by `ldconfig -p`.
ARCH_TAGS = {"x86_64": "x86-64", "aarch64": "AArch64"}


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def read_dynamic(path: Path) -> tuple[list[str], list[str]]:
    """(NEEDED sonames, GLIBC_x.y versions required) of one ELF file."""
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    needed = re.findall(r"^\s*NEEDED\s+(\S+)", out, re.M)
    glibc = re.findall(r"\bGLIBC_(\d+\.\d+(?:\.\d+)?)\b", out)
    return needed, glibc


def ldconfig_map() -> dict[str, str]:
    tag = ARCH_TAGS.get(os.uname().machine, os.uname().machine)
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if m and (tag in m.group(2) or "," not in m.group(2)):
            found.setdefault(m.group(1), m.group(3))
    return found


def package_of(path: str) -> str | None:
    real = os.path.realpath(path)
    candidates = [path, real]
    for p in (path, real):  # merged /usr: dpkg may list either spelling
        candidates.append(p[4:] if p.startswith("/usr/") else "/usr" + p)
    for candidate in dict.fromkeys(candidates):
        out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def normalise(pkg: str) -> str:
    pkg = pkg.split(":", 1)[0].strip()
    return pkg[:-3] if pkg.endswith("t64") else pkg


def declared(depends: str) -> set[str]:
    names = set()
    for clause in depends.split(","):
        for alt in clause.split("|"):
            name = alt.strip().split(" ", 1)[0].split("(", 1)[0].strip()
            if name:
                names.add(normalise(name))
    return names


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--depends", help="the Depends field to check against")
    ap.add_argument("--strict", action="store_true", help="exit 1 on an unresolved or undeclared library")
    ap.add_argument("--print-glibc", action="store_true", help="print only the newest GLIBC version required")
    args = ap.parse_args(argv)

    files = elf_files(args.bundle)
    if not files:
        print(f"libdeps: no ELF files under {args.bundle}", file=sys.stderr)
        return 1
    carried = {p.name for p in files}
    users: dict[str, list[str]] = {}
    glibc: set[str] = set()
    for path in files:
        needed, versions = read_dynamic(path)
        glibc.update(versions)
        for soname in needed:
            if soname not in carried and not LOADER.match(soname):
                users.setdefault(soname, []).append(str(path.relative_to(args.bundle)))
    newest = max(glibc, key=version_key) if glibc else "0"
    if args.print_glibc:
        print(newest)
        return 0

    system = ldconfig_map()
    packages: dict[str, set[str]] = {}
    unresolved = []
    for soname in sorted(users):
        path = system.get(soname)
        pkg = package_of(path) if path else None
        if pkg is None:
            unresolved.append(soname)
            print(f"  {soname:<28} NOT FOUND on this system (needed by {users[soname][0]})")
            continue
        packages.setdefault(normalise(pkg), set()).add(soname)
    print(f"libdeps: {len(files)} ELF files, {len(users)} system libraries, newest GLIBC_{newest}")
    for pkg in sorted(packages):
        print(f"  {pkg:<24} {' '.join(sorted(packages[pkg]))}")

    problems = list(unresolved)
    if args.depends is not None:
        undeclared = sorted(set(packages) - declared(args.depends))
        for pkg in undeclared:
            print(f"libdeps: {pkg} provides {', '.join(sorted(packages[pkg]))} but is not in Depends")
        problems += undeclared
    if problems:
        print(f"libdeps: {len(problems)} problem(s)" + ("" if args.strict else " (warning only)"), file=sys.stderr)
        return 1 if args.strict else 0
    print("libdeps: every system library is found" + (" and declared" if args.depends is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
