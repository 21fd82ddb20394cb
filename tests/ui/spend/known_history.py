"""A known history for the Spend tests: calls written as the app writes them, and the page opened on
them, so each figure on screen can be checked against sums computed from these rows."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from tests.ui.conftest import off_gui

# (days back, model, cost or None, input tokens, output tokens, cached, duration ms)
KNOWN = [
    (0, "gpt-4o", "0.50", 100, 50, 10, 1000),
    (0, "claude-haiku-4-5", "0.25", 200, 80, 0, 400),
    (1, "gpt-4o", "0.07", 300, 20, 30, 1200),
    (3, "gpt-4o", "0.11", 150, 40, 0, 900),
    (3, "claude-haiku-4-5", "0.02", 90, 10, 5, 500),
    (3, "my-local-model", None, 60, 60, 0, 300),
    (9, "claude-haiku-4-5", "0.30", 500, 100, 0, 700),  # outside "7 days"
    (20, "gpt-4o", "0.90", 800, 200, 100, 1500),
]


def record(core, when: datetime, model: str, cost: str | None, tin=100, tout=50, cached=0, ms=1000.0) -> None:
    """A finished call in history, written the way the app writes (never from the GUI thread)."""

    def write() -> None:
        call = core.history.start_call(
            CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=when)
        )
        core.history.finish_call(
            call,
            CallEnd(
                "ok",
                input_tokens=tin,
                output_tokens=tout,
                cache_read_tokens=cached,
                cost_usd=None if cost is None else Decimal(cost),
                duration_ms=ms,
                ttft_ms=ms / 4,
            ),
        )

    off_gui(write)


def noon(back: int) -> datetime:
    return datetime.combine(date.today() - timedelta(days=back), datetime.min.time(), UTC) + timedelta(
        hours=12
    )


def local_day(core, when: datetime) -> date:
    zone = off_gui(core.reports.clock.zone_name)
    return when.astimezone(ZoneInfo(zone)).date()


def load_known(core) -> list[tuple[date, str, Decimal | None, int, int, int, float]]:
    rows = []
    for back, model, cost, tin, tout, cached, ms in KNOWN:
        record(core, noon(back), model, cost, tin, tout, cached, ms)
        rows.append(
            (
                local_day(core, noon(back)),
                model,
                None if cost is None else Decimal(cost),
                tin,
                tout,
                cached,
                ms,
            )
        )
    return rows


def open_spend(make_window, qtbot, range_name: str = "30 days"):
    window = make_window()
    window.resize(1280, 800)
    window.show_spend()
    qtbot.waitUntil(lambda: window.spend is not None, timeout=10_000)  # built in steps
    view = window.spend
    view.range.setCurrentText(range_name)
    view.refresh()
    qtbot.waitUntil(lambda: view.data is not None and view.cards["Calls"].text() != "–", timeout=10_000)
    return view


def bar_sums(view) -> dict[date, float]:
    """The height of each drawn bar stack, read from the bar items themselves."""
    sums: dict[date, float] = defaultdict(float)
    for item in view.bar_items:
        for x, h in zip(item.opts["x"], item.opts["height"], strict=True):
            sums[date.fromtimestamp(x)] += h
    return dict(sums)


def write(core, day: str, model: str, status: str = "ok", **end) -> None:
    """A call at noon UTC of ``day`` (the same local day within ±11 h), written off the GUI thread."""

    def run() -> None:
        when = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=UTC)
        call = core.history.start_call(
            CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=when)
        )
        core.history.finish_call(call, CallEnd(status, **end))

    off_gui(run)


def show(make_window, qtbot, core, monkeypatch, today: date, range_name: str, period: str = "day"):
    monkeypatch.setattr(core.reports.clock, "today", lambda: today)
    view = open_spend(make_window, qtbot, range_name)
    if view.period.currentText() != period:
        view.period.setCurrentText(period)
        view.refresh()
    qtbot.waitUntil(lambda: view.data is not None and view.data.period == period and not view.drawing)
    return view
