"""The user's local days: calls are stored in UTC, but days, months and budgets are the user's own.

The zone is the IANA name in the ``timezone`` setting, else the system's. The daily rollups remember
the zone they were counted in (``rollups.timezone``). Only an explicit setting or the app's start
recounts them into another zone: a command run under another TZ reports in the stored zone, so two
processes in two zones never recount the whole history back and forth.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlite_utils import Database

from playground.llm.errors import ErrorKind, PlaygroundError

if TYPE_CHECKING:  # storage imports the migrations, which import this module
    from playground.history.storage import OfflineStorage, Storage

SETTING = "timezone"
BUILT_WITH = "rollups.timezone"


def system_zone_name() -> str:
    """The system's IANA zone name (TZ, /etc/localtime, /etc/timezone), else 'UTC'."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.readlink("/etc/localtime")
        candidates.append(target.partition("zoneinfo/")[2])
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text().strip())
    except OSError:
        pass
    for name in candidates:
        if name and _valid(name):
            return name
    return "UTC"


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The zone called ``name``; a clear message for a name that is not an IANA zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PlaygroundError.of(
            ErrorKind.BAD_REQUEST,
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Paris or America/New_York.",
        ) from None


def _valid(name: str) -> bool:
    try:
        zone(name)
    except PlaygroundError:
        return False
    return True


def day_function(name: str) -> Callable[[str | None], str | None]:
    """started_at (ISO, UTC or with an offset) → its local day 'YYYY-MM-DD' in zone ``name``."""
    tz = zone(name)

    @lru_cache(maxsize=100_000)
    def by_minute(minute: str) -> str:
        return datetime.fromisoformat(minute + ":00+00:00").astimezone(tz).date().isoformat()

    def local_day(started_at: str | None) -> str | None:
        if not started_at:
            return None
        if started_at.endswith("+00:00") and len(started_at) >= 16:  # ours: one cache entry a minute
            return by_minute(started_at[:16])
        when = datetime.fromisoformat(started_at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.astimezone(tz).date().isoformat()

    return local_day


def day_sql(name: str, first: str | None, last: str | None) -> tuple[str, list[str]]:
    """An SQL expression (and its arguments) for the local day of ``started_at``, for calls between
    ``first`` and ``last`` (ISO): SQLite's own date() with the zone's offset, switched at each change
    of offset (daylight saving) in that range. Agrees with ``day_function``; no Python call per row."""
    tz = zone(name)
    lo = _parse(first) if first else datetime.now(UTC)
    hi = _parse(last) if last else lo

    def offset(t: datetime) -> int:
        return int(t.astimezone(tz).utcoffset().total_seconds())  # type: ignore[union-attr]  # aware: never None

    changes: list[tuple[str, int]] = []  # (UTC instant from which, offset in seconds)
    current, t = offset(lo), lo
    step = timedelta(hours=6)
    while t < hi:
        nxt = min(t + step, hi)
        if offset(nxt) != current:
            a, b = t, nxt  # the change lies in (a, b]: narrow it to the second
            while (b - a) > timedelta(seconds=1):
                mid = a + (b - a) / 2
                a, b = (mid, b) if offset(mid) == current else (a, mid)
            current = offset(nxt)
            changes.append((b.replace(microsecond=0).isoformat(timespec="milliseconds"), current))
        t = nxt
    modifier = "'{:+d} seconds'"
    if not changes:
        return f"date(started_at, {modifier.format(offset(lo))})", []
    cases, args = [], []
    before = offset(lo)
    for at, value in changes:
        cases.append(f"when started_at < ? then {modifier.format(before)}")
        args.append(at)
        before = value
    return f"date(started_at, case {' '.join(cases)} else {modifier.format(before)} end)", args


def _parse(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def day_bounds(day: date, name: str) -> tuple[str, str]:
    """The UTC instants (ISO) of local midnight starting ``day`` and the next, for started_at ranges."""
    tz = zone(name)
    start = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
    nxt = day + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).astimezone(UTC)
    return start.isoformat(timespec="milliseconds"), end.isoformat(timespec="milliseconds")


def built_with(db: Database) -> str:
    """The zone the rollups were counted in ('UTC' for rollups made before local days)."""
    if not db.table("settings").exists():  # before migration 8
        return "UTC"
    row = db.execute("select value from settings where key = ?", [BUILT_WITH]).fetchone()
    return row[0] if row else "UTC"


def wanted_zone(db: Database, system: Callable[[], str] = system_zone_name) -> str:
    """The zone days should be counted in: the ``timezone`` setting, else the system's."""
    return explicit_zone(db) or system()


def explicit_zone(db: Database) -> str | None:
    """The ``timezone`` setting, None when the user left it to the system."""
    if not db.table("settings").exists():  # before migration 8
        return None
    row = db.execute("select value from settings where key = ?", [SETTING]).fetchone()
    return row[0] if row and row[0] else None


class LocalTime:
    """The zone days are counted in, and the rollups kept in step with it.

    ``adopt_system`` (the app): with no explicit setting, follow the system's zone and recount when it
    moved. Without it (a command): with no explicit setting, days are the stored rollups' zone.
    """

    def __init__(
        self,
        storage: Storage | OfflineStorage,
        system: Callable[[], str] = system_zone_name,
        adopt_system: bool = True,
    ):
        self._storage = storage
        self._system = system
        self.adopt_system = adopt_system

    def zone_name(self) -> str:
        return self._wanted(self._storage.read())

    def _wanted(self, db: Database) -> str:
        if self.adopt_system:
            return wanted_zone(db, self._system)
        return explicit_zone(db) or built_with(db)

    def now(self) -> datetime:
        """This moment in the user's zone (a test pins it: the month's pace depends on the hour)."""
        return datetime.now(zone(self.zone_name()))

    def today(self) -> date:
        return self.now().date()

    def set_zone(self, name: str | None) -> None:
        """Use ``name`` (None or '': the system's zone) and recount the rollups if it changes them."""
        if name:
            zone(name)  # a clear message before anything is written

        def write(db: Database) -> None:
            if name:
                db.table("settings").upsert({"key": SETTING, "value": name}, pk="key")
            else:
                db.execute("delete from settings where key = ?", [SETTING])

        self._storage.writer.call(write)
        self.ensure_rollups(adopt_system=True)  # the user chose: "the system's zone" too

    def ensure_rollups(self, adopt_system: bool | None = None) -> bool:
        """Recount the rollups (on the writer) when they were counted in another zone than the wanted
        one; True if it did. ``adopt_system`` overrides this clock's own choice for one call."""
        adopt = self.adopt_system if adopt_system is None else adopt_system

        def wanted_in(db: Database) -> str:
            return wanted_zone(db, self._system) if adopt else (explicit_zone(db) or built_with(db))

        def check(db: Database) -> bool:
            wanted = wanted_in(db)
            if built_with(db) == wanted:
                return False
            from playground.history.rollups import rebuild

            rebuild(db, wanted)  # inside the writer's transaction
            return True

        reader = self._storage.read()
        if built_with(reader) == wanted_in(reader):
            return False  # the common case: no write lock taken at every open
        if getattr(self._storage, "read_only", False):
            return False  # a newer version's or an unusable history is never written to
        return self._storage.writer.call(check)
