"""A package imported in steps (ui/import_steps.py) ends as a plain import would: the same modules,
finished in the same order, with the same values; split one module a step; what a plain import
would not run (an `if` branch, an except handler) never runs; an import cycle is left whole."""

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
