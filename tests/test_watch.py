"""The served data file is watched: a change is picked up on the next look, and a change
that breaks validation keeps the last good data while reporting the problems."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from timeline.app.state import Library
from timeline.io import DEFAULT_DATA, load_events

HEADER = "id,start,actor,kind,title\n"


def rewrite(path: Path, text: str) -> None:
    """Write the file and move its modification time on, as a later edit would."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


@pytest.fixture
def served_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "a,2022,Kyiv,claim,One\n", encoding="utf-8")
    return path


def test_an_unchanged_file_is_not_read_again(served_file: Path) -> None:
    dataset = load_events(served_file)
    library = Library(served_file, dataset)
    assert library.served().dataset is dataset
    assert library.served().problems is None


def test_a_changed_file_is_served_on_the_next_look(served_file: Path) -> None:
    library = Library(served_file, load_events(served_file))
    rewrite(served_file, HEADER + "a,2022,Kyiv,claim,One\nb,2023,Moscow,denial,Two\n")
    served = library.served()
    assert served.problems is None
    assert sorted(served.dataset.events["actor"]) == ["Kyiv", "Moscow"]


def test_a_broken_change_keeps_the_last_good_data_and_reports_why(served_file: Path) -> None:
    library = Library(served_file, load_events(served_file))
    rewrite(served_file, HEADER + "a,2022,Kyiv,claim,One\nb,2023,Moscow,gossip,Two\n")
    served = library.served()
    assert served.dataset.events["actor"].tolist() == ["Kyiv"]
    assert served.problems is not None
    ((row, column, value),) = [(p.row, p.column, p.value) for p in served.problems.problems]
    assert (row, column, value) == (2, "kind", "gossip")
    # Fixed again: the problems go, the new data comes.
    rewrite(served_file, HEADER + "c,2024,Kyiv,claim,Three\n")
    served = library.served()
    assert served.problems is None
    assert served.dataset.events["id"].tolist() == ["c"]


def test_a_deleted_file_keeps_the_last_good_data(served_file: Path) -> None:
    library = Library(served_file, load_events(served_file))
    served_file.unlink()
    served = library.served()
    assert served.dataset.events["id"].tolist() == ["a"]
    assert served.problems is not None
    assert "file not found" in str(served.problems)


def test_sessions_with_an_upload_see_it_and_others_see_the_served_file(served_file: Path) -> None:
    library = Library(served_file, load_events(served_file))
    upload = load_events(DEFAULT_DATA)
    token = library.add_upload(upload)
    assert library.resolve({"token": token, "name": "events.csv"}) == (upload, None)
    assert library.resolve(None)[0].events["id"].tolist() == ["a"]
    dataset, note = library.resolve({"token": "forgotten", "name": "mine.csv"})
    assert dataset.events["id"].tolist() == ["a"]
    assert note is not None and "mine.csv" in note
