"""Where the app keeps its data and finds its bundled resources."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "llm-playground"
HOME_ENV = "PLAYGROUND_HOME"
DB_NAME = "history.db"  # in the data folder


def data_dir(environ: Mapping[str, str] | None = None, create: bool = True) -> Path:
    """The user's data folder, or $PLAYGROUND_HOME when set (tests and portable installs use it).
    Created for this user only (0700) when it can be; when it cannot, opening the history says why.
    ``create=False`` only names it (for readers that must work when it cannot be made)."""
    env = os.environ if environ is None else environ
    override = env.get(HOME_ENV)
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    if create and not path.is_dir():
        try:
            path.mkdir(parents=True, mode=0o700)
            os.chmod(path, 0o700)  # mkdir's mode is cut by the umask
        except OSError:
            pass  # a file in the way, a read-only parent...: build_core reports it, naming the folder
    return path


def resources_dir() -> Path:
    """The shipped resources/ folder: next to the packages in a checkout, an install or a bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
