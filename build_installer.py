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
    prune(bundle)
    if sys.platform == "linux":
        write_linux_extras(bundle)
    return bundle


# Qt plugin folders the app loads: the windowing systems, input methods (compose keys, IBus), the
# desktop portal theme, native styles (macOS, Windows). Not the image formats (it shows only PNG,
# built into QtGui, and no images from Markdown: ui/common/safe_text.py), SVG icons, touch/evdev
# input, EGLFS/framebuffer/VNC, nor the GTK3 theme (its GTK, GDK, Cairo and Pango add 20 MB).
KEPT_PLUGINS = ("platforms", "platformthemes", "platforminputcontexts", "xcbglintegrations", "styles")
KEPT_PLATFORMS = ("xcb", "wayland", "offscreen", "cocoa", "windows")
DROPPED_THEMES = ("gtk3",)
# Wayland: OpenGL buffer sharing (the app draws widgets into shared memory) and the libadwaita
# decorations, which alone pull in Qt SVG (0.7 MB, then unlinked); the built-in decorations stay.
DROPPED_WAYLAND = ("wayland-graphics-integration-client", "libadwaita")


def prune(bundle: Path) -> None:
    """Remove what the app never loads: Qt's translations (its text is English only), unused Qt
    plugins, then (Linux) every shared library nothing left in the bundle links to."""
    before = tree_size(bundle)
    for folder in bundle.rglob("translations"):
        if folder.is_dir() and "PySide6" in folder.parts:
            shutil.rmtree(folder)
    for record in bundle.rglob("*.dist-info/RECORD"):  # installers' file lists (1.3 MB); versions
        record.unlink()  # and entry points, which the app reads, are in METADATA and entry_points.txt
    for plugins in bundle.rglob("plugins"):
        if "PySide6" in plugins.parts and plugins.is_dir():
            for path in unused_plugins(plugins):
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
    if sys.platform == "linux":
        for path in unlinked_libraries(bundle):
            path.unlink()
        # Symbol tables and debug info (34 MB: libpython, cryptography, ICU); never the executable,
        # whose archive strip would cut off, nor auditwheel's patched libraries (numpy.libs' OpenBLAS
        # then fails: "ELF load command address/offset not page-aligned").
        for path in bundle.rglob("*.so*"):
            wheel_repaired = any(part.endswith(".libs") for part in path.parts)  # strip breaks them
            if path.is_file() and not path.is_symlink() and is_elf(path) and not wheel_repaired:
                subprocess.run(["strip", "--strip-unneeded", str(path)], check=True)
        for path in bundle.rglob("libicudata.so.*"):
            if not path.is_symlink():  # _internal/ links to the one in PySide6/Qt/lib
                trim_icu_data(path)
    print(f"pruned {(before - tree_size(bundle)) / 1e6:.0f} MB from {bundle}")


# ICU data Qt never reads (32 → 18 MB). Qt calls ICU only for collation, case mapping, time zones
# (ids and display names) and legacy codecs (readelf: libQt6Core's ICU imports); these folders serve
# break iteration, unit, currency and language names, transliteration and number spelling.
DROPPED_ICU = ("brkitr", "unit", "curr", "lang", "translit", "rbnf")


def trim_icu_data(lib: Path) -> None:
    """Rebuild Qt's libicudata without DROPPED_ICU: its one symbol (icudtNN_dat) is ICU's common
    data file, a table of named items; keep the others and link them back into a library with the
    same soname and symbol. Skipped where binutils cannot write this machine's ELF (not x86-64)."""
    if platform.machine() != "x86_64" or not (shutil.which("objcopy") and shutil.which("ld")):
        print(f"ICU data kept whole ({lib.name}): needs x86-64 and binutils")
        return
    import re

    symbols = subprocess.run(["readelf", "--dyn-syms", "-W", str(lib)], capture_output=True, text=True)
    found = re.search(
        r"([0-9a-f]+)\s+(\S+)\s+OBJECT\s+GLOBAL\s+DEFAULT\s+\d+\s+(icudt\d+_dat)", symbols.stdout
    )
    if found is None:
        sys.exit(f"ICU data symbol not found in {lib}")
    address, size, symbol = int(found[1], 16), int(found[2], 0), found[3]
    data = lib.read_bytes()[address : address + size]  # the first segment maps file offset 0 at 0
    with tempfile.TemporaryDirectory() as work:
        Path(work, "icudt.dat").write_bytes(icu_without(data, DROPPED_ICU))
        binary = ["objcopy", "-I", "binary", "-O", "elf64-x86-64", "-B", "i386:x86-64"]
        binary += ["--rename-section", ".data=.rodata,alloc,load,readonly,data,contents"]
        binary += ["--set-section-alignment", ".rodata=16", "icudt.dat", "icudt.o"]
        subprocess.run(binary, cwd=work, check=True)
        link = ["ld", "-shared", "-soname", lib.name, "--defsym", f"{symbol}=_binary_icudt_dat_start"]
        subprocess.run([*link, "-o", "lib.so", "icudt.o"], cwd=work, check=True)
        shutil.move(Path(work, "lib.so"), lib)


def icu_without(blob: bytes, folders: tuple[str, ...]) -> bytes:
    """An ICU common data file (header; item count; (name offset, data offset) pairs from the count;
    names; items 16-byte aligned) without the items under ``folders`` (names are "icudt73l/coll/…")."""
    import struct

    header = struct.unpack_from("<H", blob)[0]
    count = struct.unpack_from("<I", blob, header)[0]
    offsets = [struct.unpack_from("<II", blob, header + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(offsets):
        name = blob[header + name_at : blob.index(b"\0", header + name_at)]
        end = offsets[i + 1][1] if i + 1 < count else len(blob) - header
        if name.split(b"/")[1].decode() not in folders:
            items.append((name, blob[header + data_at : header + end]))
    names = b"".join(name + b"\0" for name, _ in items)
    first = 4 + 8 * len(items) + len(names)
    first += -first % 16
    table, body, name_at = struct.pack("<I", len(items)), b"", 4 + 8 * len(items)
    for name, item in items:
        table += struct.pack("<II", name_at, first + len(body))
        name_at += len(name) + 1
        body += item + b"\0" * (-len(item) % 16)
    table += names
    return blob[:header] + table + b"\0" * (first - len(table)) + body


def unused_plugins(plugins: Path) -> list[Path]:
    unused = []
    for folder in plugins.iterdir():
        if folder.name in DROPPED_WAYLAND or not (
            folder.name in KEPT_PLUGINS or folder.name.startswith("wayland-")
        ):
            unused.append(folder)
        elif folder.name.startswith("wayland-"):
            unused += [f for f in folder.iterdir() if any(k in f.name for k in DROPPED_WAYLAND)]
        elif folder.name == "platforms":
            unused += [f for f in folder.iterdir() if not any(k in f.name for k in KEPT_PLATFORMS)]
        elif folder.name == "platformthemes":
            unused += [f for f in folder.iterdir() if any(k in f.name for k in DROPPED_THEMES)]
    return unused


def is_library(path: Path) -> bool:
    """A shared library loaded only because another binary links to it (not a Python extension
    module, a Qt plugin or libpython, which are loaded by name at run time)."""
    name = path.name
    return (
        name.startswith("lib")
        and ".so" in name
        and ".abi3." not in name
        and ".cpython-" not in name
        and not name.startswith("libpython")
        and "plugins" not in path.parts
    )


def needed(path: Path) -> set[str]:
    """The sonames an ELF file links to (readelf's DT_NEEDED entries)."""
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return {line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line}


def unlinked_libraries(bundle: Path) -> list[Path]:
    """Libraries no remaining binary needs, directly or through another library (they came in with
    the plugins and modules removed above). A symlink counts by its own name, like its target."""
    files = [f for f in bundle.rglob("*") if f.is_file() or f.is_symlink()]
    libraries: dict[str, list[Path]] = {}
    for f in files:
        if is_library(f):
            libraries.setdefault(f.name, []).append(f)
    todo = [f for f in files if not f.is_symlink() and not is_library(f) and is_elf(f)]
    kept: set[Path] = set()
    while todo:
        for name in needed(todo.pop()):
            for target in {f.resolve() for f in libraries.get(name, ())} - kept:
                kept.add(target)
                todo.append(target)
    return [f for paths in libraries.values() for f in paths if f.resolve() not in kept]


def is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def tree_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


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
    quits. Spend must count those calls and their summed price, and every mode must open."""
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
    ):
        sys.exit(
            f"SPEND CHECK FAILED (exit {out.returncode}), expected {expected}:\n"
            f"{out.stdout}\n{out.stderr[-3000:]}"
        )
    print(f"spend check: opened {', '.join(opened)}; Spend drew {spend['calls']} calls, ${spend['priced']}")


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
