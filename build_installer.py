"""Build LLM Playground as a PyInstaller one-folder bundle for this OS, and smoke-test it.

    python build_installer.py            # build into dist/llm-playground/
    python build_installer.py --smoke    # build, then start it, price, call each SDK, open every mode

Linux: also writes dist/llm-playground.desktop and dist/llm-playground-<version>-linux-<arch>.tar.gz.
macOS: an .app bundle (dist/LLM Playground.app). Windows: dist/llm-playground/llm-playground.exe.
Only the Linux build is tested on the development machines.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from installer_prune import prune, tree_size

ROOT = Path(__file__).resolve().parent
NAME = "llm-playground"
TITLE = "LLM Playground"
# Modules the app never imports. It needs QtCore/Gui/Widgets, and QtOpenGL(Widgets): pyqtgraph's
# PlotCurveItem imports them unconditionally (without them Spend fails to open). pyqtgraph imports
# QtSvg and QtTest inside try/except for SVG export and its tests, which the Spend charts never use.
# mypy and ast_serialize come in through pydantic's mypy plugin.
EXCLUDED = [
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtTest",
    "pyqtgraph.opengl",
    "pyqtgraph.examples",
    "pyqtgraph.jupyter",
    "mypy",
    "ast_serialize",
    "readline",
    "curses",
    # Pulled in only by command-line tools and debug helpers the app never runs (httpx's and
    # genai-prices' CLIs, pydantic's rich printer, help()): 2.6 MB of compiled modules.
    "pygments",
    "rich",
    "markdown_it",
    "mdurl",
    "pydoc_data",
    # East Asian legacy codecs (0.9 MB): every text the app reads and writes is UTF-8; a lookup of
    # one of them fails cleanly with "unknown encoding".
    "_codecs_jp",
    "_codecs_kr",
    "_codecs_cn",
    "_codecs_tw",
    "_codecs_hk",
    "_codecs_iso2022",
    "_multibytecodec",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtNetwork",
    "PySide6.QtSql",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtBluetooth",
    "PySide6.QtNfc",
    "PySide6.QtPositioning",
    "PySide6.QtSerialPort",
    "PySide6.QtSensors",
    "PySide6.QtTextToSpeech",
    "PySide6.Qt3DCore",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtConcurrent",
    "PySide6.QtXml",
    "PySide6.QtDBus",
    "tkinter",
    "matplotlib",
    "IPython",
    "pytest",
]


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from playground import __version__

    return __version__


def build() -> Path:
    import PyInstaller.__main__

    work = Path(tempfile.mkdtemp(prefix="pyi-"))
    entry = work / "llm_playground_main.py"
    entry.write_text("from ui.launcher import main\nraise SystemExit(main())\n")
    sep = os.pathsep
    icon = ROOT / "resources" / "icons" / "app.png"
    args = [
        str(entry),
        "--name",
        NAME,
        "--onedir",
        "--noconfirm",
        "--clean",
        "--distpath",
        str(ROOT / "dist"),
        "--workpath",
        str(work / "build"),
        "--specpath",
        str(work),
        "--paths",
        str(ROOT),
        "--add-data",
        f"{ROOT / 'resources'}{sep}resources",
        # Packages that read their own metadata at run time (versions, keyring's backend entry points).
        *("--copy-metadata", "genai_prices", "--copy-metadata", "keyring", "--copy-metadata", "openai"),
        *("--copy-metadata", "anthropic", "--copy-metadata", "llm-playground"),
        "--collect-data",
        "genai_prices",
        "--collect-submodules",
        "playground",
        "--collect-submodules",
        "ui",
        "--hidden-import",
        "keyring.backends.SecretService",
        "--hidden-import",
        "keyring.backends.macOS",
        "--hidden-import",
        "keyring.backends.Windows",
    ]
    for module in EXCLUDED:
        args += ["--exclude-module", module]
    if sys.platform == "darwin":
        args += ["--windowed", "--osx-bundle-identifier", "org.llm-playground.app"]
    if sys.platform == "win32":
        args += ["--windowed"]
    if icon.exists() and sys.platform != "linux":
        args += ["--icon", str(icon)]  # PyInstaller converts it where Pillow is installed
    PyInstaller.__main__.run(args)
    shutil.rmtree(work, ignore_errors=True)
    bundle = ROOT / "dist" / NAME
    add_sources(bundle)
    prune(bundle)
    if sys.platform == "linux":
        write_linux_extras(bundle)
    return bundle


# Packages whose sources ship beside their bytecode: the app reads from them in what order to import
# their modules one per step (ui/import_steps.py). Without them Spend's first open imported
# pyqtgraph in one go, freezing the window for ~100 ms (the spend check counts the steps).
STEPWISE_SOURCES = ("pyqtgraph", "ui")
MIN_SPEND_STEPS = 200  # ~295 in all, ~190 of them pyqtgraph's; without its sources ~100


def add_sources(bundle: Path) -> None:
    import importlib.util

    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    copied = 0
    for package in STEPWISE_SOURCES:
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.origin is not None, package
        root = Path(spec.origin).parent
        for source in root.rglob("*.py"):
            name = ".".join((package, *source.relative_to(root).with_suffix("").parts))
            if any(name == m or name.startswith(f"{m}.") for m in EXCLUDED) or "__pycache__" in name:
                continue
            target = internal / package / source.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            copied += source.stat().st_size
    print(f"added {copied / 1e6:.1f} MB of sources ({', '.join(STEPWISE_SOURCES)})")


def write_linux_extras(bundle: Path) -> None:
    desktop = ROOT / "dist" / f"{NAME}.desktop"
    desktop.write_text(
        "[Desktop Entry]\nType=Application\n"
        f"Name={TITLE}\nComment=Playground and cost calculator for LLM APIs\n"
        f"Exec={bundle / NAME}\nIcon={bundle / '_internal' / 'resources' / 'icons' / 'app.png'}\n"
        "Categories=Development;Utility;\nTerminal=false\n"
    )
    shutil.copy(desktop, bundle / f"{NAME}.desktop")
    archive = ROOT / "dist" / f"{NAME}-{version()}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bundle, arcname=NAME)
    print(f"wrote {desktop} and {archive}")


def executable(bundle: Path) -> Path:
    if sys.platform == "win32":
        return bundle / f"{NAME}.exe"
    return bundle / NAME


def smoke(bundle: Path) -> None:
    """Start the bundled app against a temporary data folder; fail loudly unless it paints."""
    exe = executable(bundle)
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PLAYGROUND_HOME": home}
        env.setdefault(
            "QT_QPA_PLATFORM",
            "offscreen"
            if sys.platform == "linux" and not os.environ.get("DISPLAY")
            else env.get("QT_QPA_PLATFORM", ""),
        )
        if not env["QT_QPA_PLATFORM"]:
            env.pop("QT_QPA_PLATFORM")
        start = time.perf_counter()
        out = subprocess.run([str(exe), "--smoke"], capture_output=True, text=True, env=env, timeout=120)
        elapsed = (time.perf_counter() - start) * 1000
        if out.returncode != 0 or "SMOKE OK" not in out.stdout:
            sys.exit(f"SMOKE FAILED (exit {out.returncode}):\n{out.stdout}\n{out.stderr[-3000:]}")
        print(f"{out.stdout.strip()}  (whole process {elapsed:.0f} ms)")
        cost = subprocess.run(
            [str(exe), "cost", "-m", "gpt-4o-mini", "--input", "1000", "--output", "500"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        if cost.returncode != 0 or not cost.stdout.startswith("$"):
            sys.exit(f"COST CHECK FAILED (exit {cost.returncode}):\n{cost.stdout}\n{cost.stderr[-3000:]}")
        print(f"cost check: {cost.stdout.strip()}")
        costs = call_check(exe, env)
        spend_check(exe, env, costs)
    print(f"bundle size: {tree_size(bundle) / 1e6:.0f} MB in {bundle}")


CALLS = (  # (API style, model, genai-prices provider): one call through each SDK in the bundle
    ("openai", "gpt-4o-mini", "openai"),
    ("anthropic", "claude-3-5-haiku-latest", "anthropic"),
)


def call_check(exe: Path, env: dict[str, str]) -> list[str]:
    """Run a call through each SDK against a local test server, from the bundle and from the source
    tree: the bundle must print the same answer and the same (reported, not estimated) price.
    Returns the prices (USD, as printed), which Spend must then add up."""
    costs = []
    for api, model, provider in CALLS:
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.servers.serve", api, "--tokens", "20"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            url = server.stdout.readline().strip() if server.stdout else ""
            command = ["run", "--json", "-m", model, "--base-url", url, "--api", api]
            command += ["--price-as", provider, "Say hi"]
            ours = run_json([str(exe), *command], env)
            with tempfile.TemporaryDirectory() as home:
                source = run_json(
                    [sys.executable, "-m", "playground", *command], {**env, "PLAYGROUND_HOME": home}
                )
        finally:
            server.communicate("")
        same = all(ours[k] == source[k] for k in ("text", "input_tokens", "output_tokens", "cost_usd"))
        if ours["status"] != "ok" or ours["cost_estimated"] or not same:
            sys.exit(f"CALL CHECK FAILED ({api}):\nbundle: {ours}\nsource: {source}")
        print(
            f"call check ({api}): {ours['output_tokens']} tokens, ${ours['cost_usd']} as from the source tree"
        )
        costs.append(ours["cost_usd"])
    return costs


def spend_check(exe: Path, env: dict[str, str], costs: list[str]) -> None:
    """Start the bundle with --smoke and PLAYGROUND_SMOKE=modes (ui/smoke.py), offscreen: it opens
    every mode, waits for Spend to draw its charts (pyqtgraph, numpy) of the calls just made, and
    quits. Spend must count those calls and their summed price, and every mode must open; its
    modules must load in steps (pyqtgraph one module a step: its sources are in the bundle)."""
    from decimal import Decimal

    from ui.actions import MODES

    smoke_env = {**env, "PLAYGROUND_SMOKE": "modes", "QT_QPA_PLATFORM": "offscreen"}
    if os.environ.get("SMOKE_SCREENSHOTS"):  # look at them: python build_installer.py --no-build
        smoke_env["PLAYGROUND_SMOKE_SHOTS"] = os.environ["SMOKE_SCREENSHOTS"]
    out = subprocess.run([str(exe), "--smoke"], capture_output=True, text=True, env=smoke_env, timeout=180)
    lines = out.stdout.splitlines()
    spend = dict(
        f.split("=") for f in next((x for x in lines if x.startswith("SMOKE SPEND ")), "").split()[2:]
    )
    opened = [x.removeprefix("SMOKE MODE ") for x in lines if x.startswith("SMOKE MODE ")]
    expected = {"calls": str(len(costs)), "priced": str(sum(map(Decimal, costs))), "unpriced": "0"}
    if (
        out.returncode != 0
        or "Traceback" in out.stderr
        or opened != [name for name, _ in MODES]
        or any(Decimal(spend.get(k, "-1")) != Decimal(v) for k, v in expected.items())
        or int(spend.get("bars", 0)) < 1
        or int(spend.get("steps", 0)) < MIN_SPEND_STEPS
    ):
        sys.exit(
            f"SPEND CHECK FAILED (exit {out.returncode}), expected {expected} and at least"
            f" {MIN_SPEND_STEPS} steps (pyqtgraph's sources in the bundle):\n"
            f"{out.stdout}\n{out.stderr[-3000:]}"
        )
    print(
        f"spend check: opened {', '.join(opened)}; Spend drew {spend['calls']} calls, ${spend['priced']},"
        f" loaded in {spend['steps']} steps"
    )


def run_json(command: list[str], env: dict[str, str]) -> dict:
    import json

    out = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    if out.returncode != 0:
        sys.exit(f"CALL FAILED (exit {out.returncode}): {command}\n{out.stdout}\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="after building, start the bundle and check it")
    parser.add_argument("--no-build", action="store_true", help="smoke-test an existing dist/ bundle")
    args = parser.parse_args()
    bundle = ROOT / "dist" / NAME if args.no_build else build()
    if args.smoke or args.no_build:
        smoke(bundle)


if __name__ == "__main__":
    main()
