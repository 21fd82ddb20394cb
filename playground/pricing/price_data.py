"""Which genai-prices data prices the calls: the bundled copy, or a newer one fetched by `prices update`.

The fetched copy is saved as ``genai-prices.json`` in the data folder and used from then on; the bundled
copy stays the fallback (a missing, unreadable or invalid file is ignored, never fatal). Fetching uses
genai-prices' own ``UpdatePrices`` (its URL, timeout and parser); we only keep the bytes it fetched.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from playground.paths import data_dir

FILE_NAME = "genai-prices.json"
PRICES_URL: str | None = None  # None: genai-prices' own update URL (a mirror, or a test server, may be set)
_lock = threading.Lock()
_loaded: dict[Path, PriceData] = {}


@dataclass(frozen=True)
class PriceData:
    """The price data in use: genai-prices' version, where the data came from, and how recent it is."""

    version: str
    fetched_on: date | None  # None: the copy bundled with the package

    @property
    def label(self) -> str:
        """Short, for each call's price_source: 'genai-prices 0.2.3 bundled' / '... fetched 2026-11-30'."""
        if self.fetched_on is None:
            return f"genai-prices {self.version} bundled"
        return f"genai-prices {self.version} fetched {self.fetched_on.isoformat()}"

    @property
    def as_of(self) -> date | None:
        """How recent the data is: the day it was fetched, or the newest check date in the bundled copy."""
        return self.fetched_on or bundled_date()

    def describe(self) -> str:
        """One line for Settings and `playground prices` (reads the bundled data once: off the GUI thread)."""
        if self.fetched_on:
            return (
                f"Prices: genai-prices {self.version}, data fetched {_day(self.as_of)} (bundled copy kept)."
            )
        return (
            f"Prices: genai-prices {self.version}, bundled data (prices checked up to {_day(self.as_of)}); "
            "`playground prices update` fetches newer data."
        )


class UpdateFailed(Exception):
    """Fetching newer prices failed; the message is one line for the user."""


def saved_path(home: Path | None = None) -> Path:
    return (home or data_dir(create=False)) / FILE_NAME


def current(home: Path | None = None) -> PriceData:
    """The data that prices calls now, loading a saved fetched copy once (call off the GUI thread)."""
    path = saved_path(home)
    with _lock:
        if path not in _loaded:
            _loaded[path] = _activate(path)
        return _loaded[path]


def update(home: Path | None = None, url: str | None = None, timeout_s: float = 10.0) -> PriceData:
    """Fetch the newest genai-prices data, save it and use it; ``UpdateFailed`` (one line) when offline."""
    import httpx2
    from genai_prices import UpdatePrices, data_snapshot

    raw: list[bytes] = []

    class _Keeping(UpdatePrices):
        """genai-prices' fetch (its URL, timeout, parser and snapshot), keeping the bytes to save them."""

        def fetch(self) -> data_snapshot.DataSnapshot:
            from genai_prices.types import _providers_from_raw

            response = httpx2.get(self.url, timeout=self.request_timeout)
            response.raise_for_status()
            payload = json.loads(response.content)
            if not isinstance(payload, list):
                raise ValueError("expected a list of providers")
            raw.append(response.content)
            return data_snapshot.DataSnapshot(_providers_from_raw(payload), from_auto_update=True)

    url = url or PRICES_URL
    timeout = httpx2.Timeout(timeout=timeout_s, connect=min(timeout_s, 5))
    updater = _Keeping(url=url, request_timeout=timeout) if url else _Keeping(request_timeout=timeout)
    try:
        snapshot = updater.fetch()
    except httpx2.HTTPError as exc:
        raise UpdateFailed(
            f"could not fetch new prices ({_reason(exc)}); still using {current(home).label}"
        ) from None
    except (ValueError, TypeError) as exc:
        raise UpdateFailed(
            f"the fetched prices were not valid ({exc}); still using {current(home).label}"
        ) from None
    path = saved_path(home)
    tmp = path.with_suffix(".json.part")
    tmp.write_bytes(raw[-1])
    tmp.replace(path)
    info = PriceData(_version(), datetime.now(UTC).date())
    with _lock:
        data_snapshot.set_custom_snapshot(snapshot)
        _loaded[path] = info
    return info


def forget() -> None:
    """Back to the bundled copy until ``current`` loads again (for tests, and a data folder change)."""
    from genai_prices import data_snapshot

    with _lock:
        _loaded.clear()
        data_snapshot.set_custom_snapshot(None)


def _activate(path: Path) -> PriceData:
    from genai_prices import data_snapshot

    bundled = PriceData(_version(), None)
    try:
        text = path.read_bytes()
    except OSError:
        data_snapshot.set_custom_snapshot(None)
        return bundled
    try:
        from genai_prices.types import _providers_from_raw

        providers = _providers_from_raw(json.loads(text))
    except Exception:  # a damaged or incompatible file: the bundled copy prices calls
        data_snapshot.set_custom_snapshot(None)
        return bundled
    data_snapshot.set_custom_snapshot(data_snapshot.DataSnapshot(providers, from_auto_update=True))
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
    return PriceData(_version(), fetched)


@cache
def bundled_date() -> date | None:
    """The newest 'checked'/'updated' date (not in the future) in the bundled data's notes, if any."""
    try:
        from genai_prices import data

        text = Path(data.__file__).read_text(encoding="utf-8")
    except OSError:
        return None
    today = datetime.now(UTC).date()
    found = []
    for match in re.finditer(r"(?:[Cc]hecked|updated|[Vv]erified)[^0-9'\"]{0,20}(\d{4}-\d{2}-\d{2})", text):
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            continue
        if day <= today:
            found.append(day)
    return max(found, default=None)


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:160]


def _day(value: date | None) -> str:
    return value.isoformat() if value else "an unknown date"


def _version() -> str:
    from genai_prices import __version__

    return __version__
