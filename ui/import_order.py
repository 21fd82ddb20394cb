"""In what order a package's modules finish importing, read without importing them (safe on the pool).

Python imports depth-first in statement order, so the order in which modules finish (leaf first)
follows from their imports. Each module's imports are read from its cached bytecode (``IMPORT_NAME``
at its top level: parsing pyqtgraph's sources instead took ~0.5 s and held the GIL up to 46 ms a
file), and each import's source line says whether it surely runs:

- RUNS: an ``import``/``from`` statement at the top level;
- NEVER: under ``if TYPE_CHECKING:``;
- MAYBE: anything else (under another ``if``, in a ``try`` whose import may fail and is then run
  again, a one-line compound statement). A module's imports are not read past its first MAYBE
  import of our package: that import may run before the ones after it, so importing those ahead
  would change the order.

A module in an import cycle (other than through a root package, which ui/import_steps.py runs
statement by statement and so stays partial as in a plain import) is left to the module that
starts the cycle; one that cannot be read, to the module that imports it: a coarser step, never a
different import.
"""

from __future__ import annotations

import dis
import enum
import importlib.machinery
import importlib.util
import re
import sys
from importlib.machinery import ModuleSpec

LINES = re.compile(r"\r\n|\r|\n")  # how the tokenizer numbers lines (str.splitlines also splits on \f)
TYPE_CHECKING_IF = ("if TYPE_CHECKING:", "if typing.TYPE_CHECKING:")


class Runs(enum.Enum):
    RUNS = "runs"
    NEVER = "never"
    MAYBE = "maybe"


class Modules:
    """The modules of one top-level package: found and read without importing them."""

    def __init__(self, top: str):
        self.top = top
        self._specs: dict[str, ModuleSpec | None] = {}

    def spec_of(self, name: str) -> ModuleSpec | None:
        if name not in self._specs:
            try:
                self._specs[name] = self._find(name)
            except Exception:  # a namespace package's path reads its parent from sys.modules
                self._specs[name] = None
        return self._specs[name]

    def _find(self, name: str) -> ModuleSpec | None:
        if name.partition(".")[0] != self.top:
            return None
        parent, _, _ = name.rpartition(".")
        if not parent:
            spec = importlib.util.find_spec(name)  # a top-level name: found, never imported
        else:
            parent_spec = self.spec_of(parent)
            paths = parent_spec.submodule_search_locations if parent_spec is not None else None
            spec = importlib.machinery.PathFinder.find_spec(name, list(paths)) if paths else None
        return spec if spec is not None and spec.loader is not None else None

    def targets(self, base: str, names: tuple[str, ...]) -> list[str]:
        """What ``from base import names`` (or ``import base``) imports of our package, parents first."""
        found = with_parents(base) + [f"{base}.{n}" for n in names if n != "*"]
        return [name for name in found if self.spec_of(name) is not None]

    def imports(self, name: str) -> list[str]:
        """What module ``name`` surely imports of our package first, in order (see the module doc)."""
        spec = self.spec_of(name)
        source = source_of(spec) if spec is not None else None
        try:
            code = spec.loader.get_code(name) if spec and spec.loader and source else None  # type: ignore[attr-defined]
        except (ImportError, SyntaxError, ValueError, OSError):
            code = None
        if spec is None or code is None or source is None:
            return []
        lines = LINES.split(source)
        is_package = spec.submodule_search_locations is not None
        found: list[str] = []
        consts: list[object] = []
        for instruction in dis.get_instructions(code):
            if instruction.opname in ("LOAD_CONST", "LOAD_SMALL_INT"):
                consts.append(instruction.argval)
            if instruction.opname != "IMPORT_NAME" or len(consts) < 2:
                continue
            level, names = consts[-2], consts[-1]
            base = resolve(level, instruction.argval, name, is_package) if isinstance(level, int) else None
            if base is None or base.partition(".")[0] != self.top:
                continue
            line = instruction.positions.lineno if instruction.positions else None
            runs = runs_at(lines, line) if line else Runs.MAYBE
            if runs is Runs.MAYBE:
                break  # it may run before the imports after it: leave those to the module
            if runs is Runs.RUNS:
                found += self.targets(base, tuple(names) if isinstance(names, tuple) else ())
        return found


class Graph:
    """Depth-first walk of the imports within one top-level package, in the order Python would run
    them; ``visit_all`` returns the modules that finish, leaf first, each importable alone."""

    def __init__(self, modules: Modules, root_partial: bool):
        self._modules = modules
        self._root_partial = root_partial  # the root runs statement by statement: no cycle through it
        self._stack: list[str] = []
        self._seen: set[str] = set(sys.modules.copy())  # copied at once: the GUI thread imports too
        self._cycle_depth: int | None = None  # modules finishing deeper than this are in a cycle

    def enter(self, root: str) -> None:
        self._stack.append(root)
        self._seen.add(root)

    def leaves_of(self, root: str) -> list[str]:
        """What to import before a (non-package or dotted) root, leaf first: its parent packages
        (a plain import runs them first), then what it imports."""
        self.enter(root)
        return self.visit_all(with_parents(root)[:-1] + self._modules.imports(root))

    def visit_all(self, names: list[str]) -> list[str]:
        order: list[str] = []
        for name in names:
            self._visit(name, order)
        return order

    def _visit(self, name: str, order: list[str]) -> None:
        if name in self._stack:
            depth = self._stack.index(name)
            if depth > 0 or not self._root_partial:  # left to the module that starts the cycle
                self._cycle_depth = depth if self._cycle_depth is None else min(depth, self._cycle_depth)
            return
        if name in self._seen:
            return
        self._seen.add(name)
        self._stack.append(name)
        for target in self._modules.imports(name):
            self._visit(target, order)
        self._stack.pop()
        depth = len(self._stack)
        if self._cycle_depth is not None and depth > self._cycle_depth:
            return
        if self._cycle_depth == depth:
            self._cycle_depth = None
        order.append(name)


def runs_at(lines: list[str], number: int) -> Runs:
    """Whether the import on source line ``number`` (1-based) runs whenever its module does, read
    from indentation; a doubt answers MAYBE (a coarser step)."""
    if number > len(lines):
        return Runs.MAYBE
    text = lines[number - 1]
    stripped = text.strip()
    if not stripped.startswith(("import ", "from ")):
        return Runs.NEVER if stripped.startswith(TYPE_CHECKING_IF) else Runs.MAYBE  # a one-liner
    indent = _indent(text)
    if indent == 0:
        return Runs.RUNS
    for above in reversed(lines[: number - 1]):
        header = above.strip()
        if not header or header.startswith("#") or _indent(above) >= indent:
            continue
        if header in TYPE_CHECKING_IF:
            return Runs.NEVER
        indent = _indent(above)
        if indent == 0:
            return Runs.MAYBE
    return Runs.MAYBE


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def source_of(spec: ModuleSpec) -> str | None:
    try:
        return spec.loader.get_source(spec.name) if spec.loader else None  # type: ignore[attr-defined]
    except (ImportError, OSError, SyntaxError, UnicodeDecodeError, AttributeError):
        return None


def resolve(level: int, module: str, importer: str, is_package: bool) -> str | None:
    """The absolute name of ``from <level dots><module> import``, as run in ``importer``."""
    if level == 0:
        return module or None
    package = importer if is_package else importer.rpartition(".")[0]
    parts = package.split(".")
    if level - 1 >= len(parts):
        return None
    base = ".".join(parts[: len(parts) - (level - 1)])
    return f"{base}.{module}" if module else base


def with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]
