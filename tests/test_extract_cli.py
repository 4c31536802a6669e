"""``timeline extract``: articles in, validated candidates out, and bad input worded, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import main
from timeline.io import PACKAGE_ROOT, load_events

SEED = PACKAGE_ROOT / "seeds" / "000_4c4fdb7f43b4f576.txt"
STORY = "Port strike\nOn Sunday, union leader Carla Diaz said that the strike would go on.\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["extract", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_seed_to_a_validated_csv(tmp_path: Path) -> None:
    out = tmp_path / "candidates.csv"
    code, stdout, _ = run(str(SEED), "--published", "2024-02-12", "--publisher", "RT", "-o", str(out))
    assert code == 0, stdout
    assert "candidate events" in stdout
    events = load_events(out).events
    assert {"Dmitry Peskov", "Elon Musk", "SpaceX", "GUR", "Andrey Yusov", "CNN"} <= set(events["actor"])
    assert set(events["review"]) == {"unreviewed"}
    assert events["source"].str.startswith("RT: 000_4c4fdb7f43b4f576").all()


@pytest.mark.parametrize("suffix", [".json", ".xlsx", ".parquet", ".tsv", ".timelinejs.csv"])
def test_the_extension_picks_the_format(tmp_path: Path, suffix: str) -> None:
    article = tmp_path / "story.txt"
    article.write_text(STORY, encoding="utf-8")
    out = tmp_path / f"candidates{suffix}"
    code, stdout, _ = run(str(article), "--published", "2024-05-20", "-o", str(out))
    assert code == 0, stdout
    assert load_events(out).events["actor"].tolist() == ["Carla Diaz"]


def test_without_out_a_readable_table(tmp_path: Path) -> None:
    code, stdout, stderr = run(str(SEED), "--published", "2024-02-12")
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].split()[:4] == ["start", "end", "actor", "kind"]
    assert any("Dmitry Peskov" in line and "2024-02-12" in line for line in lines)
    assert "15 candidate events" in stderr


def test_an_html_article_is_read_for_its_main_text(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Port strike</title></head><body><nav>Home | World | Sport</nav>"
        "<article><h1>Port strike</h1><p>On Sunday, union leader Carla Diaz said that the strike would go on "
        "until the owners agreed to talk to the union about pay and hours.</p>"
        "<p>The port authority said on Friday that cargo had been diverted to other harbours in the region.</p>"
        "</article><footer>Copyright 2024</footer></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "c.csv"
    code, stdout, _ = run(str(page), "--published", "2024-05-20", "-o", str(out))
    assert code == 0, stdout
    events = load_events(out).events
    assert set(events["actor"]) == {"Carla Diaz", "Port authority"}
    assert not events["source_text"].str.contains("Copyright|Home").any()


def test_several_articles_with_a_date_each_and_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Dockers\nUnion leader Carla Diaz said on Saturday that the strike would go on.\n", encoding="utf-8"
    )
    out = tmp_path / "c.csv"
    args = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--published", "2024-05-20", "--published", "2024-05-21"]
    code, stdout, _ = run(*args, "--publisher", "Wire", "--publisher", "Daily", "-o", str(out))
    assert code == 0, stdout
    row = load_events(out).events.iloc[0]
    assert (row["outlets"], row["source"]) == ("2", "Wire: a; Daily: b")
    manifest = tmp_path / "story.json"
    manifest.write_text(
        json.dumps(
            [
                {"file": "a.txt", "published": "2024-05-20", "publisher": "Wire"},
                {"file": "b.txt", "published": "21 May 2024", "publisher": "Daily"},
            ]
        ),
        encoding="utf-8",
    )
    code, stdout, _ = run("--manifest", str(manifest), "-o", str(out))
    assert code == 0, stdout
    assert load_events(out).events.iloc[0]["outlets"] == "2"
    csv_manifest = tmp_path / "story.csv"
    csv_manifest.write_text("file,published,publisher\na.txt,2024-05-20,Wire\nb.txt,,Daily\n", encoding="utf-8")
    code, _, stderr = run("--manifest", str(csv_manifest))
    assert code == 1 and "story.csv, row 2, column 'published': must not be blank" in stderr


def test_missing_published_is_a_usage_error_naming_it() -> None:
    code, _, stderr = run(str(SEED))
    assert code == 2
    assert "Missing option '--published'" in stderr and "Traceback" not in stderr


def test_published_given_a_wrong_number_of_times(tmp_path: Path) -> None:
    code, _, stderr = run(str(SEED), str(SEED), str(SEED), "--published", "2024-02-12", "--published", "2024-02-11")
    assert code == 2 and "--published is given 2 times for 3 articles" in stderr
    code, _, stderr = run(str(SEED), "--published", "February 2024")
    assert code == 2 and "is not a day" in stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (bytes(range(256)) * 20, "is a binary file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(2000), "is a binary file"),
        (b"The weather was fine and nobody said anything at all.\n", "found no statement"),
        (b"x" * 5 * 1024 * 1024, "is over 4,000,000 bytes"),
        (b"<html><body><script>var a = 1;</script></body></html>", "HTML page with no article text"),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_traceback(tmp_path: Path, content: bytes, message: str) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    code, stdout, stderr = run(str(article), "--published", "2024-02-12")
    assert code == 1
    assert message in stderr and "Traceback" not in stderr + stdout


def test_a_model_that_is_not_installed_is_named() -> None:
    code, _, stderr = run(str(SEED), "--published", "2024-02-12", "--model", "xx_missing_model")
    assert code == 1 and "'xx_missing_model' is not installed" in stderr


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    code, _, stderr = run(str(tmp_path / "nope.txt"), "--published", "2024-02-12")
    assert code == 1 and "nope.txt: file not found" in stderr


def test_read_article_decodes_utf8_and_utf16_and_keeps_the_headline() -> None:
    from timeline.extract import read_article

    text = "Port strike\nOn Sunday, union leader Carla Díaz said that the strike would go on.\n"
    assert read_article(text.encode("utf-8"), "a.txt") == text.strip()
    assert read_article("\ufeff".encode() + text.encode("utf-8"), "a.txt") == text.strip()
    assert read_article(text.encode("utf-16"), "a.txt") == text.strip()
    assert read_article(text.replace("\n", "\r\n").encode(), "a.txt") == text.strip()


def test_the_headline_names_people_but_reports_nothing() -> None:
    from timeline.extract import Article, extract

    text = "Mayor Ana Lopez quits over bridge\nOn Monday, Lopez said that she would step down.\n"
    events = extract([Article(text, dt.date(2024, 5, 20), "Wire", "a")]).events
    assert events["actor"].tolist() == ["Ana Lopez"]  # the surname resolves through the headline's full name
    assert events["source_text"].tolist() == ["On Monday, Lopez said that she would step down."]


def test_extract_refuses_an_article_without_text_or_date() -> None:
    from timeline.extract import Article, extract
    from timeline.schema import ValidationError

    with pytest.raises(ValidationError, match=r"a\.txt: is empty"):
        extract([Article("  ", dt.date(2024, 5, 20), name="a.txt")])
    with pytest.raises(ValidationError, match="no publication date"):
        extract([Article("On Monday, Lopez said so.", None, name="b.txt")])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="is 1,000,001 characters"):
        extract([Article("x" * 1_000_001, dt.date(2024, 5, 20), name="c.txt")])


def test_a_publication_time_counts_as_its_day() -> None:
    from timeline.extract import Article, extract

    text = "On Sunday, union leader Carla Diaz said that the strike would go on."
    events = extract([Article(text, dt.datetime(2024, 5, 20, 18, 30), "Wire", "a")]).events
    assert events["start"].tolist() == ["2024-05-19"]
