"""Facts about the default dataset (data/events.csv) and its seed (seeds/).

Uses only the csv module and pathlib, so it checks the files themselves, not the
project's reading of them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "data" / "events.csv"
SEEDS = ROOT / "seeds"
INDEX = SEEDS / "index.csv"
SEED_ID = "000_4c4fdb7f43b4f576"
ARTICLE = SEEDS / f"{SEED_ID}.txt"

HEADER = [
    "id",
    "start",
    "end",
    "precision",
    "approximate",
    "date_text",
    "actor",
    "organisation",
    "side",
    "kind",
    "title",
    "summary",
    "quote",
    "source",
    "source_text",
    "responds_to",
    "denies",
    "confirms",
    "reports_on",
    "refers_to",
    "status",
    "status_by",
    "status_source",
]
INDEX_HEADER = ["id", "file", "publisher", "language", "published", "title", "topic"]
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PRECISION_OF_LENGTH = {4: "year", 7: "month", 10: "day"}
SIDES = {"Russia", "Ukraine", "SpaceX / Musk", "Media"}
KINDS = {"action", "statement", "claim", "denial", "report"}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def events() -> list[dict[str, str]]:
    return _read(EVENTS)[1]


@pytest.fixture(scope="module")
def by_id(events: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in events}


@pytest.fixture(scope="module")
def index_rows() -> list[dict[str, str]]:
    return _read(INDEX)[1]


def _first_last(value: str) -> tuple[str, str]:
    """The first and last ISO day a partial date may mean (as comparable text)."""
    year, *rest = value.split("-")
    month = rest[0] if rest else None
    day = rest[1] if len(rest) > 1 else None
    first = f"{year}-{month or '01'}-{day or '01'}"
    last = f"{year}-{month or '12'}-{day or '31'}"
    return first, last


# --- file shape -------------------------------------------------------------------------------


def test_events_header_is_exact() -> None:
    header, rows = _read(EVENTS)
    assert header == HEADER
    assert all(None not in row for row in rows), "a row has more cells than the header"


def test_events_file_is_utf8_without_bom() -> None:
    raw = EVENTS.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")


def test_row_count_is_plausible(events: list[dict[str, str]]) -> None:
    assert 14 <= len(events) <= 20


def test_ids_are_unique_and_well_formed(events: list[dict[str, str]]) -> None:
    ids = [row["id"] for row in events]
    assert len(ids) == len(set(ids))
    assert all(ID_PATTERN.match(i) for i in ids), ids


# --- column rules -----------------------------------------------------------------------------


def test_dates_precision_and_windows(events: list[dict[str, str]]) -> None:
    for row in events:
        start, end = row["start"], row["end"]
        assert DATE_PATTERN.match(start), row["id"]
        assert row["precision"] == PRECISION_OF_LENGTH[len(start)], row["id"]
        assert row["approximate"] in {"true", "false"}, row["id"]
        if end:
            assert DATE_PATTERN.match(end), row["id"]
            assert _first_last(end)[1] >= _first_last(start)[0], row["id"]


def test_enumerated_columns(events: list[dict[str, str]]) -> None:
    for row in events:
        assert row["side"] in SIDES, row["id"]
        assert row["kind"] in KINDS, row["id"]
        for column in ("actor", "title", "summary", "source", "source_text"):
            assert row[column].strip(), (row["id"], column)


def test_date_text_is_the_article_wording_or_blank(events: list[dict[str, str]], article: str) -> None:
    # date_text keeps how the article phrased the date; where the article gives none, the
    # date comes from a cited reference and date_text stays blank rather than borrow words.
    for row in events:
        if row["date_text"]:
            assert row["date_text"] in article, row["id"]
        else:
            assert "http" in row["source"], row["id"]


def test_every_quote_stands_in_its_source_sentence(events: list[dict[str, str]]) -> None:
    for row in events:
        assert row["quote"] in row["source_text"], row["id"]


def test_source_text_is_verbatim_from_article(events: list[dict[str, str]], article: str) -> None:
    for row in events:
        assert row["source_text"] in article, row["id"]


def test_quotes_are_verbatim_from_article(events: list[dict[str, str]], article: str) -> None:
    for row in events:
        if row["quote"]:
            assert row["quote"] in article, row["id"]


def test_relations_name_existing_events(events: list[dict[str, str]]) -> None:
    ids = {row["id"] for row in events}
    for row in events:
        for column in ("responds_to", "denies", "confirms", "reports_on", "refers_to"):
            targets = [t for t in row[column].split(";") if t]
            assert all(t in ids for t in targets), (row["id"], column, targets)
            assert row["id"] not in targets, row["id"]


def test_loaded_wording_only_inside_quotes(events: list[dict[str, str]]) -> None:
    # The quote and the verbatim source sentence are the article's words; the rest is ours.
    for row in events:
        for column in HEADER:
            if column not in ("quote", "source_text"):
                assert "kiev regime" not in row[column].lower(), (row["id"], column)
            elif column == "source_text" and "kiev regime" in row[column].lower():
                assert "“discussion between the Kiev regime" in row[column], (row["id"], column)


def test_actor_spellings_are_consistent(events: list[dict[str, str]]) -> None:
    actors = {row["actor"] for row in events}
    folded: dict[str, set[str]] = {}
    for actor in actors:
        folded.setdefault(actor.casefold().replace(" ", ""), set()).add(actor)
    assert all(len(spellings) == 1 for spellings in folded.values()), folded


# --- named events -----------------------------------------------------------------------------


def _matching(events: list[dict[str, str]], actor: str, start: str, phrase: str) -> list[str]:
    return [
        row["id"] for row in events if row["actor"] == actor and row["start"] == start and phrase in row["date_text"]
    ]


@pytest.mark.parametrize(
    ("actor", "start", "phrase"),
    [
        ("Dmitry Peskov", "2024-02-12", "Monday"),
        ("Elon Musk", "2024-02-11", "Sunday"),
        ("SpaceX", "2024-02-08", "Thursday"),
        ("GUR", "2024-02-11", "Sunday"),
        ("Elon Musk", "2023", "last year"),
        ("Elon Musk", "2023-09", "In September"),
        ("CNN", "2023-09-07", "Earlier"),
    ],
)
def test_relative_dates_resolve_against_publication(
    events: list[dict[str, str]], actor: str, start: str, phrase: str
) -> None:
    assert _matching(events, actor, start, phrase), (actor, start, phrase)


def test_peskov_remarks_are_split_and_dated(events: list[dict[str, str]]) -> None:
    peskov = [row for row in events if row["actor"] == "Dmitry Peskov"]
    assert len(peskov) >= 3
    assert all(row["start"] == "2024-02-12" and row["precision"] == "day" for row in peskov)
    assert all("Monday" in row["date_text"] and row["organisation"] == "Kremlin" for row in peskov)


def test_offensive_is_february_2022(by_id: dict[str, dict[str, str]]) -> None:
    row = by_id["russia-offensive-2022"]
    assert row["start"].startswith("2022-02")
    assert row["actor"] == "Russian armed forces"
    assert "February 2022" in row["date_text"]


def test_donation_is_an_honest_window(by_id: dict[str, dict[str, str]]) -> None:
    row = by_id["musk-starlink-donation"]
    assert row["approximate"] == "true"
    assert row["start"].startswith("2022-02")
    assert row["end"]
    assert "shortly after" in row["date_text"]
    assert "20,000" in row["source_text"]
    assert row["responds_to"] == "russia-offensive-2022"


def test_drone_use_runs_to_publication(by_id: dict[str, dict[str, str]]) -> None:
    row = by_id["ukraine-starlink-drone-use"]
    assert row["approximate"] == "true"
    assert row["end"] == "2024-02-12"


def test_last_year_and_september_statements(by_id: dict[str, dict[str, str]]) -> None:
    last_year = by_id["musk-refusal-acknowledged-2023"]
    assert (last_year["start"], last_year["precision"]) == ("2023", "year")
    # Said in 2023 about a refusal of September 2022: a link back in time, not an answer.
    assert "musk-crimea-refusal" in last_year["refers_to"].split(";")
    september = by_id["musk-sanctions-explanation"]
    assert (september["start"], september["precision"]) == ("2023-09", "month")
    assert "United States has sanctions against Russia" in september["quote"]
    assert "musk-crimea-refusal" in september["refers_to"].split(";")


def test_crimea_request_and_refusal_are_sourced_outside_the_article(
    by_id: dict[str, dict[str, str]],
) -> None:
    request = by_id["ukraine-crimea-starlink-request"]
    refusal = by_id["musk-crimea-refusal"]
    for row in (request, refusal):
        # The article gives no date: month precision from public accounts, cited.
        assert (row["start"], row["precision"], row["end"]) == ("2022-09", "month", "")
        assert "http" in row["source"]
    assert refusal["responds_to"] == request["id"]


def test_cnn_report_reports_on_the_refusal(by_id: dict[str, dict[str, str]]) -> None:
    row = by_id["cnn-report-musk-decision"]
    assert row["kind"] == "report"
    assert row["side"] == "Media"
    assert set(row["reports_on"].split(";")) == {"musk-crimea-refusal", "ukraine-sea-drone-attack"}
    assert "http" in row["source"]
    # Disputed in the voice of those who dispute it, with a cited public reference.
    assert row["status"] == "disputed"
    assert "Isaacson" in row["status_by"]
    assert "https://" in row["status_source"]


def test_musk_sunday_post_denies_kyiv_allegations(by_id: dict[str, dict[str, str]]) -> None:
    row = by_id["musk-false-news-reports"]
    assert row["kind"] == "denial"
    assert row["quote"].startswith("a number of false news reports")
    assert set(row["denies"].split(";")) == {"gur-intercept-claim", "yusov-systematic-use"}
    # The headline says so: Musk "has denied ... following allegations from Kiev".
    assert row["responds_to"] == ""


def test_the_allegations_are_disputed_by_the_denier(by_id: dict[str, dict[str, str]]) -> None:
    for event_id in ("gur-intercept-claim", "yusov-systematic-use"):
        assert (by_id[event_id]["status"], by_id[event_id]["status_by"]) == ("disputed", "Elon Musk (SpaceX)")
        assert by_id[event_id]["status_source"].startswith(SEED_ID)


def test_statuses_are_given_only_with_who_gives_them(events: list[dict[str, str]]) -> None:
    for row in events:
        if row["status"] in ("disputed", "confirmed", "false"):
            assert row["status_by"] and row["status_source"], row["id"]
        if not row["status"]:
            assert not row["status_by"] and not row["status_source"], row["id"]


def test_peskov_spoke_shortly_after_gur_claim(by_id: dict[str, dict[str, str]]) -> None:
    for event_id in ("peskov-never-ordered", "peskov-not-certified"):
        assert "gur-intercept-claim" in by_id[event_id]["responds_to"].split(";")
    assert by_id["peskov-not-certified"]["quote"] == ("cannot be and is not being delivered here officially.")


def test_gur_claim_and_yusov(by_id: dict[str, dict[str, str]]) -> None:
    gur = by_id["gur-intercept-claim"]
    assert (gur["actor"], gur["start"], gur["kind"]) == ("GUR", "2024-02-11", "claim")
    assert gur["organisation"] == "Main Directorate of Intelligence (GUR)"
    yusov = by_id["yusov-systematic-use"]
    assert yusov["actor"] == "Andrey Yusov"
    assert "2024-02-10" <= yusov["start"] <= "2024-02-12"
    assert "http" in yusov["source"], "the article gives no day: the date must be cited"


def test_article_dated_events_cite_only_the_seed(events: list[dict[str, str]]) -> None:
    """An event whose day comes from the article's own relative dates needs no other source."""
    for row in events:
        if row["date_text"] in {"on Monday", "on Sunday", "last year"} and row["actor"] != "GUR":
            assert row["source"].split(";")[0] == SEED_ID, row["id"]


# --- seed and metadata ------------------------------------------------------------------------


def test_seed_index_metadata(index_rows: list[dict[str, str]], article: str) -> None:
    header, _ = _read(INDEX)
    assert header == INDEX_HEADER
    assert len(index_rows) == 1
    row = index_rows[0]
    assert row["id"] == SEED_ID
    assert row["file"] == f"{SEED_ID}.txt"
    assert row["publisher"] == "RT (English edition)"
    assert row["language"] == "en"
    assert row["published"] == "2024-02-12"
    assert row["title"] == article.split("\n", 1)[0]
    assert "Starlink" in row["topic"]


def test_indexed_seed_files_exist(index_rows: list[dict[str, str]]) -> None:
    for row in index_rows:
        assert (SEEDS / row["file"]).is_file(), row["file"]


def test_every_source_starts_with_an_indexed_seed(
    events: list[dict[str, str]], index_rows: list[dict[str, str]]
) -> None:
    seeds = {row["id"] for row in index_rows}
    for row in events:
        assert row["source"].split(";")[0].strip() in seeds, row["id"]


def test_every_relation_and_status_of_the_seed_is_justified_in_the_docs(events: list[dict[str, str]]) -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "seed-threads.md").read_text(encoding="utf-8")
    relations_part, statuses_part = text.split("## Claim statuses", 1)
    documented = set(re.findall(r"^\| `([\w.:-]+)` \| `(\w+)` \| `([\w.:-]+)` \| .+\|$", relations_part, flags=re.M))
    in_data = {
        (row["id"], column, target)
        for row in events
        for column in ("responds_to", "denies", "confirms", "reports_on", "refers_to")
        for target in row[column].split(";")
        if target
    }
    assert documented == in_data
    statuses = set(re.findall(r"^\| `([\w.:-]+)` \| `(\w+)` \|", statuses_part, flags=re.M))
    assert statuses == {(row["id"], row["status"]) for row in events if row["status"]}
