"""A package imported in steps (ui/import_steps.py) ends as a plain import would: the same modules,
finished in the same order, with the same values; split one module a step; what a plain import
would not run (an `if` branch, an except handler) never runs; an import cycle is left whole; a name
read from the half-imported package finishes it."""

import logging
import subprocess
import sys
import textwrap

import pytest

from ui.import_steps import imported, plan

PACKAGE = {
    "__init__.py": """
        from __future__ import annotations
        from steplog import done
        CONFIG = {"colour": "blue"}
        def config(key): return CONFIG[key]
        def typed(x: NotDefinedAnywhere) -> None: ...  # needs the __future__ import above
        from .colors import *
        from .widgets.plot import Plot
        try:
            from .missing_optional import fast
        except ImportError:
            fast = None
        if False:
            from . import never
        from .cycle_a import A, B
        done(__name__)
    """,
    "colors.py": """
        from steplog import done
        from .functions import mix
        from . import config  # the root as far as it has run
        DEFAULT = mix(config("colour"))
        __all__ = ["DEFAULT"]
        done(__name__)
    """,
    "functions.py": """
        from steplog import done
        from .util import twice
        def mix(c): return twice(c)
        done(__name__)
    """,
    "util.py": """
        from steplog import done
        def twice(x): return x + x
        done(__name__)
    """,
    "widgets/__init__.py": """
        from steplog import done
        done(__name__)
    """,
    "widgets/plot.py": """
        from steplog import done
        from ..functions import mix
        try:
            from ..util import twice
        except ImportError:
            from ..never import twice
        class Plot:
            colour = mix("red")
        done(__name__)
    """,
    "never.py": """
        raise AssertionError("imported, though no plain import would")
    """,
    "cycle_a.py": """
        from steplog import done
        A = 1
        from . import cycle_b
        B = cycle_b.B
        done(__name__)
    """,
    "cycle_b.py": """
        from steplog import done
        from .cycle_a import A  # cycle_a as far as it has run: only when cycle_a starts the cycle
        B = A + 1
        done(__name__)
    """,
}
MODULES = ["util", "functions", "colors", "widgets", "widgets.plot"]


@pytest.fixture
def packages(tmp_path, monkeypatch):
    """Two copies of one package (one for a plain import, one for the steps) and the log their
    modules write to as they finish."""
    (tmp_path / "steplog.py").write_text("FINISHED = []\ndef done(name):\n    FINISHED.append(name)\n")
    for copy in ("plain_pkg", "stepped_pkg"):
        for path, text in PACKAGE.items():
            target = tmp_path / copy / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip())
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in list(sys.modules):
        if name.split(".")[0] in ("plain_pkg", "stepped_pkg", "steplog"):
            del sys.modules[name]


def finished(package: str) -> list[str]:
    import steplog

    return [name.partition(".")[2] or "<root>" for name in steplog.FINISHED if name.startswith(package)]


def test_imported_in_steps_it_ends_as_a_plain_import(packages, caplog):
    import plain_pkg

    caplog.set_level(logging.DEBUG, logger="ui.import_steps")
    steps = imported(plan("stepped_pkg"))
    loaded_each_step: list[set[str]] = []
    for _ in steps:
        loaded_each_step.append({m.partition(".")[2] for m in sys.modules if m.startswith("stepped_pkg.")})
    stepped = sys.modules["stepped_pkg"]

    assert finished("stepped_pkg") == finished("plain_pkg")
    assert (stepped.DEFAULT, stepped.Plot.colour, stepped.fast, stepped.A, stepped.B) == (
        plain_pkg.DEFAULT,
        plain_pkg.Plot.colour,
        None,
        1,
        2,
    )
    assert "stepped_pkg.never" not in sys.modules and "stepped_pkg.missing_optional" not in sys.modules
    assert not [r for r in caplog.records if "ahead failed" in r.getMessage()]  # no leaf failed
    # each of these modules came in a step of its own, before the root statement that needs it
    firsts = [next(i for i, loaded in enumerate(loaded_each_step) if m in loaded) for m in MODULES]
    assert len(set(firsts)) == len(MODULES) and firsts == sorted(firsts)
    # the cycle came whole, in one step (cycle_b alone would have failed)
    first_a = next(i for i, loaded in enumerate(loaded_each_step) if "cycle_a" in loaded)
    assert "cycle_b" in loaded_each_step[first_a]


# Packages where importing ahead could change what a plain import does (found in review): each is
# imported both ways and must end the same.
TRICKY = {
    "an if-guarded import registers before a later import reads": {
        "__init__.py": "from .a import A\n",
        "a.py": "import sys\nif sys.platform:\n    from . import plugin\nfrom . import user\nA = user.SEEN\n",
        "plugin.py": "from .registry import NAMES\nNAMES.append('plugin')\n",
        "registry.py": "NAMES = []\n",
        "user.py": "from .registry import NAMES\nSEEN = list(NAMES)\n",
    },
    "a package attribute named like a submodule": {
        "__init__.py": "def util(): return 'function'\nfrom . import util\nKIND = type(util).__name__\n",
        "util.py": "KIND = 'module'\n",
    },
    "one-line ifs, TYPE_CHECKING and a form feed": {
        "__init__.py": "from .a import A\n",
        "a.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING: from .heavy import H\n"
            "if False: from . import never\n# \x0c\nimport sys\nif sys.version_info < (3,):\n"
            "    from . import never\nA = 1\n"
        ),
        "heavy.py": "raise AssertionError('type checking only')\n",
        "never.py": "raise AssertionError('never imported')\n",
    },
    "a try body whose first line fails": {
        "__init__.py": "from .a import A\n",
        "a.py": (
            "try:\n    import no_such_dependency\n    from . import fast as impl\n"
            "except ImportError:\n    impl = None\nA = impl\n"
        ),
        "fast.py": "raise AssertionError('needs no_such_dependency')\n",
    },
    "a folder without __init__ (a namespace package) inside": {
        "__init__.py": "from .ns.inner import X\n",
        "ns/inner.py": "X = 1\n",
    },
    "a later string in __init__": {
        "__init__.py": '"""The docstring."""\nX = 1\n"""A string as a comment."""\n',
    },
}


@pytest.mark.parametrize("case", list(TRICKY))
def test_tricky_packages_end_as_a_plain_import(case, tmp_path, monkeypatch, caplog):
    for copy in ("plain_case", "stepped_case"):
        for path, text in TRICKY[case].items():
            (tmp_path / copy / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / copy / path).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    caplog.set_level(logging.DEBUG, logger="ui.import_steps")
    try:
        import plain_case

        for _ in imported(plan("stepped_case")):
            pass
        stepped = sys.modules["stepped_case"]

        def values(package):
            return {
                name.partition(".")[2]: {
                    k: repr(v) if isinstance(v, (int, str, list, tuple, type(None))) else type(v).__name__
                    for k, v in vars(module).items()
                    if not k.startswith("__")
                }
                for name, module in sys.modules.items()
                if name.split(".")[0] == package.__name__
            }

        assert values(stepped) == values(plain_case)
        assert stepped.__doc__ == plain_case.__doc__
        assert not [
            r for r in caplog.records if "ahead failed" in r.getMessage()
        ]  # nothing ran ahead and failed
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] in ("plain_case", "stepped_case")]:
            del sys.modules[name]


def test_a_dotted_root_runs_its_parent_package_first(tmp_path, monkeypatch):
    """``import pkg.sub.mod`` runs pkg/sub/__init__.py before what mod imports: so must the steps."""
    package = tmp_path / "dotted_pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "config.py").write_text("MODE = 'default'\n")
    (package / "reader.py").write_text("from dotted_pkg import config\nVALUE = config.MODE\n")
    (package / "sub" / "__init__.py").write_text("import dotted_pkg.config as c\nc.MODE = 'sub'\n")
    (package / "sub" / "mod.py").write_text("from dotted_pkg.reader import VALUE\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        for _ in imported(plan("dotted_pkg.sub.mod")):
            pass
        assert sys.modules["dotted_pkg.sub.mod"].VALUE == "sub"  # as `import dotted_pkg.sub.mod` gives
    finally:
        for name in [m for m in sys.modules if m.startswith("dotted_pkg")]:
            del sys.modules[name]


def test_a_name_read_from_the_half_imported_package_finishes_it(packages):
    """Plan's chart, opened while Spend loaded pyqtgraph, read its half-run module: a name the
    package does not have yet finishes the import then; within its own steps it does not."""
    steps = imported(plan("stepped_pkg"))
    for _ in range(3):
        next(steps)
    partial = sys.modules["stepped_pkg"]
    assert "A" not in vars(partial)  # not run that far yet
    assert partial.A == 1 and partial.Plot.colour == "redred"  # finished on the spot
    assert finished("stepped_pkg")[-1] == "<root>"
    assert list(steps) == []  # the loader's own steps then end at once
    with pytest.raises(AttributeError):
        partial.no_such_name  # noqa: B018  (once done, a missing name is missing)


def test_stopped_half_way_the_package_is_taken_out(packages):
    steps = imported(plan("stepped_pkg"))
    for _ in range(3):
        next(steps)
    assert "stepped_pkg" in sys.modules
    steps.close()  # the window closed, or the app quit, half-way
    assert "stepped_pkg" not in sys.modules  # a later import starts afresh, as after a failed one


def test_a_failing_statement_leaves_no_half_package(packages, tmp_path):
    (tmp_path / "stepped_pkg" / "util.py").write_text("raise RuntimeError('broken install')\n")
    with pytest.raises(RuntimeError, match="broken install"):
        for _ in imported(plan("stepped_pkg")):
            pass
    assert "stepped_pkg" not in sys.modules  # as a plain import that fails


def test_reading_the_plan_imports_nothing():
    """It runs on the pool: importing PySide6 or pyqtgraph there crashed the app."""
    probe = (
        "import sys\n"
        "from ui.import_steps import plan\n"
        "before = set(sys.modules)\n"
        "plans = [plan(name) for name in ('pyqtgraph', 'ui.spend.view')]\n"
        "assert sum(len(s.leaves) for s in plans[0].statements) > 50, plans[0]\n"
        "assert len(plans[1].leaves) > 3, plans[1]\n"
        "new = set(sys.modules) - before\n"
        "print(sorted(m for m in new if m.split('.')[0] in ('pyqtgraph', 'PySide6', 'shiboken6', 'ui')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_pyqtgraph_in_steps_loads_what_a_plain_import_does():
    """The package the app splits (a new pyqtgraph release would be caught here)."""
    probe = (
        "import sys\n"
        "from ui.import_steps import imported, plan\n"
        "steps = sum(1 for _ in imported(plan('pyqtgraph'))) if sys.argv[1] == 'steps' else 0\n"
        "import pyqtgraph\n"
        "print(steps, sorted(m for m in sys.modules if m.startswith('pyqtgraph')), pyqtgraph.PlotWidget)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", probe, how], capture_output=True, text=True, timeout=120)
        for how in ("steps", "plain")
    ]
    assert all(run.returncode == 0 for run in runs), [run.stderr[-2000:] for run in runs]
    stepped, plain = (run.stdout.split(" ", 1) for run in runs)
    assert int(stepped[0]) > 100  # one module or statement a step
    assert stepped[1] == plain[1]
