"""History import of hostile files, in a real process: each is refused in one line that names the file,
and the history is not touched."""

from __future__ import annotations

import pytest

from tests.playground.cli.cli_proc import cli, one_error_line


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("deep.json", b"[" * 200_000 + b"]" * 200_000, "deep.json is nested too deeply to be a history"),
        ("empty.json", b"", "empty.json is neither a history export nor an llm logs.db"),
        ("cut.db", b"SQLite format 3\x00" + b"\x00" * 200, "cut.db is not an llm logs.db"),
    ],
)
def test_a_hostile_file_is_refused_in_one_line(isolated_home, tmp_path, name, content, said):
    path = tmp_path / name
    path.write_bytes(content)
    done = cli("import", str(path))
    assert done.returncode != 0 and done.stdout == ""
    line = one_error_line(done.stderr)
    assert said in line and "Recursion" not in line and "unexpected" not in line
