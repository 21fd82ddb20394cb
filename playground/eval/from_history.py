"""Recorded calls as evaluation cases: each call's last user message becomes the case's ``input``
variable and its answer the ``expected`` one, so a suite with the prompt "{{input}}" replays real
traffic against other models or prompts (a check such as ``equals {{expected}}`` or a rubric then
says what "as good as before" means)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from playground.files import write_whole
from playground.history.filters import Filters
from playground.history.storage import OfflineStorage, Storage
from playground.history.transfer import RowReader

FIELDS = "id, system, messages, prompt, output, status"


def case_of(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """One case from a calls row, or None when the call has no user text to replay."""
    messages = row.get("messages")
    if isinstance(messages, str):
        messages = json.loads(messages or "[]")
    users = [m for m in messages or [] if m.get("role") == "user" and str(m.get("content") or "").strip()]
    text = str(users[-1]["content"]) if users else str(row.get("prompt") or "")
    if not text.strip():
        return None
    case: dict[str, Any] = {"name": f"call {row['id']}", "vars": {"input": text}}
    if row.get("system"):
        case["vars"]["system"] = row["system"]
    if row.get("status") == "ok" and row.get("output"):
        case["expected"] = row["output"]
    return case


def cases_jsonl(rows: Iterable[Mapping[str, Any]]) -> tuple[str, int, int]:
    """The JSONL text, the cases written and the calls left out (no user text)."""
    lines, skipped = [], 0
    for row in rows:
        case = case_of(row)
        if case is None:
            skipped += 1
        else:
            lines.append(json.dumps(case, ensure_ascii=False))
    return "".join(f"{line}\n" for line in lines), len(lines), skipped


def export_cases(
    storage: Storage | OfflineStorage,
    filters: Filters,
    path: Path,
    ids: Sequence[int] = (),
    progress: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
) -> tuple[int, int]:
    """Write the selected calls (``ids``), or every call ``filters`` show, as a cases file; the cases
    written and the calls left out. A cancel leaves any file at ``path`` as it was."""
    if ids:
        where, args = f"where id in ({', '.join('?' * len(ids))})", list(ids)
    else:
        where, args = filters.where()
    sql = f"select {FIELDS} from calls {where} order by started_at, id"
    rows = RowReader(storage, sql, args, progress, cancel, "Cancelled: no cases file written.")
    text, written, skipped = cases_jsonl(rows)
    write_whole(path, text)
    return written, skipped
