"""Regression: PySide6 6.12.0 on Python 3.11 dies ("Fatal Python error: bool_dealloc") after a few
hundred Signal.emit() calls. pyproject pins PySide6 below 6.12 on 3.11; this proves the installed pair
survives many emits, in a child process so a crash is a failure rather than a dead test run."""

import subprocess
import sys

EMIT_MANY = r"""
import sys, threading
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

class Source(QObject):
    changed = Signal(str, int, bool)
    done = Signal()

app = QCoreApplication(sys.argv)
source = Source()
seen = []
source.changed.connect(lambda text, n, flag: seen.append(n))
for i in range(5000):
    source.changed.emit("x", i, i % 2 == 0)

def worker():  # queued, cross-thread emits, the way streams reach the GUI
    for i in range(3000):
        source.changed.emit("y", i, True)
    source.done.emit()

source.done.connect(app.quit)
QTimer.singleShot(0, lambda: threading.Thread(target=worker).start())
app.exec()
print(len(seen))
"""


def test_thousands_of_signal_emits_do_not_crash():
    out = subprocess.run(
        [sys.executable, "-c", EMIT_MANY],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", **__import__("os").environ},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "8000"
