"""Prompt images in the history (table ``images``, m016): stored once per sha256 up to a size set in
Settings (``images.max_stored_mb``); bigger ones are sent but not kept, and a reopened call says so."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from playground.llm.request import Message

SETTING = "images.max_stored_mb"
DEFAULT_MAX_STORED_MB = 20.0


def max_stored_bytes(db: Database) -> int:
    """The per-image limit from the settings table (a bad or missing value: the default)."""
    rows = (
        list(db.query("select value from settings where key = ?", [SETTING]))
        if "settings" in db.table_names()
        else []
    )
    try:
        mb = float(rows[0]["value"]) if rows else DEFAULT_MAX_STORED_MB
    except ValueError:
        mb = DEFAULT_MAX_STORED_MB
    return int(max(mb, 0.0) * 1024 * 1024)


def store_images(db: Database, messages: Iterable[Message]) -> int:
    """Keep each image not already stored and within the limit (inside the caller's write); the count kept."""
    limit = max_stored_bytes(db)
    now = datetime.now(UTC).isoformat()
    kept = 0
    for image in (i for m in messages for i in m.images):
        if image.size_bytes > limit:
            continue
        db.execute(
            "insert or ignore into images (sha256, media_type, width, height, size_bytes, data, stored_at)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [image.sha256, image.media_type, image.width, image.height, image.size_bytes, image.data, now],
        )
        kept += 1
    return kept


def attach_images(db: Database, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The message dicts with each stored image's bytes added (base64 under ``data``), as
    ``Message.from_dict`` reads them."""
    wanted = {str(r["sha256"]) for m in messages for r in m.get("images") or []}
    if not wanted:
        return messages
    marks = ",".join("?" * len(wanted))
    found = {
        row["sha256"]: row["data"]
        for row in db.query(f"select sha256, data from images where sha256 in ({marks})", sorted(wanted))
    }
    out = []
    for m in messages:
        if m.get("images"):
            refs = [
                r | {"data": base64.b64encode(found[r["sha256"]]).decode("ascii")}
                if r["sha256"] in found
                else r
                for r in m["images"]
            ]
            m = m | {"images": refs}
        out.append(m)
    return out


def save_max_stored_mb(db: Database, mb: float) -> None:
    """Save the per-image limit (run it on the history writer)."""
    db.table("settings").upsert({"key": SETTING, "value": str(max(mb, 0.0))}, pk="key")
