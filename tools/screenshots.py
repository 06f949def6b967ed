"""Regenerate docs/screenshots/ (the README's pictures and the AppStream screenshots), one command:

    .venv/bin/python tools/screenshots.py [--app PATH] [--size 1366x768] [--out docs/screenshots]

It runs the real app headless on a fresh, temporary data dir seeded from the bundled snapshot:

    rotation-desk --offline --data-dir TMP/data --smoke --window-size 1366x768 --theme light --screenshot-dir TMP/light
    rotation-desk --offline --data-dir TMP/data --smoke --window-size 1366x768 --theme dark  --screenshot-dir TMP/dark

picks the screens listed in SHOTS below from what ``--smoke`` saved (``2-compare-p1-1-growth-of-10-000.png``
...), copies them under names that say what they show, makes them small (pngquant, lossy within a
quality floor, then optipng, lossless; both from Debian, installed with apt-get when missing and
run as root), removes PNGs of earlier runs that are no longer listed, and writes
``docs/screenshots/screenshots.json`` (file, caption, width, height, theme) for the AppStream
metainfo that packaging/linux/build_deb.sh generates.

``--app`` runs another build instead of this checkout, e.g. the frozen bundle
``dist/rotation-desk/rotation-desk``. A screen missing from the smoke run (a page renamed) stops the
run with the names that are there, so SHOTS can be updated. Exit 0 when every file was written and is
within ``--max-kb`` (default 250).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
MANIFEST = "screenshots.json"


@dataclass(frozen=True)
class Shot:
    file: str  # the name in docs/screenshots/
    tab: str  # the tab's key (the smoke run's file names: "2-compare...")
    page: str | None  # the page's slug (its sub-tab title, lower case, dashes); None: the tab as it opens
    caption: str  # what it shows (README alt text, AppStream caption)
    theme: str = "light"


# In the app's tab order; the first is the AppStream default screenshot. Each tab as it opens, and the
# pages worth showing.
SHOTS = (
    Shot(
        "market-overview-rotation-pairs.png",
        "overview",
        None,
        "Market Overview: the rotation pairs (small vs large, value vs growth, international vs US)",
    ),
    Shot(
        "market-overview-thesis-scorecard.png",
        "overview",
        "thesis-scorecard",
        "Thesis scorecard: each claim of the rotation article checked against ETF prices",
    ),
    Shot(
        "etf-comparison-growth.png",
        "compare",
        None,
        "ETF Comparison: growth of $10,000 in DFAT, VBR, AVUV and EEMV against SPY, with their metrics",
    ),
    Shot(
        "sector-tilts-rotation-graph.png",
        "sectors",
        None,
        "Sector Tilts: relative rotation graph of the SPDR sector funds against SPY",
    ),
    Shot(
        "sector-tilts-backtest.png",
        "sectors",
        "tilt-backtest",
        "Tilt backtest: a sector-tilted portfolio against SPY, with each holding's contribution",
    ),
    Shot(
        "dca-planner-schedule.png",
        "dca",
        None,
        "DCA Planner: a monthly dollar-cost-averaging plan and its buy dates on NYSE sessions",
    ),
    Shot(
        "dca-planner-backtest.png",
        "dca",
        "backtest",
        "DCA backtest: the plan against money invested, a lump sum and the same plan into SPY",
    ),
    Shot(
        "etf-comparison-growth-dark.png",
        "compare",
        None,
        "ETF Comparison in the dark theme",
        theme="dark",
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", help="the rotation-desk executable to run (default: this checkout, with this Python)")
    parser.add_argument("--size", default="1366x768", help="window size WxH (default 1366x768)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go (default docs/screenshots)")
    parser.add_argument("--max-kb", type=int, default=250, help="fail when a PNG is larger (default 250)")
    parser.add_argument("--keep", type=Path, help="also keep every smoke screenshot (raw) in this folder")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{3,4}x\d{3,4}", args.size):
        parser.error(f"--size {args.size!r} is not WxH, e.g. 1366x768")
    app = [args.app] if args.app else app_command()
    tools = optimisers()

    out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="rd-screenshots-") as tmp:
        tmp = Path(tmp)
        shots_dir = {}
        for theme in sorted({s.theme for s in SHOTS}):
            shots_dir[theme] = tmp / theme
            smoke(app, tmp / "data", args.size, theme, shots_dir[theme])
        if args.keep:
            for theme, folder in shots_dir.items():
                shutil.copytree(folder, args.keep / theme, dirs_exist_ok=True)

        picked = [(shot, pick(shot, shots_dir[shot.theme])) for shot in SHOTS]
        out.mkdir(parents=True, exist_ok=True)
        manifest = []
        too_big = []
        for shot, source in picked:
            target = out / shot.file
            tmp_target = tmp / shot.file
            shutil.copyfile(source, tmp_target)
            optimise(tmp_target, tools)
            shutil.move(tmp_target, target)
            width, height = png_size(target)
            kb = target.stat().st_size / 1024
            if kb > args.max_kb:
                too_big.append(f"{shot.file} ({kb:.0f} kB)")
            manifest.append(
                {"file": shot.file, "caption": shot.caption, "width": width, "height": height, "theme": shot.theme}
            )
            print(f"screenshots: {shot.file:40} {width}x{height} {kb:6.0f} kB  <- {source.name} ({shot.theme})")

    listed = {s.file for s in SHOTS}
    for old in sorted(out.glob("*.png")):
        if old.name not in listed:
            old.unlink()
            print(f"screenshots: removed {old.name} (no longer listed)")
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"screenshots: wrote {len(manifest)} PNGs and {MANIFEST} to {rel(out)}")

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    unshown = [s.file for s in SHOTS if f"docs/screenshots/{s.file}" not in readme]
    if unshown and out == OUT.resolve():
        print(f"screenshots: note: README.md does not show {', '.join(unshown)}")
    if too_big:
        print(f"screenshots: error: over {args.max_kb} kB: {', '.join(too_big)}", file=sys.stderr)
        return 1
    return 0


def app_command() -> list[str]:
    """This checkout's app, run by this interpreter (the project's .venv)."""
    try:
        import rotation_desk  # noqa: F401
    except ImportError:
        venv = ROOT / ".venv" / "bin" / "python"
        hint = f"run it with {rel(venv)}" if venv.exists() else "create the venv first: python3 bootstrap.py app"
        raise SystemExit(f"screenshots: rotation_desk is not importable with {sys.executable}; {hint}") from None
    return [sys.executable, "-m", "rotation_desk"]


def smoke(app: list[str], data: Path, size: str, theme: str, shots: Path) -> None:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("ROTATION_DESK_DATA_DIR", None)
    cmd = [*app, "--offline", "--data-dir", str(data), "--smoke", "--window-size", size, "--theme", theme]
    cmd += ["--screenshot-dir", str(shots)]
    print(f"screenshots: {' '.join(cmd)}", flush=True)
    done = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout)
        raise SystemExit(f"screenshots: the smoke run ({theme}) exited {done.returncode}")


def pick(shot: Shot, folder: Path) -> Path:
    """The smoke screenshot of ``shot``: ``<n>-<tab>.png`` or ``<n>-<tab>-p<k>-<j>-<page>.png``."""
    if shot.page is None:
        pattern = re.compile(rf"\d+-{re.escape(shot.tab)}\.png")
    else:
        pattern = re.compile(rf"\d+-{re.escape(shot.tab)}-p\d+-\d+-{re.escape(shot.page)}\.png")
    found = sorted(p for p in folder.glob("*.png") if pattern.fullmatch(p.name))
    if not found:
        there = ", ".join(sorted(p.stem for p in folder.glob("*.png"))) or "none"
        raise SystemExit(
            f"screenshots: the smoke run saved no screen for {shot.file} (tab {shot.tab!r}, page {shot.page!r}); "
            f"update SHOTS in tools/screenshots.py. Saved: {there}"
        )
    return found[0]


def optimisers() -> dict[str, str]:
    """pngquant and optipng (Debian packages), installed with apt-get when missing and allowed."""
    wanted = {"pngquant": "pngquant", "optipng": "optipng"}
    missing = [pkg for tool, pkg in wanted.items() if shutil.which(tool) is None]
    if missing and shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        if not sudo or shutil.which("sudo"):
            print(f"screenshots: installing {' '.join(missing)} (apt-get)", flush=True)
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            install = [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
            quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
            if subprocess.run(install, **quiet).returncode != 0:
                subprocess.run([*sudo, "apt-get", "update", "-qq"], **quiet)
                subprocess.run(install, **quiet)
    tools = {tool: path for tool in wanted if (path := shutil.which(tool))}
    for tool in wanted:
        if tool not in tools:
            print(f"screenshots: warning: {tool} is not available (apt-get install {tool}); PNGs stay larger")
    return tools


def optimise(path: Path, tools: dict[str, str]) -> None:
    if "pngquant" in tools:
        # Lossy to a 256-colour palette; exit 99 when the quality would fall under 80: keep the original then.
        quant = path.with_suffix(".q.png")
        cmd = [tools["pngquant"], "--quality=80-100", "--speed=1", "--strip", "--force", "--output", str(quant), "--"]
        done = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
        if done.returncode == 0 and quant.stat().st_size < path.stat().st_size:
            os.replace(quant, path)
        else:
            quant.unlink(missing_ok=True)
            if done.returncode not in (0, 98, 99):
                print(f"screenshots: warning: pngquant on {path.name}: {done.stderr.strip()}")
    if "optipng" in tools:
        subprocess.run([tools["optipng"], "-quiet", "-o2", "-strip", "all", str(path)], check=True)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise SystemExit(f"screenshots: {path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
