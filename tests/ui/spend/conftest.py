"""The Spend page's month-end projection depends on the hour (too early to project before 6 am on the
1st): every Spend test that has a core sees it at noon of today, in its zone, whatever the hour it runs."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.ui.conftest import off_gui


@pytest.fixture(autouse=True)
def noon_today(request, monkeypatch):
    if "core" not in request.fixturenames:
        return
    clock = request.getfixturevalue("core").reports.clock
    zone = ZoneInfo(off_gui(clock.zone_name))
    moment = datetime.combine(datetime.now(zone).date(), time(12), zone)
    monkeypatch.setattr(clock, "now", lambda: moment)
