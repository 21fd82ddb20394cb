"""An admin API that misbehaves: the import ends with one clear line (a BillsError), never a hang
or an unexpected exception, and the key is in no message."""

from __future__ import annotations

from datetime import date

import pytest

from playground.bills.model import BillsError, Provider
from playground.bills.service import Bills
from tests.playground.cli.cli_proc import cli, one_error_line
from tests.servers.hostile_admin_server import HostileAdminServer

KEY = "sk-admin-HOSTILE-SECRET-0123456789"
MESSAGES = {
    "not_json": "not JSON",
    "no_fields": "cannot read",
    "endless": "kept saying there is more",
    "new_cursor_forever": "kept saying there is more",
}


def url(server: HostileAdminServer, provider: Provider) -> str:
    return server.base_url + ("/v1" if provider is Provider.OPENAI else "")


@pytest.mark.parametrize("provider", list(Provider))
@pytest.mark.parametrize("mode", list(MESSAGES))
def test_a_misbehaving_admin_api_ends_with_a_clear_error(core, provider, mode):
    bills = Bills(core.storage, core.keys, environ={provider.env_var: KEY})
    with HostileAdminServer(mode) as server:
        with pytest.raises(BillsError, match=MESSAGES[mode]) as caught:
            bills.import_api(provider, date(2026, 11, 1), date(2026, 11, 7), base_url=url(server, provider))
        assert server.requests <= 2 + 7 + 1  # bounded: at most one page per day of the range
    assert KEY not in str(caught.value)
    assert bills.imports()[0].status == "failed"


def test_the_cli_says_so_in_one_line():
    with HostileAdminServer("no_fields") as server:
        done = cli(
            "bills", "import", "--provider", "openai", "--from", "2026-11-01", "--to", "2026-11-02",
            "--base-url", url(server, Provider.OPENAI), env={"OPENAI_ADMIN_KEY": KEY},
        )  # fmt: skip
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert "OpenAI sent a bill this app cannot read" in line and "unexpected" not in line and KEY not in line
