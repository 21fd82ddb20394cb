"""Logging to a file in the data folder, with anything shaped like a key removed from every record."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from playground.llm.errors import redact

LOG_NAME = "playground.log"


class RedactingFilter(logging.Filter):
    """Formats each record's message once and strips keys from it (and from any traceback text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def setup_logging(folder: Path, level: int = logging.INFO) -> Path:
    path = folder / LOG_NAME
    if not path.exists():  # private like the history: created 0600, whatever the umask
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=2, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return path
