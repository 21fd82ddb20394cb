"""sqlite-utils loads without numpy (15 MB the idle window does without); numpy still loads when wanted."""

import subprocess
import sys


def run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


def test_sqlite_utils_loads_without_numpy_and_still_stores_rows():
    code = (
        "import sys\n"
        "from playground.lean_imports import load_sqlite_utils\n"
        "load_sqlite_utils()\n"
        "from sqlite_utils import Database\n"
        "db = Database(memory=True)\n"
        "db['t'].insert_all([{'a': 1, 'b': 2.5, 'c': 'x'}])\n"
        "print('numpy' in sys.modules, list(db['t'].rows))\n"
    )
    assert run(code) == "False [{'a': 1, 'b': 2.5, 'c': 'x'}]"


def test_numpy_still_loads_afterwards_and_on_other_threads_meanwhile():
    code = (
        "import threading\n"
        "from playground.lean_imports import _Refuse\n"
        "import sys\n"
        "finder = _Refuse(['numpy'])\n"
        "sys.meta_path.insert(0, finder)\n"
        "try:\n"
        "    import numpy\n"
        "    here = 'loaded'\n"
        "except ImportError:\n"
        "    here = 'refused'\n"
        "other = []\n"
        "t = threading.Thread(target=lambda: other.append(__import__('numpy').__name__))\n"
        "t.start(); t.join()\n"
        "sys.meta_path.remove(finder)\n"
        "print(here, other)\n"
    )
    assert run(code) == "refused ['numpy']"
