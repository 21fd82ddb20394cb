"""Settings ▸ General: the time zone days are counted in and the stream limits, kept in the history's
settings table. Environment variables still win over saved limits (for scripts and tests)."""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from playground.history.localtime import SETTING as ZONE_SETTING
from playground.history.localtime import LocalTime, system_zone_name
from playground.history.storage import OfflineStorage, Storage
from playground.llm.providers.base import LIMIT_VARIABLES, StreamLimits

PREFIX = "stream."  # settings keys: stream.connect_s, stream.idle_s, stream.overall_s


@dataclass(frozen=True)
class General:
    """What the General page shows: the zone setting (None: the system's) and the stream limits."""

    zone: str | None
    system_zone: str
    saved: StreamLimits  # the defaults with the saved values
    effective: StreamLimits  # what calls use: the saved ones, overridden by the environment
    from_env: tuple[str, ...]  # the variables that override a saved value
    images_max_mb: float = 20.0  # the largest image kept in the history (bigger: sent, not kept)


class GeneralSettings:
    """Reads and saves the General settings; ``limits()`` is what the runner uses for each call."""

    def __init__(self, storage: Storage | OfflineStorage, clock: LocalTime, environ: Mapping[str, str]):
        self._storage = storage
        self._clock = clock
        self._env = {
            name: value
            for name in LIMIT_VARIABLES
            if (value := _positive(environ.get(LIMIT_VARIABLES[name]))) is not None
        }
        self._lock = threading.Lock()
        self._saved = self._read_saved()
        self._zone = clock.zone_name()

    def zone_name(self) -> str:
        """The zone days are counted in (cached: the window's filters ask it on the GUI thread)."""
        with self._lock:
            return self._zone

    def limits(self) -> StreamLimits:
        """The limits a call starts with now (cached: no read per call)."""
        with self._lock:
            return replace(self._saved, **self._env)

    def read(self) -> General:
        db = self._storage.read()
        row = (
            db.execute("select value from settings where key = ?", [ZONE_SETTING]).fetchone()
            if db["settings"].exists()
            else None
        )
        saved = self._read_saved()
        with self._lock:
            self._saved = saved
        return General(
            row[0] if row and row[0] else None,
            system_zone_name(),
            saved,
            self.limits(),
            tuple(LIMIT_VARIABLES[name] for name in self._env),
            _image_mb(db),
        )

    def set_zone(self, name: str | None) -> None:
        """Validate and save the zone (None or '': the system's); the rollups are recounted if needed."""
        self._clock.set_zone(name.strip() if name else None)
        zone = self._clock.zone_name()
        with self._lock:
            self._zone = zone

    def set_image_limit(self, mb: float) -> None:
        """Save the largest image kept in the history, in MB (0 keeps none)."""
        from playground.history.image_store import save_max_stored_mb

        if not math.isfinite(mb) or mb < 0:
            from playground.llm.errors import ErrorKind, PlaygroundError

            raise PlaygroundError.of(
                ErrorKind.INVALID_PARAMETER, "The image size limit must be 0 MB or more."
            )
        self._storage.writer.call(lambda db: save_max_stored_mb(db, mb))

    def set_limits(self, limits: StreamLimits) -> None:
        """Save the limits (each must be a positive number of seconds); the next call uses them."""
        values = asdict(limits)
        bad = [name for name, value in values.items() if _positive(value) is None]
        if bad:
            from playground.llm.errors import ErrorKind, PlaygroundError

            raise PlaygroundError.of(
                ErrorKind.INVALID_PARAMETER, f"Stream limits must be positive seconds: {', '.join(bad)}."
            )
        rows = [{"key": PREFIX + name, "value": str(value)} for name, value in values.items()]
        self._storage.writer.call(lambda db: db.table("settings").upsert_all(rows, pk="key"))
        with self._lock:
            self._saved = limits

    def _read_saved(self) -> StreamLimits:
        db = self._storage.read()
        if not db["settings"].exists():
            return StreamLimits()
        rows = db.execute("select key, value from settings where key like ?", [PREFIX + "%"]).fetchall()
        saved = {key.removeprefix(PREFIX): _positive(value) for key, value in rows}
        return StreamLimits(**{k: v for k, v in saved.items() if k in LIMIT_VARIABLES and v is not None})


def _image_mb(db: Any) -> float:
    from playground.history.image_store import max_stored_bytes

    return max_stored_bytes(db) / (1024 * 1024)


def _positive(value: Any) -> float | None:
    """A finite positive number of seconds, else None (ignored)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None
