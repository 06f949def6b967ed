"""Write the installed AppStream metainfo and the Debian changelog from
packaging/linux/rotation-desk.metainfo.xml (the one place release notes are written):

    python3 packaging/linux/metainfo.py --version 0.1.0 --deb-version 0.1.0-1 \\
        --maintainer "Name <mail>" --metainfo OUT.metainfo.xml --changelog OUT/changelog.Debian

- The newest <release> must be the package's version (else exit 2: add the release first).
- URLs and screenshots come from the repository hosting the build, when one is known. In GitHub
  Actions: GITHUB_SERVER_URL + GITHUB_REPOSITORY give the homepage, bug tracker and source, and
  the screenshots in docs/screenshots/screenshots.json (tools/screenshots.py) get image URLs at
  the tag being built (GITHUB_REF_TYPE=tag, GITHUB_REF_NAME) or else the commit (GITHUB_SHA):
  https://raw.githubusercontent.com/<owner>/<repo>/<ref>/docs/screenshots/<file> on github.com,
  <server>/<owner>/<repo>/raw/<ref>/docs/screenshots/<file> on another GitHub server. Without
  GITHUB_REPOSITORY (a local build) both blocks are left out, and it says so: the file is valid
  either way, software centres just show no pictures.
- The changelog has one entry per <release>, newest first, in Debian's format (dated at noon UTC of
  the release date); the caller compresses it (gzip -n -9).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "packaging" / "linux" / "rotation-desk.metainfo.xml"
SHOTS = ROOT / "docs" / "screenshots"
PACKAGE = "rotation-desk"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", required=True, help="the package version (pyproject.toml)")
    parser.add_argument("--deb-version", required=True, help="the Debian version (upstream-revision)")
    parser.add_argument("--maintainer", required=True)
    parser.add_argument("--metainfo", type=Path, required=True, help="where to write the metainfo")
    parser.add_argument("--changelog", type=Path, required=True, help="where to write the changelog")
    args = parser.parse_args(argv)

    template = TEMPLATE.read_text(encoding="utf-8")
    releases = ET.fromstring(template.encode()).findall("./releases/release")
    if not releases or releases[0].get("version") != args.version:
        newest = releases[0].get("version") if releases else "none"
        print(
            f"metainfo: error: the newest <release> in {TEMPLATE.relative_to(ROOT)} is {newest}, the package is "
            f'{args.version}: add a <release version="{args.version}" date="YYYY-MM-DD"> with its notes',
            file=sys.stderr,
        )
        return 2

    repo = hosting_repository(os.environ)
    if repo is None:
        print(
            "metainfo: no hosting repository known (GITHUB_REPOSITORY unset): no URLs and no screenshots in the metainfo"
        )
        urls = shots = ""
    else:
        urls = url_block(repo)
        shots = screenshot_block(repo)
        print(f"metainfo: URLs and {shots.count('<image')} screenshots from {repo['web']} at {repo['ref']}")
    text = template.replace("<!-- @URLS@ -->", urls).replace("<!-- @SCREENSHOTS@ -->", shots)
    text = re.sub(r"\n[ \t]*\n([ \t]*\n)+", "\n\n", text)  # the blank lines a left-out block leaves
    ET.fromstring(text.encode())  # well-formed, or this raises
    args.metainfo.write_text(text, encoding="utf-8")
    args.changelog.write_text(changelog(releases, args.version, args.deb_version, args.maintainer), encoding="utf-8")
    return 0


def hosting_repository(env: dict[str, str]) -> dict[str, str] | None:
    name = env.get("GITHUB_REPOSITORY", "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", name):
        return None
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/") or "https://github.com"
    if not server.startswith("https://"):
        return None  # AppStream wants https
    if env.get("GITHUB_REF_TYPE") == "tag" and env.get("GITHUB_REF_NAME"):
        ref = env["GITHUB_REF_NAME"]
    else:
        ref = env.get("GITHUB_SHA", "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.+/-]+", ref or ""):
        return None
    web = f"{server}/{name}"
    if server == "https://github.com":
        raw = f"https://raw.githubusercontent.com/{name}/{ref}"
    else:
        raw = f"{web}/raw/{ref}"
    return {"web": web, "raw": raw, "ref": ref}


def url_block(repo: dict[str, str]) -> str:
    web = escape(repo["web"])
    return (
        f'<url type="homepage">{web}</url>\n'
        f'  <url type="bugtracker">{web}/issues</url>\n'
        f'  <url type="vcs-browser">{web}</url>'
    )


def screenshot_block(repo: dict[str, str]) -> str:
    manifest = json.loads((SHOTS / "screenshots.json").read_text(encoding="utf-8"))
    lines = ["<screenshots>"]
    for i, shot in enumerate(manifest):
        if not (SHOTS / shot["file"]).is_file():
            raise SystemExit(f"metainfo: error: docs/screenshots/{shot['file']} is listed but missing")
        kind = ' type="default"' if i == 0 else ""
        url = escape(f"{repo['raw']}/docs/screenshots/{shot['file']}")
        lines += [
            f"    <screenshot{kind}>",
            f"      <caption>{escape(shot['caption'])}</caption>",
            f'      <image type="source" width="{shot["width"]}" height="{shot["height"]}">{url}</image>',
            "    </screenshot>",
        ]
    lines.append("  </screenshots>")
    return "\n".join(lines)


def changelog(releases: list[ET.Element], version: str, deb_version: str, maintainer: str) -> str:
    revision = deb_version[len(version) :] if deb_version.startswith(version) else ""
    entries = []
    for release in releases:
        v = release.get("version")
        date = datetime.strptime(release.get("date"), "%Y-%m-%d").replace(hour=12, tzinfo=timezone.utc)  # noqa: UP017 - also Python 3.10 (Ubuntu 22.04)
        items = [" ".join("".join(el.itertext()).split()) for el in release.iter() if el.tag in ("p", "li")]
        items = [i for i in items if i] or [f"Release {v}."]
        body = "\n".join(
            textwrap.fill(item, width=78, initial_indent="  * ", subsequent_indent="    ") for item in items
        )
        stamp = date.strftime("%a, %d %b %Y %H:%M:%S +0000")
        entries.append(f"{PACKAGE} ({v}{revision}) unstable; urgency=medium\n\n{body}\n\n -- {maintainer}  {stamp}\n")
    return "\n".join(entries)


if __name__ == "__main__":
    sys.exit(main())
