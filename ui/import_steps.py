"""Imports a package in steps short enough for the GUI thread.

``import pyqtgraph`` runs ~170 module bodies in one go: 60-140 ms on the GUI thread, where it must
run (PySide6 makes its types on first use, not safely across threads: ui/page_loader.py). ``plan``
reads, on the pool, the order in which the package's modules finish importing
(ui/import_order.py); ``imported`` then imports one module per step in that order, and runs a
top-level package's own ``__init__`` one statement per step, each module imported just before the
statement that first needs it. Each module that imports cleanly runs once, finishing in the order,
and reading the partial package, a plain ``import`` would give it.

Until such a package is done, reading a name it does not have yet finishes its import at once
(Plan's chart, opened while Spend loaded, read pyqtgraph's half-run module and failed), except from
within its own steps, where a plain import would not have the name either.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import logging
import sys
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from types import CodeType, ModuleType
from typing import Any

from ui.import_order import Graph, Modules, resolve, source_of

log = logging.getLogger(__name__)

Steps = Iterator[None]


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
    try:
        return _plan(root)
    except Exception:  # a package laid out in a way not foreseen: imported in one go, as before
        log.debug("no import plan for %s", root, exc_info=True)
        return ImportPlan(root, (), ())


def _plan(root: str) -> ImportPlan:
    modules = Modules(root.partition(".")[0])
    spec = modules.spec_of(root)
    if root in sys.modules or spec is None:
        return ImportPlan(root, (), ())
    root_partial = "." not in root and spec.submodule_search_locations is not None
    graph = Graph(modules, root_partial)
    if not root_partial:
        return ImportPlan(root, tuple(graph.leaves_of(root)), ())
    source = source_of(spec)
    if not source:
        return ImportPlan(root, (), ())
    filename = spec.origin or root
    tree = ast.parse(source, filename)
    graph.enter(root)
    flags = 0
    statements: list[Statement] = []
    for index, node in enumerate(tree.body):
        leaves = graph.visit_all(_imports_of(modules, node, root))
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            flags |= _future_flags(node)
        body: list[ast.stmt] = [node]
        if index > 0:  # a lone string later on is no docstring: it must not become __doc__
            body.insert(0, ast.copy_location(ast.Pass(), node))
        code = compile(
            ast.Module(body=body, type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True
        )
        statements.append(Statement(code, tuple(leaves)))
    return ImportPlan(root, (), tuple(statements))


def _imports_of(modules: Modules, node: ast.stmt, root: str) -> list[str]:
    """The modules of our package a top-level import statement of the root imports (the imports
    of any other statement run within it, in its own step)."""
    if isinstance(node, ast.Import):
        return [t for alias in node.names for t in modules.targets(alias.name, ())]
    if isinstance(node, ast.ImportFrom):
        base = resolve(node.level, node.module or "", root, is_package=True)
        return modules.targets(base, tuple(alias.name for alias in node.names)) if base else []
    return []


def imported(import_plan: ImportPlan) -> Steps:
    """Import the planned root on this (the GUI) thread, yielding between steps."""
    if import_plan.statements:
        return _Stepped(import_plan)
    return _leaves_then_root(import_plan)


def _leaves_then_root(import_plan: ImportPlan) -> Generator[None, None, None]:
    for leaf in import_plan.leaves:
        _import_leaf(leaf)
        yield
    importlib.import_module(import_plan.root)


class _Stepped:
    """A top-level package run statement by statement, as an iterator of its steps. Until it is
    done, its module's ``__getattr__`` finishes it on a name it lacks (see the module doc)."""

    def __init__(self, import_plan: ImportPlan):
        self._plan = import_plan
        self._thread = threading.get_ident()
        self._running = False
        self._steps = self._run()

    def __iter__(self) -> _Stepped:
        return self

    def __next__(self) -> None:
        self._running = True
        try:
            return next(self._steps)
        finally:
            self._running = False

    def close(self) -> None:
        """Stopped half-way (``yield from`` passes a close on): the module is taken out again."""
        self._steps.close()

    def _finish(self, module: ModuleType, name: str) -> Any:
        if not self._running and threading.get_ident() == self._thread:
            for _ in self:
                pass
        if name in module.__dict__:
            return module.__dict__[name]
        raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")

    def _run(self) -> Generator[None, None, None]:
        root = self._plan.root
        if root in sys.modules:
            return
        spec = importlib.util.find_spec(root)  # a top-level name: found, not imported
        if spec is None:
            raise ImportError(f"No module named {root!r}", name=root)
        module = importlib.util.module_from_spec(spec)
        finisher = module.__dict__["__getattr__"] = lambda name: self._finish(module, name)
        sys.modules[root] = module
        try:
            for statement in self._plan.statements:
                for leaf in statement.leaves:
                    _import_leaf(leaf)
                    yield
                exec(statement.code, module.__dict__)
                yield
        except BaseException:
            sys.modules.pop(root, None)  # as a failed import leaves it: not half there
            raise
        finally:
            if module.__dict__.get("__getattr__") is finisher:  # not the package's own
                del module.__dict__["__getattr__"]


def _import_leaf(name: str) -> None:
    """Import ``name`` ahead of the statement that needs it, unless a plain import would not: its
    package already has that name (``from pkg import x`` then takes the attribute)."""
    if name in sys.modules:
        return
    parent, _, last = name.rpartition(".")
    package = sys.modules.get(parent)
    if package is not None and last in vars(package):
        return
    try:
        importlib.import_module(name)
    except Exception:  # left to the statement that imports it: it fails, or recovers, as it would
        log.debug("importing %s ahead failed", name, exc_info=True)


def _future_flags(node: ast.ImportFrom) -> int:
    flags = 0
    for alias in node.names:
        feature = getattr(importlib.import_module("__future__"), alias.name, None)
        flags |= getattr(feature, "compiler_flag", 0)
    return flags
