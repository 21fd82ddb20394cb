"""Build LLM Playground as a PyInstaller one-folder bundle for this OS, and smoke-test it.

    python build_installer.py            # build into dist/llm-playground/
    python build_installer.py --smoke    # build, then start the bundle with --smoke and run a cost check

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
# Qt modules the app never uses (it needs QtCore/Gui/Widgets, and QtSvg/QtOpenGL for pyqtgraph).
EXCLUDED = [
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
    # Qt's own translations (7 MB): the app's text is English only.
    for folder in bundle.rglob("translations"):
        if folder.is_dir() and "PySide6" in folder.parts:
            shutil.rmtree(folder)
    if sys.platform == "linux":
        write_linux_extras(bundle)
    return bundle


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
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"bundle size: {size / 1e6:.0f} MB in {bundle}")


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
