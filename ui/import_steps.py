"""Imports a package in steps short enough for the GUI thread.

``import pyqtgraph`` runs ~170 module bodies in one go: 60-140 ms on the GUI thread, where it must
run (PySide6 makes its types on first use, not safely across threads: ui/page_loader.py). Python
imports depth-first in statement order, so the order in which a package's modules finish importing
(leaf first) can be read without running them. ``plan`` reads it on the pool; ``imported`` then
imports one module per step in that order, and runs a top-level package's own ``__init__`` one
statement per step, each module imported just before the statement that first needs it. Every body
runs once, in the order and with the partial package a plain ``import`` would give it.

Only what is certain is split: imports at a module's top level or in a ``try`` body there (not under
``if``, in a handler, a function or a class), within the root's top-level package. A module in an
import cycle (other than through the root package, which stays partial as in a plain import) is
left to the module that starts the cycle; one whose source cannot be read, to the module that
imports it. A module that fails is left to the statement that imports it, which fails (or recovers)
as it would have. Modules are read from their cached bytecode: parsing pyqtgraph's source took
~0.5 s and held the GIL for up to 46 ms per file, stalling the GUI thread meanwhile.
"""

from __future__ import annotations

import ast
import dis
import importlib
import importlib.machinery
import importlib.util
import logging
import sys
from collections.abc import Generator
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from types import CodeType

log = logging.getLogger(__name__)

Steps = Generator[None, None, None]


@dataclass(frozen=True)
class Statement:
    """One top-level statement of the root package's ``__init__``, with the modules to import first."""

    code: CodeType
    leaves: tuple[str, ...]


@dataclass(frozen=True)
class ImportPlan:
    """``root`` imported in steps: ``leaves`` first, then ``statements`` if the root is a top-level
    package (its ``__init__`` run statement by statement), else the root itself in one step."""

    root: str
    leaves: tuple[str, ...]
    statements: tuple[Statement, ...]


def plan(root: str) -> ImportPlan:
    """Read (never import) ``root``'s modules: safe on any thread. A root already imported, or one
    that cannot be read, gets a plan of one step: the plain import."""
    modules = _Modules(root.partition(".")[0])
    spec = modules.spec_of(root)
    if root in sys.modules or spec is None:
        return ImportPlan(root, (), ())
    graph = _Graph(modules, root_partial="." not in root and spec.submodule_search_locations is not None)
    if not graph.root_partial:
        return ImportPlan(root, tuple(graph.leaves_of(root)), ())
    source = _source(spec)
    try:
        tree = ast.parse(source or "", spec.origin or root)
    except (SyntaxError, ValueError):
        tree = None
    if not source or tree is None:
        return ImportPlan(root, (), ())
    graph.enter(root)
    flags = 0
    statements: list[Statement] = []
    for node in tree.body:
        targets = [t for n in _try_body(node) for t in modules.imports_of(n, root, is_package=True)]
        leaves = graph.visit_all(targets)
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            flags |= _future_flags(node)
        module = ast.Module(body=[node], type_ignores=[])
        code = compile(module, spec.origin or root, "exec", flags=flags, dont_inherit=True)
        statements.append(Statement(code, tuple(leaves)))
    return ImportPlan(root, (), tuple(statements))


def imported(import_plan: ImportPlan) -> Steps:
    """Import the planned root on this (the GUI) thread, yielding between steps."""
    root = import_plan.root
    for leaf in import_plan.leaves:
        _import_leaf(leaf)
        yield
    if root in sys.modules:
        return
    if not import_plan.statements:
        importlib.import_module(root)
        return
    spec = importlib.util.find_spec(root)  # a top-level name: found, not imported
    if spec is None:
        raise ImportError(f"No module named {root!r}", name=root)
    module = importlib.util.module_from_spec(spec)
    sys.modules[root] = module
    try:
        for statement in import_plan.statements:
            for leaf in statement.leaves:
                _import_leaf(leaf)
                yield
            exec(statement.code, module.__dict__)
            yield
    except BaseException:
        sys.modules.pop(root, None)  # as a failed import leaves it: not half there
        raise


def _import_leaf(name: str) -> None:
    if name in sys.modules:
        return
    try:
        importlib.import_module(name)
    except Exception:  # left to the statement that imports it: it fails, or recovers, as it would
        log.debug("importing %s ahead failed", name, exc_info=True)


class _Modules:
    """The modules of one top-level package: found and read without importing them."""

    def __init__(self, top: str):
        self.top = top
        self._specs: dict[str, ModuleSpec | None] = {}

    def spec_of(self, name: str) -> ModuleSpec | None:
        if name not in self._specs:
            self._specs[name] = self._find(name)
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

    def imports_of(self, node: ast.stmt, module: str, is_package: bool) -> list[str]:
        """The modules of our package an import statement imports, parents first."""
        if isinstance(node, ast.Import):
            return [t for alias in node.names for t in self.targets(alias.name, ())]
        if isinstance(node, ast.ImportFrom):
            base = _resolve(node.level, node.module or "", module, is_package)
            return self.targets(base, tuple(alias.name for alias in node.names)) if base else []
        return []

    def targets(self, base: str, names: tuple[str, ...]) -> list[str]:
        """What ``from base import names`` (or ``import base``) imports of our package."""
        found = _with_parents(base) + [f"{base}.{n}" for n in names if n != "*"]
        return [name for name in found if self.spec_of(name) is not None]


class _Graph:
    """Depth-first walk of the imports within one top-level package, in the order Python would run
    them; ``visit_all`` returns the modules that finish, leaf first, each importable alone."""

    def __init__(self, modules: _Modules, root_partial: bool):
        self._modules = modules
        self.root_partial = root_partial  # the root runs statement by statement: no cycle through it
        self._stack: list[str] = []
        self._seen: set[str] = set(sys.modules.copy())  # copied at once: the GUI thread imports too
        self._cycle_depth: int | None = None  # modules finishing deeper than this are in a cycle

    def enter(self, root: str) -> None:
        self._stack.append(root)
        self._seen.add(root)

    def leaves_of(self, root: str) -> list[str]:
        """The modules a (non-package) root imports, leaf first: what to import before it."""
        self.enter(root)
        return self.visit_all(self._imports(root))

    def visit_all(self, names: list[str]) -> list[str]:
        order: list[str] = []
        for name in names:
            self._visit(name, order)
        return order

    def _visit(self, name: str, order: list[str]) -> None:
        if name in self._stack:
            depth = self._stack.index(name)
            if depth > 0 or not self.root_partial:  # left to the module that starts the cycle
                self._cycle_depth = depth if self._cycle_depth is None else min(depth, self._cycle_depth)
            return
        if name in self._seen:
            return
        self._seen.add(name)
        self._stack.append(name)
        for target in self._imports(name):
            self._visit(target, order)
        self._stack.pop()
        depth = len(self._stack)
        if self._cycle_depth is not None and depth > self._cycle_depth:
            return
        if self._cycle_depth == depth:
            self._cycle_depth = None
        order.append(name)

    def _imports(self, name: str) -> list[str]:
        """What module ``name`` imports of our package at its top level (or in a ``try`` body
        there), in order: read from its bytecode, each import's line checked in its source."""
        spec = self._modules.spec_of(name)
        if spec is None:
            return []
        source = _source(spec)
        try:
            code = spec.loader.get_code(name) if source and spec.loader else None  # type: ignore[attr-defined]
        except (ImportError, SyntaxError, ValueError, OSError):
            code = None
        if code is None or source is None:
            return []
        lines = source.splitlines()
        is_package = spec.submodule_search_locations is not None
        found: list[str] = []
        consts: list[object] = []
        for instruction in dis.get_instructions(code):
            if instruction.opname == "IMPORT_NAME" and len(consts) >= 2:
                level, names = consts[-2], consts[-1]
                line = instruction.positions.lineno if instruction.positions else None
                if isinstance(level, int) and line and _unconditional(lines, line):
                    base = _resolve(level, instruction.argval, name, is_package)
                    fromlist = tuple(names) if isinstance(names, tuple) else ()
                    found += self._modules.targets(base, fromlist) if base else []
            if instruction.opname in ("LOAD_CONST", "LOAD_SMALL_INT"):
                consts.append(instruction.argval)
        return found


def _unconditional(lines: list[str], number: int) -> bool:
    """Whether source line ``number`` (1-based) runs whenever its module does: at the top level,
    or in ``try`` bodies only. Read from indentation: a doubt answers False (a coarser step)."""
    if number > len(lines):
        return False
    indent = _indent(lines[number - 1])
    for text in reversed(lines[: number - 1]):
        if indent == 0:
            return True
        stripped = text.strip()
        if not stripped or stripped.startswith("#") or _indent(text) >= indent:
            continue
        if stripped != "try:":
            return False
        indent = _indent(text)
    return indent == 0


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _source(spec: ModuleSpec) -> str | None:
    try:
        return spec.loader.get_source(spec.name) if spec.loader else None  # type: ignore[attr-defined]
    except (ImportError, OSError, SyntaxError, UnicodeDecodeError, AttributeError):
        return None


def _try_body(node: ast.stmt) -> list[ast.stmt]:
    if isinstance(node, ast.Try):
        return [inner for child in node.body for inner in _try_body(child)]
    return [node]


def _future_flags(node: ast.ImportFrom) -> int:
    flags = 0
    for alias in node.names:
        feature = getattr(importlib.import_module("__future__"), alias.name, None)
        flags |= getattr(feature, "compiler_flag", 0)
    return flags


def _resolve(level: int, module: str, importer: str, is_package: bool) -> str | None:
    """The absolute name of ``from <level dots><module> import``, as run in ``importer``."""
    if level == 0:
        return module or None
    package = importer if is_package else importer.rpartition(".")[0]
    parts = package.split(".")
    if level - 1 >= len(parts):
        return None
    base = ".".join(parts[: len(parts) - (level - 1)])
    return f"{base}.{module}" if module else base


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]
