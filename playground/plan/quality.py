"""What History knows of each model's quality: its blind-vote wins over the votes it took part in, and
its evaluation pass rate in the latest finished run that included it. Unknown stays None, never 0.

Models are keyed by the planner's label, "endpoint/model". A vote names its candidates as Compare's
columns do ("endpoint / model", with " (k=v, ...)" when a column set parameters); a parameter variant
counts as its model. Evaluation cells are attributed through their call (``eval_cells.call_id`` →
``calls``), so a column's prompt name and parameters never get in the way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from playground.history.grade_verdict import counted_sql

_PARAMS = re.compile(r" \([^()]*=[^()]*\)$")  # Column.label()'s parameter suffix

_VOTES = "select winner, candidates from votes"
_EVAL = (  # per finished run and model: cells and passes (as the Evaluate page counts them), newest first
    "select r.id as run_id, r.started_at as started_at, c.endpoint as endpoint, c.model as model,"
    f" count(*) as cells, sum({counted_sql()}) as passed"
    " from eval_cells e join eval_runs r on r.id = e.run_id join calls c on c.id = e.call_id"
    " left join eval_grades g on g.run_id = e.run_id and g.case_index = e.case_index"
    " and g.column_index = e.column_index and g.repeat = e.repeat"
    " where r.status = 'done' group by r.id, c.endpoint, c.model"
    " order by r.started_at desc, r.id desc"
)


@dataclass(frozen=True)
class Quality:
    """One model's measured quality. ``vote_share`` is wins / votes (None: never in a blind vote);
    ``pass_rate`` is passed / cells in evaluation run ``run_id`` (None: in no finished run)."""

    wins: int = 0
    votes: int = 0
    passed: int = 0
    cells: int = 0
    run_id: str | None = None

    @property
    def vote_share(self) -> float | None:
        return self.wins / self.votes if self.votes else None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.cells if self.cells else None

    def to_data(self) -> dict[str, Any]:
        return {
            "vote_share": self.vote_share,
            "votes": self.votes,
            "wins": self.wins,
            "pass_rate": self.pass_rate,
            "cells": self.cells,
            "run_id": self.run_id,
        }


def parse_floor(text: str) -> float:
    """A pass-rate or vote-share floor as typed: "85%" or a share "0.85". Raises ValueError saying why."""
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = float(raw.rstrip("%").strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a share (0.85) or a percentage (85%)") from None
    value = value / 100 if percent else value
    if not 0 <= value <= 1:
        raise ValueError(f"{text!r} is outside 0-1 (or 0%-100%)")
    return value


def vote_label(name: str) -> str:
    """A vote's candidate name as the planner's label: "openai / gpt-4o (temperature=0)" → "openai/gpt-4o"."""
    bare = _PARAMS.sub("", name.strip())
    endpoint, sep, model = bare.partition(" / ")
    return f"{endpoint.strip()}/{model.strip()}" if sep else bare


def read_quality(db: Any) -> dict[str, Quality]:
    """Every model History has a vote or a finished evaluation for (``db``: a reader connection)."""
    wins: dict[str, int] = {}
    votes: dict[str, int] = {}
    tables = set(db.table_names())
    if "votes" in tables:
        for row in db.query(_VOTES):
            try:
                names = {vote_label(n) for n in json.loads(row["candidates"] or "[]")}
            except (TypeError, ValueError):
                continue  # a vote we cannot read says nothing
            for name in names:
                votes[name] = votes.get(name, 0) + 1
            winner = vote_label(row["winner"] or "")
            if winner in names:
                wins[winner] = wins.get(winner, 0) + 1
    runs: dict[str, tuple[str, int, int]] = {}
    if {"eval_runs", "eval_cells", "eval_grades"} <= tables:
        for row in db.query(_EVAL):
            label = f"{row['endpoint']}/{row['model']}"
            runs.setdefault(label, (row["run_id"], int(row["cells"]), int(row["passed"] or 0)))
    out = {}
    for label in votes.keys() | runs.keys():
        run_id, cells, passed = runs.get(label, (None, 0, 0))
        out[label] = Quality(wins.get(label, 0), votes.get(label, 0), passed, cells, run_id)
    return out
