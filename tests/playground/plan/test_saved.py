"""Saved workloads by name: round trip, rename, delete, and names that would escape the folder."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from playground.plan.saved import SavedWorkloads
from playground.plan.workload import Tokens, Workload, WorkloadError, load


def test_save_list_load_rename_delete(tmp_path):
    saved = SavedWorkloads(tmp_path)
    assert saved.names() == []
    w = Workload(D("1500"), Tokens(800, 2400), Tokens.fixed(300), cacheable_share=D("0.6"))
    path = saved.save(w, "support bot")
    assert path == tmp_path / "workloads" / "support bot.toml"
    assert load(path).requests_per_day == D(1500)  # the file `playground plan --file` reads
    saved.save(w, "Alpha")
    assert saved.names() == ["Alpha", "support bot"]
    again = saved.load("support bot")
    assert again.name == "support bot" and again.input == Tokens(800, 2400)
    assert again.cacheable_share == D("0.6")
    with pytest.raises(WorkloadError, match="already saved"):
        saved.rename("Alpha", "support bot")
    saved.rename("Alpha", "Beta")
    assert saved.names() == ["Beta", "support bot"] and saved.load("Beta").name == "Beta"
    saved.delete("Beta")
    assert saved.names() == ["support bot"]
    with pytest.raises(WorkloadError, match="no workload named"):
        saved.delete("Beta")


@pytest.mark.parametrize("name", ["../escape", "a/b", "c:\\d", "", "   ", ".hidden"])
def test_a_name_that_is_not_a_plain_file_name_is_refused(tmp_path, name):
    saved = SavedWorkloads(tmp_path)
    with pytest.raises(WorkloadError, match="name"):
        saved.save(Workload(D(1), Tokens.fixed(1), Tokens.fixed(1)), name)
    assert not (tmp_path / "workloads").exists() or saved.names() == []
    assert not (tmp_path / "escape.toml").exists()


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("🙂" * 80, "at most 80 characters"),  # 320 bytes: more than a file name holds
        ("CON", "cannot name a file on every system"),
        ("nul.txt", "cannot name a file on every system"),
        ("draft.", "cannot name a file on every system"),
    ],
)
def test_a_name_no_file_system_can_hold_is_refused_in_one_line(tmp_path, name, said):
    saved = SavedWorkloads(tmp_path)
    with pytest.raises(WorkloadError, match=said):
        saved.save(Workload(D(1), Tokens.fixed(1), Tokens.fixed(1)), name)
    assert saved.names() == []


def test_a_name_typed_in_two_unicode_forms_is_one_workload_and_unicode_names_round_trip(tmp_path):
    saved = SavedWorkloads(tmp_path)
    w = Workload(D(1), Tokens.fixed(1), Tokens.fixed(1))
    saved.save(w, "cafe\u0301")  # e + combining accent
    saved.save(replace(w, requests_per_day=D(2)), "café")  # the same name, precomposed
    assert saved.names() == ["café"]
    assert saved.load("cafe\u0301").requests_per_day == 2
    saved.save(w, "日本語 " + "🙂" * 10)
    assert saved.load("日本語 " + "🙂" * 10).name == "日本語 " + "🙂" * 10
