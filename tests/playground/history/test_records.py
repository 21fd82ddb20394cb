"""History rows as typed records: one mapping, and ``history --json`` unchanged byte for byte."""

from __future__ import annotations

import json
from decimal import Decimal

from playground.history.calls import rows_to_json
from playground.history.records import CallRecord, CallStatus, from_row
from tests.playground.history.test_transfer import make_calls


def _old_rows_to_json(raw: list[dict]) -> list[dict]:
    """What ``history --json`` wrote before records: the stored row, JSON columns decoded."""
    out = []
    for row in raw:
        row = dict(row)
        for key in ("params", "messages"):
            if row.get(key):
                row[key] = json.loads(row[key])
        for key in ("cost_usd", "cost_input_usd", "cost_output_usd"):
            if row.get(key) is not None:
                row[key] = str(Decimal(row[key]))
        out.append(row)
    return out


def test_records_are_typed_and_the_json_listing_is_byte_compatible(core, local_openai):
    make_calls(core, local_openai, 3)
    records = core.history.recent(10)
    assert all(isinstance(r, CallRecord) for r in records)
    first = records[0]
    assert first.status is CallStatus.OK and isinstance(first.cost_usd, Decimal) and first.cost_usd > 0
    assert first.input_estimated is False and first.params == {"temperature": 0.5}
    assert first.started_at.tzinfo is not None and first.messages[0]["role"] == "user"
    raw = list(core.storage.read().query("select * from calls order by started_at desc, id desc"))
    assert json.dumps(rows_to_json(records)) == json.dumps(_old_rows_to_json(raw))


def test_an_imported_time_keeps_its_spelling_for_paging_and_export():
    record = from_row({"id": 7, "started_at": "2026-10-01T10:00:00Z", "status": "ok", "cost_usd": None})
    assert record.cursor == ("2026-10-01T10:00:00Z", 7)
    assert record.to_json_dict()["started_at"] == "2026-10-01T10:00:00Z"
    assert record.cost_usd is None and record.to_json_dict()["cost_usd"] is None  # unknown, never 0
