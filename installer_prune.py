"""What build_installer.py removes from the PyInstaller bundle: Qt's translations and unused
plugins, installers' file lists, and (Linux) every shared library nothing in the bundle links to,
stripped of symbols, with ICU's data trimmed to what Qt's text handling reads."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

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
