"""Rules found on the development set (``tests/extract_gold/dev/``), each tested on sentences
written for the test: lists of speakers, inserted clauses, appositives, reporting verbs, times
of day, the speaker's "today", decades, reported futures and the story's own window."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.extract import Article, extract
from timeline.extract.dates import find_dates
from timeline.extract.text import sentences

MONDAY = dt.date(2024, 2, 12)
WEDNESDAY = dt.date(2024, 2, 14)


def rows(text: str, published: dt.date = MONDAY) -> list[dict[str, object]]:
    events = extract([Article(text, published, "Wire", "story")]).events
    return events.to_dict("records")  # type: ignore[return-value]


def by_actor(text: str, published: dt.date = MONDAY) -> dict[str, dict[str, object]]:
    return {str(r["actor"]): r for r in rows(text, published)}


# ------------------------------------------------------------------ several speakers at once


def test_a_list_of_speakers_gives_one_event_each() -> None:
    found = rows(
        "On Tuesday, the Bank of Ghana, the Bank of Nigeria and the Central Bank of Kenya jointly "
        "announced that they would cut their rates."
    )
    assert [r["actor"] for r in found] == ["Bank of Ghana", "Bank of Nigeria", "Central Bank of Kenya"]
    assert {r["start"] for r in found} == {"2024-02-06"}
    assert {r["kind"] for r in found} == {"statement"}


def test_along_with_names_a_second_speaker() -> None:
    found = by_actor(
        "Mayor Lisa Grant, along with councillor Omar Haddad, called on the state to fund the repairs on Friday."
    )
    assert set(found) == {"Lisa Grant", "Omar Haddad"}
    assert {r["start"] for r in found.values()} == {"2024-02-09"}


def test_two_people_named_in_one_subject_are_not_a_list_without_and() -> None:
    found = rows("In Lagos, the central bank said on Friday that rates would hold.")
    assert len(found) == 1 and found[0]["actor"] != "Lagos"


# ------------------------------------------------------------------ the subject through what stands beside it


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("Governor Alan Reyes, speaking at a rally in Tulsa, said on Sunday that taxes would fall.", "Alan Reyes"),
        ("Unite, meanwhile, says that the strike will go on until Friday.", "Unite"),
        ('Chief economist at Harbor Point Securities Maria Lund said on Friday: "Rates will rise."', "Maria Lund"),
        ('Tom Reilly an analyst for Crestline Partners, commented on Friday: "Prices are too high."', "Tom Reilly"),
        ("Ana Costa, the Lisbon Port Authority director, explained the plan on Monday.", "Ana Costa"),
    ],
)
def test_the_speaker_is_found_past_inserted_clauses_and_appositives(sentence: str, actor: str) -> None:
    assert [r["actor"] for r in rows(sentence)] == [actor]


def test_a_name_with_a_role_after_it_is_learned_for_later_mentions() -> None:
    found = rows(
        "Reporters met Jorge Pena, a marine biologist who studies the reef.\n"
        "Mr. Pena said on Monday that the coral was dying."
    )
    assert [r["actor"] for r in found] == ["Jorge Pena"]


def test_a_role_at_an_organisation_gives_the_persons_organisation() -> None:
    found = rows('Chief economist at Harbor Point Securities Maria Lund said on Friday: "Rates will rise."')
    assert found[0]["organisation"] == "Harbor Point Securities"


# ------------------------------------------------------------------ reporting verbs


@pytest.mark.parametrize(
    ("sentence", "actor", "kind"),
    [
        ('The Greek government opposed the ruling on Tuesday, calling it "unjust".', "Greek government", "denial"),
        (
            'Chile\'s government referred to the treaty as a "historic step" on Monday.',
            "Chile's government",
            "statement",
        ),
        ('Airline spokeswoman Rita Moss spoke about the delays on Sunday: "We are sorry."', "Rita Moss", "statement"),
        ("The council welcomed the verdict on Friday.", "Council", "statement"),
        ("Senator Ruth Odell condemned the raid on Saturday.", "Ruth Odell", "statement"),
    ],
)
def test_more_reporting_verbs(sentence: str, actor: str, kind: str) -> None:
    found = rows(sentence)
    assert [(r["actor"], r["kind"]) for r in found] == [(actor, kind)]


def test_a_quotation_after_reported_speech_is_a_second_event_of_the_same_day() -> None:
    found = rows('Mayor Ana Lopez said on Friday that the bridge would reopen. "We have waited too long," she said.')
    assert [(r["actor"], r["start"]) for r in found] == [("Ana Lopez", "2024-02-09"), ("Ana Lopez", "2024-02-09")]
    assert found[1]["quote"] == "We have waited too long"


# ------------------------------------------------------------------ dates


def test_a_time_of_day_is_the_day_of_the_sentence_before_else_publication() -> None:
    found = rows("The storm hit the coast on Tuesday.\nAt 3 p.m., Mayor Paul Vidal announced that the port was closed.")
    assert [(r["actor"], r["start"], r["date_text"]) for r in found][-1] == ("Paul Vidal", "2024-02-06", "At 3 p.m.")
    alone = rows("At 0800 UTC, the Bank of Peru announced that it would sell dollars.")
    assert (alone[0]["start"], alone[0]["approximate"]) == ("2024-02-12", False)


def test_today_in_a_quotation_is_the_speakers_day() -> None:
    found = rows(
        "Floods hit the city of Arles yesterday, closing every school.\n"
        '"The river rose faster today than ever before," said Mayor Paul Vidal.',
        WEDNESDAY,
    )
    vidal = next(r for r in found if r["actor"] == "Paul Vidal")
    assert (vidal["start"], vidal["end"], vidal["approximate"]) == ("2024-02-13", "", False)
    assert "speaker's day" in str(vidal["confidence_reason"])
    plain = rows('"We are open today," said owner Nina Park.', WEDNESDAY)
    assert plain[0]["start"] == "2024-02-14"  # no earlier news day: the article's own


def test_a_decade_is_its_ten_years() -> None:
    (when,) = find_dates("The dam was built in the 1960s.", MONDAY)
    assert (when.start_text(), when.end_text(), when.precision, when.approximate) == ("1960", "1969", "year", True)


def test_a_reported_future_points_forward_and_does_not_date_the_speech() -> None:
    (when,) = find_dates("The minister said the plant would open on Friday.", MONDAY)
    assert when.start_text() == "2024-02-16"
    found = rows("Energy minister Lars Berg announced that the plant would open on Friday.")
    assert found[0]["start"] != "2024-02-16" and found[0]["approximate"] is True


def test_an_undated_statement_spans_the_story_as_the_text_dates_it() -> None:
    found = rows(
        "Fuel prices have climbed steadily since early August, the worst run since 1990.\n"
        "Energy minister Lars Berg said that supplies were secure.",
        dt.date(2008, 9, 18),
    )
    berg = found[0]
    assert (berg["start"], berg["approximate"]) == ("2008-08", True)
    assert str(berg["end"]).startswith("2008-09")
    assert "story starts" in str(berg["confidence_reason"])


# ------------------------------------------------------------------ text


def test_a_line_starting_lower_case_carries_on_the_line_above_even_after_a_stop() -> None:
    text = (
        "Markets rose.\n\n"
        "The Treasury said it would insure funds in the U.S.\n"
        "money market industry from Monday.\n\n"
        "Banks welcomed it."
    )
    body = [s.text for s in sentences(text) if s.is_body]
    assert "The Treasury said it would insure funds in the U.S. money market industry from Monday." in body


# ------------------------------------------------------------------ actions and their actors


def test_an_announcement_named_as_a_noun_is_its_owners_statement() -> None:
    found = rows("Shares rose on Friday after the Kenyan government's announcement that it would cut fuel taxes.")
    assert [(r["actor"], r["kind"]) for r in found] == [("Kenyan government", "statement")]


def test_a_court_with_its_seat_and_a_short_form_is_named_by_both() -> None:
    found = rows(
        "On Friday, a European Union (EU) court in Luxembourg struck down the data law.\n"
        "The court also ordered the ministry to pay costs."
    )
    assert [r["actor"] for r in found] == ["EU court in Luxembourg", "EU court in Luxembourg"]


def test_a_verb_form_after_a_determiner_is_a_noun() -> None:
    found = rows("These claims were first made by Norway in the 1920s.")
    assert [(r["actor"], r["kind"], r["start"], r["end"]) for r in found] == [("Norway", "action", "1920", "1929")]


def test_a_passive_with_its_agent_is_the_agents_action() -> None:
    found = rows("The bridge was opened by Governor Lena Moss on Friday.")
    assert [(r["actor"], r["kind"], r["start"]) for r in found] == [("Lena Moss", "action", "2024-02-09")]


def test_a_dated_clause_with_its_agent_is_an_action_of_its_own() -> None:
    found = rows("The court condemned the dumping by Italy, which breaches the treaty signed by Italy in 1992.")
    italy = [r for r in found if r["actor"] == "Italy"]
    assert [(r["kind"], r["start"]) for r in italy] == [("action", "1992")]
    assert all(r["start"] != "1992" for r in found if r["actor"] != "Italy")  # not the court's date


def test_an_undated_act_of_a_named_person_or_organisation_is_a_candidate_with_an_honest_window() -> None:
    found = rows(
        "Floods closed the port on Sunday.\n"
        "President Ana Ruiz went on national television to calm the public.\n"
        "The Central Bank of Peru offered loans to the affected firms.\n"
        "The main index fell 3% and shares dropped across the board.\n"
        "They waited for news."
    )
    acts = {str(r["actor"]): r for r in found}
    assert set(acts) == {"Ana Ruiz", "Central Bank of Peru"}
    for act in acts.values():
        assert (act["start"], act["end"], act["approximate"]) == ("2024-02-11", "2024-02-12", True)
        assert float(str(act["confidence"])) < 0.5


# ------------------------------------------------------------------ found on further texts (no gold)


def test_a_participle_after_a_clause_is_spoken_by_the_clauses_subject() -> None:
    found = rows("Last Friday, Cramer went on air on CNBC, saying that the Fed was asleep.")
    assert [r["actor"] for r in found] == ["Cramer"]
    found = rows("Acme Foods made a statement this week, saying that it would close two plants.")
    assert [r["actor"] for r in found] == ["Acme Foods"]


@pytest.mark.parametrize(
    ("sentence", "actor", "organisation"),
    [
        (
            '"Prices will fall," said Keith Moran of Capital Financial Partners on Friday.',
            "Keith Moran",
            "Capital Financial Partners",
        ),
        (
            "Peter Vance, chief market economist at Avalon Trust, commented on Friday that prices had peaked.",
            "Peter Vance",
            "Avalon Trust",
        ),
        ("Jim Hale, of Channel Nine's Money Hour, remarked on Friday that savers had lost.", "Jim Hale", ""),
    ],
)
def test_a_persons_organisation_beside_the_name_does_not_take_the_name(
    sentence: str, actor: str, organisation: str
) -> None:
    found = rows(sentence)
    assert [r["actor"] for r in found] == [actor]
    if organisation:
        assert found[0]["organisation"] == organisation


def test_a_description_before_a_name_is_not_part_of_it() -> None:
    found = rows(
        "On Friday, consulting firm Brightwell reported a loss.\nFellow retailer Corvo posted a loss on Friday."
    )
    assert [r["actor"] for r in found] == ["Brightwell", "Corvo"]


def test_the_source_of_figures_is_who_they_are_according_to() -> None:
    found = rows("Exports fell in January, according to figures released by the Trade Ministry.")
    assert [r["actor"] for r in found] == ["Trade Ministry"]
    both = rows("The Herald and the Courier both report that the mayor resigned on Friday.")
    assert [r["actor"] for r in both] == ["Herald", "Courier"]


def test_what_is_not_speech_or_an_act() -> None:
    said = rows("The plan was announced on Monday.\nFinance minister Ola Berg said on Monday that it was fair.")
    assert [r["actor"] for r in said] == ["Ola Berg"]  # a passive reporting verb is not the plan speaking
    found = rows(
        "After the news was announced on Monday the index dipped.\n"
        "On Friday, the Dow Jones nearly broke its record.\n"
        "Storms destroyed homes on Sunday.\n"
        "OPEC will hold a meeting on February 20.\n"
        "Police arrested two men on Sunday."
    )
    assert [(r["actor"], r["kind"]) for r in found] == [("Police", "action")]
