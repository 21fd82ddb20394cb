"""Writing a whole file safely: through a temporary file moved into place, so a full disk, a crash or
a failure leaves no partial file and an older file of that name as it was (exports, saved workloads,
conversations, plans)."""

from __future__ import annotations

import os
from pathlib import Path


def write_whole(path: Path, text: str, newline: str | None = None) -> None:
    """``newline=""`` for CSV text, whose rows already end in \\r\\n."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8", newline=newline)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def why_not_written(exc: BaseException) -> str:
    """An OSError as "No space left on device", not its errno and the temporary file's path (the
    user never named "report.csv.partial")."""
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
