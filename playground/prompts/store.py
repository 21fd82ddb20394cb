"""The prompt library in the history database (m015): prompts, numbered versions, and call links.

Writes go through the history writer (BEGIN IMMEDIATE), so a version number is taken and used in
one transaction and two saves of one name never share a number.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from playground.history.storage import OfflineStorage, Storage
from playground.llm.request import Message
from playground.prompts.records import CallLink, PromptSummary, PromptVersion

_VERSION_COLUMNS = (
    "v.id, p.name, v.version, v.note, v.created_at, v.system, v.messages, v.params, v.endpoint, v.model"
)


class PromptNotFound(LookupError):
    pass


def _version(row: Sequence[Any]) -> PromptVersion:
    vid, name, version, note, created, system, messages, params, endpoint, model = row
    return PromptVersion(
        name=name,
        version=version,
        note=note or "",
        created_at=created or "",
        system=system or "",
        messages=tuple(Message.from_dict(m) for m in json.loads(messages or "[]")),
        params=json.loads(params or "{}"),
        endpoint=endpoint or "",
        model=model or "",
        id=vid,
    )


def _insert(db: Database, draft: PromptVersion) -> PromptVersion:
    """Add ``draft`` as the next version of its prompt (the prompt is made on first save)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.execute("insert or ignore into prompts (name, created_at) values (?, ?)", [draft.name, now])
    prompt_id = db.execute("select id from prompts where name = ?", [draft.name]).fetchone()[0]
    number = db.execute(
        "select coalesce(max(version), 0) + 1 from prompt_versions where prompt_id = ?", [prompt_id]
    ).fetchone()[0]
    created = draft.created_at or now
    cursor = db.execute(
        "insert into prompt_versions (prompt_id, version, note, created_at, system, messages, params,"
        " endpoint, model) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            prompt_id,
            number,
            draft.note,
            created,
            draft.system,
            json.dumps([m.to_dict() for m in draft.messages]),
            json.dumps(dict(draft.params), sort_keys=True),
            draft.endpoint,
            draft.model,
        ],
    )
    return PromptVersion(
        draft.name,
        number,
        draft.note,
        created,
        draft.system,
        draft.messages,
        draft.params,
        draft.endpoint,
        draft.model,
        cursor.lastrowid,
    )


class PromptStore:
    def __init__(self, storage: Storage | OfflineStorage):
        self._storage = storage

    def save(
        self,
        name: str,
        note: str,
        *,
        system: str,
        messages: Sequence[Message],
        params: Mapping[str, Any],
        endpoint: str,
        model: str,
    ) -> PromptVersion:
        """Save as the next version of ``name``; returns it with its number and id."""
        name = name.strip()
        if not name:
            raise ValueError("A prompt needs a name.")
        json.dumps(dict(params))  # refuse before writing anything
        draft = PromptVersion(
            name, 0, note.strip(), "", system, tuple(messages), dict(params), endpoint, model
        )
        return self._storage.writer.call(lambda db: _insert(db, draft))

    def add_versions(self, name: str, versions: Sequence[PromptVersion]) -> list[PromptVersion]:
        """Add ``versions`` (in order) after the newest of ``name``, in one transaction: an import
        into an existing name keeps every version already there and numbers the new ones after."""
        drafts = [
            PromptVersion(name, 0, v.note, v.created_at, v.system, v.messages, v.params, v.endpoint, v.model)
            for v in versions
        ]
        return self._storage.writer.call(lambda db: [_insert(db, d) for d in drafts])

    def names(self) -> list[str]:
        rows = self._storage.read().execute("select name from prompts order by name collate nocase")
        return [r[0] for r in rows.fetchall()]

    def search(self, text: str = "") -> list[PromptSummary]:
        """Prompts whose name, or any version's note, system or message text, contains ``text``."""
        like = f"%{text.strip()}%"
        rows = (
            self._storage.read()
            .execute(
                "select p.name, count(v.id), max(v.created_at),"
                " (select note from prompt_versions w where w.prompt_id = p.id order by version desc limit 1)"
                " from prompts p join prompt_versions v on v.prompt_id = p.id"
                " where p.id in (select p2.id from prompts p2 join prompt_versions v2 on v2.prompt_id = p2.id"
                "  where p2.name like ? or v2.note like ? or v2.system like ? or v2.messages like ?)"
                " group by p.id order by p.name collate nocase",
                [like, like, like, like],
            )
            .fetchall()
        )
        return [PromptSummary(r[0], r[1], r[2] or "", r[3] or "") for r in rows]

    def versions(self, name: str) -> list[PromptVersion]:
        """Every version of ``name``, newest first."""
        rows = (
            self._storage.read()
            .execute(
                f"select {_VERSION_COLUMNS} from prompt_versions v join prompts p on p.id = v.prompt_id"
                " where p.name = ? order by v.version desc",
                [name],
            )
            .fetchall()
        )
        if not rows:
            raise PromptNotFound(f"No prompt named {name!r} in the library.")
        return [_version(r) for r in rows]

    def version(self, version_id: int) -> PromptVersion:
        row = (
            self._storage.read()
            .execute(
                f"select {_VERSION_COLUMNS} from prompt_versions v join prompts p on p.id = v.prompt_id"
                " where v.id = ?",
                [version_id],
            )
            .fetchone()
        )
        if row is None:
            raise PromptNotFound("That prompt version is no longer in the library.")
        return _version(row)

    def delete(self, name: str) -> None:
        """Remove a prompt, its versions and their call links (the calls themselves stay)."""

        def remove(db: Database) -> None:
            ids = "select v.id from prompt_versions v join prompts p on p.id = v.prompt_id where p.name = ?"
            db.execute(f"delete from prompt_calls where version_id in ({ids})", [name])
            db.execute(
                "delete from prompt_versions where prompt_id in (select id from prompts where name = ?)",
                [name],
            )
            db.execute("delete from prompts where name = ?", [name])

        self._storage.writer.call(remove)

    def link_call(self, call_uid: str, version_id: int) -> None:
        """Record that the call ``call_uid`` ran library version ``version_id``."""
        self._storage.writer.submit(
            lambda db: db.execute(
                "insert or replace into prompt_calls (call_uid, version_id) values (?, ?)",
                [call_uid, version_id],
            )
        )

    def link_call_id(self, call_id: int, version_id: int) -> None:
        """Link by the call's row id (what a run returns): its uid is looked up in the same write."""
        self._storage.writer.submit(
            lambda db: db.execute(
                "insert or replace into prompt_calls (call_uid, version_id)"
                " select uid, ? from calls where id = ?",
                [version_id, call_id],
            )
        )

    def link_of(self, call_uid: str) -> CallLink | None:
        """The version a call ran, or None (not from the library, or the prompt was deleted)."""
        try:
            row = (
                self._storage.read()
                .execute(
                    "select c.call_uid, v.id, p.name, v.version from prompt_calls c"
                    " join prompt_versions v on v.id = c.version_id join prompts p on p.id = v.prompt_id"
                    " where c.call_uid = ?",
                    [call_uid],
                )
                .fetchone()
            )
        except sqlite3.OperationalError:  # an offline/empty history has no tables
            return None
        return None if row is None else CallLink(row[0], row[1], row[2], row[3])
