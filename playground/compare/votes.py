"""Blind-comparison votes and the local leaderboard of wins per model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from playground.history.storage import OfflineStorage, Storage


@dataclass(frozen=True)
class Standing:
    model: str  # "endpoint / model"
    wins: int
    contests: int

    @property
    def win_rate(self) -> float:
        return self.wins / self.contests if self.contests else 0.0


class VoteStore:
    def __init__(self, storage: Storage | OfflineStorage):
        self._storage = storage

    def record(self, group_id: str | None, winner: str, candidates: list[str]) -> None:
        row = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "group_id": group_id,
            "winner": winner,
            "candidates": json.dumps(sorted(set(candidates))),
        }
        self._storage.writer.call(lambda db: db.table("votes").insert(row))

    def leaderboard(self) -> list[Standing]:
        wins: dict[str, int] = {}
        contests: dict[str, int] = {}
        for row in self._storage.read().query("select winner, candidates from votes"):
            wins[row["winner"]] = wins.get(row["winner"], 0) + 1
            for name in json.loads(row["candidates"]):
                contests[name] = contests.get(name, 0) + 1
        table = [Standing(m, wins.get(m, 0), n) for m, n in contests.items()]
        return sorted(table, key=lambda s: (-s.wins, -s.win_rate, s.model))
