"""Speakers resolved as a careful reader would, on sentences from other stories than the seed."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from timeline.extract import Article, extract
from timeline.extract.quotes import attribute, first_quote
from timeline.extract.speakers import Gazetteer, Resolver
from timeline.extract.text import sentences

PUBLISHED = dt.date(2024, 5, 20)  # a Monday


def rows(text: str, model: object = None) -> list[dict[str, object]]:
    events = extract([Article(text, PUBLISHED, "Wire", "story")], model=model).events  # type: ignore[arg-type]
    return events.to_dict("records")  # type: ignore[return-value]


def speakers(text: str) -> list[str]:
    return [str(r["actor"]) for r in rows(text)]


# ------------------------------------------------------------------ quoted speech


@pytest.mark.parametrize(
    ("sentence", "mention", "quote"),
    [
        ('"The dam is safe," engineer Paula Reyes said on Monday.', "engineer Paula Reyes", "The dam is safe"),
        ("“The dam is safe,” engineer Paula Reyes said on Monday.", "engineer Paula Reyes", "The dam is safe"),
        ("“We will appeal,” said Attorney General Mark Olsen.", "Attorney General Mark Olsen", "We will appeal"),
        ("“We are ready,” she said, “and we will not wait.”", "she", "We are ready"),
        ("The coach said: “We played badly. We must improve.”", "The coach", "We played badly. We must improve."),
    ],
)
def test_quoted_speech_straight_curly_split_and_multi_sentence(sentence: str, mention: str, quote: str) -> None:
    found = attribute(sentence)
    assert found is not None
    assert found.mention == mention
    assert first_quote(sentence) == quote
    assert found.quote == quote


def test_a_quote_over_several_sentences_stays_one_sentence() -> None:
    text = "“The vote was rigged. We saw it. Nobody listened,” the candidate said on Sunday. Police left."
    units = sentences(text)
    assert units[0].text.endswith("the candidate said on Sunday.")
    assert len(units) == 2


@pytest.mark.parametrize(
    ("sentence", "mention", "content"),
    [
        ("Mayor Ana Lopez said that the bridge would reopen.", "Mayor Ana Lopez", "the bridge would reopen."),
        (
            "The bridge will reopen in June, the city council has said.",
            "the city council",
            "The bridge will reopen in June",
        ),
        ("According to the health ministry, 40 people were hurt.", "the health ministry", "40 people were hurt"),
        ("Police said the driver had fled.", "Police", "the driver had fled."),
        ("The union claimed to have gathered 10,000 signatures.", "The union", "to have gathered 10,000 signatures."),
        ("The minister concluded by saying that talks would go on.", "The minister", "talks would go on."),
    ],
)
def test_reported_speech(sentence: str, mention: str, content: str) -> None:
    found = attribute(sentence)
    assert found is not None
    assert (found.mention, found.content) == (mention, content)


def test_words_inside_a_quote_never_name_the_speaker() -> None:
    found = attribute("“Senator Hill said nothing,” the governor replied.")
    assert found is not None and found.mention == "the governor"


def test_a_sentence_without_speech_attributes_nothing() -> None:
    assert attribute("The river rose two metres overnight.") is None


# ------------------------------------------------------------------ the gazetteer and later mentions

STORY = (
    "Acme Motors CEO Julia Brandt has rejected claims of a recall\n"
    "The carmaker never hid faults from regulators, Acme Motors has said. "
    "Spokesman Peter Walsh made the comment after the National Transport Safety Agency (NTSA) opened an inquiry.\n"
    "Speaking to reporters on Monday, Walsh said that the brakes had passed every test.\n"
    "The company's representative added that no car would be withdrawn.\n"
    "On Friday, the NTSA said it had received 300 complaints.\n"
    "Transport safety officials of the agency declined to comment.\n"
    "In a post on Sunday, Brandt wrote that “our cars are safe.”\n"
    "“We have nothing to hide,” the Acme Motors CEO added.\n"
    "The billionaire, who owns a football club, said last year that the firm would go electric.\n"
    "Earlier, the Daily Courier reported that the entrepreneur had sold shares.\n"
)


def story_rows() -> list[dict[str, object]]:
    return rows(STORY)


def by_sentence(start: str) -> dict[str, object]:
    return next(r for r in story_rows() if str(r["source_text"]).startswith(start))


def test_role_appositive_names_the_person_and_organisation() -> None:
    brandt = by_sentence("In a post on Sunday")
    assert (brandt["actor"], brandt["organisation"]) == ("Julia Brandt", "Acme Motors")


def test_made_the_comment_names_the_speaker_of_the_statement_before() -> None:
    lead = by_sentence("The carmaker never hid")
    assert (lead["actor"], lead["organisation"]) == ("Peter Walsh", "Acme Motors")
    # the lead has no date: it takes the date of Walsh's remarks to reporters on Monday
    assert (lead["start"], lead["date_text"]) == ("2024-05-20", "on Monday")


def test_surname_and_organisations_representative_resolve_to_one_actor() -> None:
    assert by_sentence("Speaking to reporters")["actor"] == "Peter Walsh"
    representative = by_sentence("The company's representative")
    assert representative["actor"] == "Peter Walsh"
    assert representative["start"] == "2024-05-20"  # "added": the date of the remarks carries over


def test_role_with_organisation_and_descriptors_resolve_to_the_person() -> None:
    assert by_sentence("“We have nothing to hide,”")["actor"] == "Julia Brandt"
    assert by_sentence("The billionaire")["actor"] == "Julia Brandt"


def test_organisation_with_acronym_is_one_actor_under_its_acronym() -> None:
    ntsa = by_sentence("On Friday, the NTSA")
    assert ntsa["actor"] == "NTSA"
    assert ntsa["organisation"] == "National Transport Safety Agency (NTSA)"


def test_media_report_is_a_report() -> None:
    courier = by_sentence("Earlier, the Daily Courier")
    assert (courier["actor"], courier["kind"]) == ("Daily Courier", "report")


def test_kinds_follow_the_verb_and_content() -> None:
    assert by_sentence("The carmaker never hid")["kind"] == "denial"
    claim = rows("On Monday, the opposition party alleged that the count was wrong.")[0]
    assert claim["kind"] == "claim"
    statement = rows("On Monday, Mayor Ana Lopez said that the bridge would reopen.")[0]
    assert statement["kind"] == "statement"
    denial = rows("On Monday, the airline denied that the plane was overloaded.")[0]
    assert denial["kind"] == "denial"


def test_later_mentions_and_pronouns() -> None:
    gazetteer = Gazetteer()
    gazetteer.learn("Kremlin spokesman Ivan Sorokin spoke. Entrepreneur Sorokin laughed.")
    resolver = Resolver(gazetteer)
    sorokin, _ = resolver.resolve("Sorokin")
    assert sorokin is not None and sorokin.name == "Ivan Sorokin" and sorokin.organisation == "Kremlin"
    resolver.seen(sorokin)
    assert resolver.resolve("he")[0] is sorokin
    assert resolver.resolve("the entrepreneur")[0] is sorokin
    assert resolver.resolve("the Kremlin's spokesman")[0] is sorokin


def test_organisation_aliases_merge() -> None:
    gazetteer = Gazetteer()
    gazetteer.learn("Kenya's National Intelligence Service (NIS) said so.")
    resolver = Resolver(gazetteer)
    nis, _ = resolver.resolve("NIS")
    assert nis is not None and nis.name == "NIS"
    assert resolver.resolve("Kenyan intelligence")[0] is nis
    assert resolver.resolve("the National Intelligence Service of Kenya")[0] is nis
    assert resolver.resolve("Ugandan police")[0] is not nis


def test_also_known_as_is_an_alias() -> None:
    gazetteer = Gazetteer()
    gazetteer.learn("The Federal Office for Migration (FOM), also known as Migration Switzerland, said so.")
    assert Resolver(gazetteer).resolve("Migration Switzerland")[0] is gazetteer.find("FOM")


# ------------------------------------------------------------------ a model's entities


def test_a_models_entities_decide_who_is_a_person_and_what_is_an_organisation() -> None:
    """A pipeline built here (blank English + entity_ruler) stands in for a trained model."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    patterns = [{"label": "PERSON", "pattern": "Madonna"}, {"label": "ORG", "pattern": "Morgan Stanley"}]
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    text = (
        "On Monday, Madonna said that the tour would go on.\nOn Tuesday, Morgan Stanley said that rates would fall.\n"
    )
    plain = {str(r["actor"]): str(r["organisation"]) for r in rows(text)}
    modelled = {str(r["actor"]): str(r["organisation"]) for r in rows(text, model=nlp)}
    # the rules alone: a single name is an organisation, two capitalised words a person
    assert plain == {"Madonna": "Madonna", "Morgan Stanley": ""}
    # the model's entities: Madonna is a person (no organisation), Morgan Stanley an organisation
    assert modelled == {"Madonna": "", "Morgan Stanley": "Morgan Stanley"}


def test_a_model_name_that_is_not_installed_is_a_clear_error() -> None:
    from timeline.schema import ValidationError

    with pytest.raises(ValidationError, match="not installed"):
        rows("On Monday, Mayor Ana Lopez said that the bridge would reopen.", model="xx_no_such_pipeline")


@pytest.mark.parametrize(
    ("sentence", "mention", "content"),
    [
        ("Peskov told reporters that the talks had failed.", "Peskov", "the talks had failed."),
        ("The minister told the BBC on Friday that she would resign.", "The minister", "she would resign."),
        ("But Smith said on Monday that he was leaving.", "Smith", "he was leaving."),
        ("Ortiz said in a statement that the law was unfair.", "Ortiz", "the law was unfair."),
        (
            "Legambiente, an environmental group, said that warnings were ignored.",
            "Legambiente",
            "warnings were ignored.",
        ),
    ],
)
def test_what_stands_between_speaker_verb_and_content(sentence: str, mention: str, content: str) -> None:
    found = attribute(sentence)
    assert found is not None
    assert (found.mention, found.content) == (mention, content)


def test_name_with_a_role_for_an_organisation_after_it() -> None:
    found = rows(
        "The Red Cross said on Monday that 120 people were rescued.\n"
        "Laura Bianchi, a spokeswoman for the Red Cross, said that teams worked through the night.\n"
    )
    bianchi = next(r for r in found if r["actor"] == "Laura Bianchi")
    assert bianchi["organisation"] == "Red Cross"


def test_a_bare_quotation_carries_on_its_speaker() -> None:
    text = "“The situation is serious,” Governor Ann Cole said on Monday. “We have never seen so much rain.”\n"
    (row,) = rows(text)
    assert row["actor"] == "Ann Cole"
    assert row["source_text"] == text.strip()


def test_actions_need_a_date_a_named_subject_and_an_active_verb() -> None:
    found = rows(
        "On Tuesday, police arrested three men in Madrid.\n"
        "The bridge was closed on Friday.\n"
        "The factory burned down last year.\n"
    )
    assert [(r["actor"], r["kind"], r["start"]) for r in found] == [("Police", "action", "2024-05-14")]


def test_hard_wrapped_text_is_read_as_paragraphs() -> None:
    text = (
        "Mayor quits\n"
        "Mayor Ana Lopez said on Monday that she would step\n"
        "down at the end of the month, citing health reasons and the\n"
        "strain of the job.\n"
        "\n"
        "Her deputy, Tom Baker, said on Monday that he was sad to see her\n"
        "go.\n"
    )
    found = rows(text)
    assert [r["actor"] for r in found] == ["Ana Lopez", "Tom Baker"]
    assert found[0]["source_text"] == text[12 : text.index("job.") + 4]  # verbatim, line breaks kept
    assert [u.paragraph for u in sentences(text) if u.is_body] == [1, 2]


def test_names_with_apostrophes_and_titles_before_them() -> None:
    found = rows(
        "Home Affairs Minister Clare O'Neil said on Tuesday that the government would comply.\n"
        "Chief Justice Stephen Gageler said on Tuesday that the detention was unlawful.\n"
        "The minister added that 90 detainees could be affected.\n"
    )
    assert [r["actor"] for r in found] == ["Clare O'Neil", "Stephen Gageler", "Clare O'Neil"]
    assert found[0]["organisation"] == "Home Affairs"


def test_the_noun_finds_the_organisation_named_by_it_not_merely_the_last_one() -> None:
    found = rows(
        "The High Court of Australia on Tuesday ordered the man's release.\n"
        "The Liberal Union party said on Tuesday that the ruling was wrong.\n"
        "In November, the court had ruled in a similar case.\n"
    )
    assert [r["actor"] for r in found] == ["High Court of Australia", "Liberal Union party", "High Court of Australia"]


def test_a_duration_in_what_is_said_does_not_date_the_speech() -> None:
    (row,) = rows("Lawyer Alison Battisson said that he had spent almost nine years in detention.")
    assert row["date_text"] == "" and row["approximate"] is True


def test_a_long_title_before_the_name() -> None:
    text = (
        "“We will not waver,” said Secretary of State Antony J. Blinken on Monday.\n"
        "According to the BBC, the talks had stalled.\n"
    )
    found = rows(text)
    assert [(r["actor"], r["kind"]) for r in found] == [("Antony J. Blinken", "statement"), ("BBC", "report")]


def test_honorifics_are_not_names() -> None:
    text = (
        "Dr. Jane Doe said on Monday that the vaccine was safe.\n"
        "Mr Smith said on Monday that he disagreed.\n"
        "Doe added that trials would continue.\n"
    )
    assert [(r["actor"], r["organisation"]) for r in rows(text)] == [("Jane Doe", ""), ("Smith", ""), ("Jane Doe", "")]


def test_a_spokesperson_for_an_organisation_speaks_for_it() -> None:
    text = "A spokesperson for the health ministry said on Monday that the clinics would stay open.\n"
    assert [r["actor"] for r in rows(text)] == ["Health ministry"]
    named = (
        "The Ministry of Health (MoH) said on Monday that it would act. "
        "A spokesman for the MoH said that 40 people were ill.\n"
    )
    assert [r["actor"] for r in rows(named)] == ["MoH", "MoH"]


def test_a_finding_is_reported_only_with_that() -> None:
    found = rows(
        "On Tuesday, the tribunal ruled that the island was not a territory.\n"
        "Police found the car on Monday near the border.\n"
    )
    assert [(r["actor"], r["kind"]) for r in found] == [("Tribunal", "statement"), ("Police", "action")]
