"""The installed `playground` command: the command line, which opens the window when given no command."""

from __future__ import annotations

import sys


def open_gui(smoke: bool) -> int:
    from ui.app import run_app

    return run_app(smoke=smoke)


def main() -> int:
    if getattr(sys, "frozen", False):  # the stream worker process, in a frozen (PyInstaller) app
        import multiprocessing  # 40 ms that `--help` and the commands do without

        multiprocessing.freeze_support()
    from playground.cli.entry import main as cli_main

    return cli_main(open_gui=open_gui)


if __name__ == "__main__":
    raise SystemExit(main())
