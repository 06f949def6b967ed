"""Write the .deb's machine-readable copyright file (DEP-5) from what is really in the bundle.

    python packaging/linux/copyright.py BUNDLE --workpath build/pyinstaller/rotation-desk --out FILE

Run it with the build venv's Python (the one PyInstaller ran with): the licences come from the
metadata of the distributions installed there, never from a list kept by hand.

- Which distributions are bundled: the top-level entries of ``BUNDLE/_internal`` (package folders,
  libraries, and the module .pyc files the spec's ``noarchive`` leaves there) and the top-level Python
  modules in PyInstaller's archive (``PYZ-00.toc``, empty without one), mapped to distributions with
  ``importlib.metadata`` (``packages_distributions()`` and each distribution's RECORD).
- Each distribution's licence: ``License-Expression``, else a short ``License`` field, else its
  ``License ::`` classifiers, else its licence file's wording (MIT, BSD-2/3-Clause, Apache-2.0).
  Its Copyright lines and licence text: its licence files (``LICENSE``, ``COPYING``, ``NOTICE``),
  with any full GPL/LGPL/Apache/MPL text replaced by a reference to /usr/share/common-licenses.
- The Python runtime (libpython, lib-dynload, the stdlib archive): PSF, the interpreter's LICENSE.txt.
- Shared libraries copied from the build machine (libssl, libsqlite3 ...): the Debian package that
  owns each (``dpkg -S``) and that package's copyright file, copied in.
- The PyInstaller bootloader (the executable) and PyInstaller's run-time hooks in ``_internal``.

Anything in the bundle it cannot attribute, or a distribution whose licence it cannot read, stops
the build with its name (exit 1), so a new dependency is looked at before it ships.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import sysconfig
from importlib.metadata import Distribution, distributions, packages_distributions
from pathlib import Path

PREFIX = "opt/rotation-desk"
APP_DIST = "rotation-desk"
# Licences whose full text Debian ships in /usr/share/common-licenses (referenced, not copied).
COMMON = {
    "Apache-2.0": "Apache-2.0",
    "GPL-2.0-only": "GPL-2",
    "GPL-2.0-or-later": "GPL-2",
    "GPL-2+": "GPL-2",
    "GPL-3.0-only": "GPL-3",
    "GPL-3.0-or-later": "GPL-3",
    "LGPL-2.1-only": "LGPL-2.1",
    "LGPL-2.1-or-later": "LGPL-2.1",
    "LGPL-3.0-only": "LGPL-3",
    "LGPL-3.0-or-later": "LGPL-3",
    "MPL-2.0": "MPL-2.0",
    "CC0-1.0": "CC0-1.0",
}
# Full licence texts that may sit inside a package's licence file: cut there, refer to Debian's copy.
FULL_TEXTS = (
    (re.compile(r"^\s*GNU LESSER GENERAL PUBLIC LICENSE\s*\n\s*Version 3", re.M), "LGPL-3"),
    (re.compile(r"^\s*GNU GENERAL PUBLIC LICENSE\s*\n\s*Version 3", re.M), "GPL-3"),
    (re.compile(r"^\s*GNU GENERAL PUBLIC LICENSE\s*\n\s*Version 2", re.M), "GPL-2"),
    (re.compile(r"^\s*Apache License\s*\n\s*Version 2\.0, January 2004", re.M), "Apache-2.0"),
    (re.compile(r"^\s*Mozilla Public License Version 2\.0", re.M), "MPL-2.0"),
)
SHORT_NAMES = {  # License: fields and classifiers -> SPDX
    "mit": "MIT",
    "mit license": "MIT",
    "bsd": None,  # which BSD: read the text
    "bsd license": None,
    "3-clause bsd license": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "apache": None,
    "apache software license": None,
    "apache 2.0": "Apache-2.0",
    "apache-2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "mpl-2.0": "MPL-2.0",
    "psf": "PSF-2.0",
    "bsd-3-clause": "BSD-3-Clause",
    "bsd-2-clause": "BSD-2-Clause",
}
LICENCE_FILE = re.compile(r"(?i)^(licen[cs]e|copying|notice)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the one-dir bundle (dist/rotation-desk or its staged copy)")
    parser.add_argument(
        "--workpath", type=Path, required=True, help="PyInstaller's work dir (PYZ-00.toc, COLLECT-00.toc)"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        text, summary = build(args.bundle, args.workpath)
    except Unattributed as exc:
        print(f"copyright: error: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(text, encoding="utf-8")
    print(f"copyright: {summary}")
    return 0


class Unattributed(Exception):
    pass


def build(bundle: Path, workpath: Path) -> tuple[str, str]:
    internal = bundle / "_internal"
    dists = {canon(d.metadata["Name"]): d for d in distributions()}
    owners = record_owners(dists)
    paragraphs = [header(), app_paragraph(dists)]
    claimed: dict[str, list[str]] = {}  # distribution -> bundle paths
    python_paths, pyinstaller_paths, system_libs, unknown = [], [], [], []
    collect_src = collected_sources(workpath / "COLLECT-00.toc")
    for entry in sorted(internal.iterdir()):
        name = entry.name
        if entry.is_symlink() and (entry.resolve().is_relative_to(internal.resolve())):
            continue  # PyInstaller's top-level links to libraries inside a package dir: covered there
        pattern = f"{PREFIX}/_internal/{name}" + ("/*" if entry.is_dir() else "")
        # the compiled modules lie in _internal (the spec's noarchive): a module file is X.pyc, its source X.py
        module = name.removesuffix(".pyc")
        if name.startswith(("rotation_desk", "rotation-desk")):
            continue  # the app: "Files: *"
        if name in PYINSTALLER_RUNTIME:
            pyinstaller_paths.append(pattern)
        elif name in owners or (name.endswith(".pyc") and f"{module}.py" in owners):
            claimed.setdefault(owners.get(name) or owners[f"{module}.py"], []).append(pattern)
        elif (
            name.startswith("libpython")
            or re.fullmatch(r"python3\.\d+", name)
            or name == "base_library.zip"
            or (module in sys.stdlib_module_names or module.startswith("_sysconfigdata_"))
        ):
            python_paths.append(pattern)
        elif re.match(r"lib.*\.so(\.|$)", name) and name in collect_src:
            system_libs.append((pattern, collect_src[name]))
        else:
            unknown.append(name)
    for module in pyz_top_modules(workpath / "PYZ-00.toc"):
        for dist_name in packages_distributions().get(module, []):
            key = canon(dist_name)
            if key != canon(APP_DIST) and key not in claimed:
                unknown.append(f"{module} (from {dist_name}: its code is bundled but none of its files)")
    if unknown:
        raise Unattributed("cannot attribute these bundle entries to a licence: " + "; ".join(sorted(set(unknown))))

    paragraphs.append(bootloader_paragraph(dists))
    if pyinstaller_paths:
        paragraphs.append(pyinstaller_runtime_paragraph(dists, pyinstaller_paths))
    paragraphs.append(python_paragraph(python_paths))
    licences = {}
    for key in sorted(claimed):
        para, expr = distribution_paragraph(dists[key], claimed[key], bundle)
        paragraphs.append(para)
        licences[dists[key].metadata["Name"]] = expr
    for pattern, source in system_libs:
        paragraphs.append(system_lib_paragraph(pattern, source))
    summary = (
        f"{len(claimed)} Python distributions ("
        + ", ".join(f"{n} {e}" for n, e in sorted(licences.items(), key=lambda kv: kv[0].lower()))
        + f"), the Python runtime, {len(system_libs)} system libraries"
    )
    return "\n".join(paragraphs), summary


# ---------------------------------------------------------------- what is in the bundle


def canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def record_owners(dists: dict[str, Distribution]) -> dict[str, str]:
    """Top-level name in site-packages (package dir, module file, dist-info dir, .libs dir) -> distribution."""
    owners = {}
    for key, dist in dists.items():
        for f in dist.files or ():
            parts = Path(str(f)).parts
            if parts and parts[0] not in ("..", "__pycache__"):
                owners.setdefault(parts[0], key)
    return owners


def pyz_top_modules(toc: Path) -> list[str]:
    entries = ast.literal_eval(toc.read_text(encoding="utf-8"))[1]
    stdlib = sys.stdlib_module_names
    return sorted({name.split(".")[0] for name, _path, _kind in entries} - stdlib - {"rotation_desk"})


def collected_sources(toc: Path) -> dict[str, str]:
    """Bundle name -> the file it was copied from, for libraries taken from the build machine."""
    entries = ast.literal_eval(toc.read_text(encoding="utf-8"))[0]
    return {
        Path(dest).name: src
        for dest, src, kind in entries
        if kind == "BINARY" and "/" not in dest.strip("/") and src.startswith("/")
    }


# ---------------------------------------------------------------- paragraphs


def header() -> str:
    return field_block(
        [
            ("Format", "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"),
            ("Upstream-Name", "Rotation Desk"),
            (
                "Comment",
                f"/{PREFIX} is a PyInstaller bundle: the app, the Python runtime and the Python\n"
                "packages and libraries it needs, each under its own licence (the paragraphs\n"
                "below, written at build time from the bundled packages' metadata). Market\n"
                "data: Yahoo Finance, for personal, informational use; not investment advice.",
            ),
        ]
    )


def app_paragraph(dists: dict[str, Distribution]) -> str:
    meta = dists[canon(APP_DIST)].metadata
    holders = meta.get("Author") or author_names(meta.get("Author-email", "")) or "Rotation Desk engineers"
    licence = meta.get("License-Expression") or meta.get("License")
    if licence != "MIT":
        raise Unattributed(f"the app's licence in pyproject.toml is {licence!r}; this file states MIT")
    return field_block([("Files", "*"), ("Copyright", holders), ("License", "MIT\n" + MIT_TEXT)])


def bootloader_paragraph(dists: dict[str, Distribution]) -> str:
    pyi = dists.get("pyinstaller")
    if pyi is None:
        raise Unattributed("PyInstaller is not installed in this environment (the bootloader's licence)")
    copying = next((f for f in pyi.files or () if Path(str(f)).name.upper().startswith("COPYING")), None)
    raw = pyi.locate_file(copying).read_text(encoding="utf-8", errors="replace") if copying else ""
    exception = re.search(r"Bootloader Exception\s*-+\s*(.+?)\n\s*\n", raw, re.S)
    if not exception:
        raise Unattributed("PyInstaller's COPYING.txt has no 'Bootloader Exception' section")
    text = (
        exception.group(1).strip() + "\n\nOn Debian systems, the full text of the GNU General Public License\n"
        "version 2 can be found in /usr/share/common-licenses/GPL-2."
    )
    return field_block(
        [
            ("Files", f"{PREFIX}/rotation-desk"),
            ("Copyright", "\n".join(copyright_lines(licence_text(raw))) or "PyInstaller Development Team"),
            ("License", "GPL-2+ with Bootloader exception\n" + text),
            (
                "Comment",
                f"The PyInstaller {pyi.version} bootloader, with PyInstaller's bootstrap modules\n"
                "appended. The compiled Python modules lie in _internal: Rotation Desk's (MIT),\n"
                "the Python standard library's (PSF) and those of the packages below, each under\n"
                "its own licence.",
            ),
        ]
    )


# PyInstaller's run-time files in _internal: the helpers its run-time hooks import, and its hooks for inspect,
# pkgutil and multiprocessing, which packaging/pyinstaller-hooks/rthooks/pyi_rth_deferred.py runs when each
# module is first imported.
PYINSTALLER_RUNTIME = ("_pyi_rth_utils", "_pyi_rthooks_deferred")


def pyinstaller_runtime_paragraph(dists: dict[str, Distribution], paths: list[str]) -> str:
    pyi = dists["pyinstaller"]
    copying = next((f for f in pyi.files or () if Path(str(f)).name.upper().startswith("COPYING")), None)
    raw = pyi.locate_file(copying).read_text(encoding="utf-8", errors="replace") if copying else ""
    if not re.search(r"Run-time Hooks.+?licensed under the Apache License,\s+Version 2\.0", raw, re.S):
        raise Unattributed("PyInstaller's COPYING.txt no longer says its run-time hooks are Apache-2.0")
    return field_block(
        [
            ("Files", "\n".join(paths)),
            ("Copyright", "PyInstaller Development Team"),
            (
                "License",
                "Apache-2.0\nOn Debian systems, the full text of the Apache License 2.0 can be found in\n"
                "/usr/share/common-licenses/Apache-2.0.",
            ),
            ("Comment", f"PyInstaller {pyi.version}'s run-time hooks and their helper modules."),
        ]
    )


def python_paragraph(paths: list[str]) -> str:
    licence_file = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if not paths or not licence_file.is_file():
        raise Unattributed(f"no Python runtime in the bundle, or no {licence_file}")
    raw = licence_file.read_text(encoding="utf-8", errors="replace")
    version = ".".join(map(str, sys.version_info[:3]))
    holders = copyright_lines(raw) + [
        " ".join(q.split()) for q in re.findall(r'"(Copyright [^"]+)"', raw) if "<" not in q
    ]
    return field_block(
        [
            ("Files", "\n".join(paths)),
            ("Copyright", "\n".join(dict.fromkeys(holders))),
            ("License", "PSF-2.0\n" + licence_text(raw)),
            ("Comment", f"Python {version}: libpython, the standard library and its extension modules."),
        ]
    )


def distribution_paragraph(dist: Distribution, paths: list[str], bundle: Path) -> tuple[str, str]:
    meta = dist.metadata
    name, version = meta["Name"], dist.version
    files = [f for f in dist.files or () if LICENCE_FILE.match(Path(str(f)).name) and "dist-info" in str(f)]
    files += [
        f
        for f in dist.files or ()
        if LICENCE_FILE.match(Path(str(f)).name.replace("CC-BY license", "license"))
        and "dist-info" not in str(f)
        and (bundle / "_internal" / str(f)).exists()
    ]
    raws = [(str(f), dist.locate_file(f).read_text(encoding="utf-8", errors="replace")) for f in files]
    expr = licence_expression(dist, "\n".join(r for _, r in raws))
    holders = []
    for _, raw in raws:
        holders += [line for line in copyright_lines(licence_text(raw)) if line not in holders]
    if not holders:
        author = meta.get("Author") or meta.get("Maintainer") or author_names(meta.get("Author-email", ""))
        holders = [author or f"the {name} authors (no copyright line in its licence files or metadata)"]
    texts = []
    for path, raw in raws:
        texts.append(f"[{Path(path).name}]\n" + licence_text(raw))
    references = sorted({COMMON[t] for t in tokens(expr) if t in COMMON})
    for ref in references:
        texts.append(
            f"On Debian systems, the full text of the {ref} licence can be found in\n/usr/share/common-licenses/{ref}."
        )
    if not raws and expr == "MIT":  # no licence file in the wheel: the MIT terms its metadata names
        texts.insert(0, "[the MIT licence's standard text; the package ships no licence file]\n" + MIT_TEXT)
    if not texts:
        raise Unattributed(f"{name} {version}: no licence text (no licence file, licence {expr})")
    fields = [
        ("Files", "\n".join(paths)),
        ("Copyright", "\n".join(holders[:12])),
        ("License", dep5_expression(expr) + "\n" + "\n\n".join(texts)),
        ("Comment", f"{name} {version} (licence from its metadata: {expr})." + extra_comment(name, bundle)),
    ]
    return field_block(fields), expr


def extra_comment(name: str, bundle: Path) -> str:
    if canon(name) != "pyside6-essentials":
        return ""
    note = (
        "\nUsed under LGPL-3.0-only: Qt and PySide6 are the shared libraries in\n"
        f"/{PREFIX}/_internal/PySide6, which can be replaced."
    )
    icu = sorted((bundle / "_internal" / "PySide6" / "Qt" / "lib").glob("libicudata.so*"))
    if icu:
        found = re.search(rb"[ -~]*License & terms of use[ -~]*", icu[0].read_bytes())
        if found:
            note += f"\nThe ICU libraries there (libicu*) say of themselves: {found.group(0).decode().strip()}"
    return note


def system_lib_paragraph(pattern: str, source: str) -> str:
    package, version, copyright_file = debian_package(source)
    if copyright_file is None:
        raise Unattributed(f"{pattern}: copied from {source}, which no Debian package owns (licence unknown)")
    raw = copyright_file.read_text(encoding="utf-8", errors="replace")
    name = dep5_licence_of(raw, Path(pattern).name)
    return field_block(
        [
            ("Files", pattern),
            ("Copyright", f"see the Debian package's copyright file below ({package})"),
            ("License", f"{name}\n" + licence_text(raw)),
            ("Comment", f"Copied from {source} (Debian package {package} {version}); its copyright file follows."),
        ]
    )


def dep5_licence_of(raw: str, library: str) -> str:
    """The licence a Debian (DEP-5) copyright file gives the library: the paragraph whose Files name
    its source dir (libuuid.so.1 -> libuuid/*), else ``Files: *``; "other" when it is not DEP-5."""
    if not raw.startswith("Format:"):
        return "other"
    stem = re.sub(r"\.so(\..*)?$", "", library)  # libuuid
    candidates = [stem, stem.removeprefix("lib")]
    star = None
    for block in re.split(r"\n\s*\n", raw):
        fields, firsts, key = {}, {}, None
        for line in block.splitlines():
            if line[:1] in (" ", "\t") and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                key = key.strip().lower()
                fields[key] = value.strip()
                firsts[key] = value.strip()
        files, licence = fields.get("files", "").split(), firsts.get("license", "")
        if not files or not licence:
            continue
        if any(f.split("/")[0] in candidates for f in files if "/" in f):
            return licence
        if "*" in files and star is None:
            star = licence
    return star or "other"


def debian_package(source: str) -> tuple[str, str, Path | None]:
    for candidate in dict.fromkeys([source, str(Path(source).resolve()), "/usr" + source]):
        try:
            out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        except FileNotFoundError:
            return "", "", None
        if out.returncode == 0:
            package = out.stdout.split(":")[0].strip()
            arch_free = package.split(":")[0]
            version = subprocess.run(
                ["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True, check=False
            ).stdout.strip()
            path = Path("/usr/share/doc") / arch_free / "copyright"
            return arch_free, version, path if path.is_file() else None
    return "", "", None


# ---------------------------------------------------------------- licences


def licence_expression(dist: Distribution, text: str) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"].strip()
    short = (meta.get("License") or "").strip()
    if short and "\n" not in short and len(short) <= 60:
        if short in COMMON or re.fullmatch(r"[A-Za-z0-9.+-]+( (OR|AND|WITH) [A-Za-z0-9.+-]+)+", short):
            return short
        mapped = SHORT_NAMES.get(short.lower(), "")
        if mapped:
            return mapped
        if mapped is None:
            return from_text(dist, text)
    for c in meta.get_all("Classifier") or ():
        if c.startswith("License :: OSI Approved :: "):
            mapped = SHORT_NAMES.get(c.rsplit("::", 1)[1].strip().lower(), "")
            return mapped or from_text(dist, text)
    return from_text(dist, text)


def from_text(dist: Distribution, text: str) -> str:
    flat = " ".join(text.split())
    if "Apache License" in flat and "Version 2.0" in flat:
        return "Apache-2.0"
    if "Permission is hereby granted, free of charge" in flat:
        return "MIT"
    if "Redistribution and use in source and binary forms" in flat:
        return "BSD-3-Clause" if re.search(r"(?i)neither the name|names of its contributors", flat) else "BSD-2-Clause"
    raise Unattributed(
        f"{dist.metadata['Name']} {dist.version}: cannot tell its licence from its metadata or licence file"
    )


def tokens(expr: str) -> list[str]:
    return [t for t in re.split(r"[\s()]+", expr) if t and t.upper() not in ("AND", "OR", "WITH")]


def dep5_expression(expr: str) -> str:
    return re.sub(r"\b(AND|OR|WITH)\b", lambda m: m.group(1).lower(), expr)


def copyright_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        s = line.strip().strip("*#").strip()
        if re.match(r"(?i)(copyright\s*(\(c\)|©|\d|by\b)|\(c\)\s*\d|©\s*\d)", s) and not re.search(
            r"(?i)\[yyyy\]|<year>|name of (copyright owner|author)|yyyy", s
        ):
            if s not in lines:
                lines.append(s)
    return lines


def licence_text(raw: str) -> str:
    """``raw`` with any full text of a common licence cut and referred to Debian's copy."""
    text = raw
    for pattern, ref in FULL_TEXTS:
        m = pattern.search(text)
        if m:
            text = (
                text[: m.start()].rstrip()
                + f"\n\n[The full text of the {ref} licence followed here; on Debian systems it is in\n"
                f"/usr/share/common-licenses/{ref}.]\n"
            )
    return text


def author_names(author_email: str) -> str:
    return ", ".join(
        re.sub(r"\s*<[^>]*>", "", part).strip().strip('"') for part in author_email.split(",") if part.strip()
    )


def field_block(fields: list[tuple[str, str]]) -> str:
    out = []
    for key, value in fields:
        lines = value.expandtabs(4).splitlines() or [""]
        out.append(f"{key}: {lines[0].strip()}".rstrip())
        for line in lines[1:]:
            line = line.rstrip()
            out.append(" " + line if line.strip() and line.strip() != "." else " .")
    return "\n".join(out) + "\n"


MIT_TEXT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE."""


if __name__ == "__main__":
    sys.exit(main())
