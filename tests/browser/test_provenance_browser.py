"""The source text under the chart, in headless Chromium: marked passages, unused sentences,
the keyboard, and the passage and the chart selecting each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from screen import EVENT_POINTS, choose, wait_for_count

from timeline.app import ids
from timeline.app import provenance as provenance_panel_module
from timeline.colors import rgba
from timeline.dataset import Dataset
from timeline.io import DEFAULT_DATA
from timeline.provenance import Document, documents
from timeline.sources import Seed

pytestmark = pytest.mark.browser

BOX = f"#{ids.PROVENANCE} .prov-text"
SEED_ID = "000_4c4fdb7f43b4f576"
PESKOV = '.prov-mark[data-events="peskov-not-certified"]'


def open_panel(new_page: Any, url: str, **options: Any) -> Any:
    page: Any = new_page(url, ready=f"{BOX} .prov-mark", **options)
    return page


def detail_title_is(page: Any, title: str) -> None:
    page.wait_for_function(
        "title => document.getElementById('detail-title')?.innerText === title", arg=title, timeout=10000
    )


def test_the_article_is_shown_with_passages_in_their_sides_colours(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = open_panel(new_page, live_url)
    box = page.locator(BOX)
    assert box.inner_text().startswith("SpaceX CEO Elon Musk has denied supplying satellite internet terminals")
    assert page.locator(f"{BOX} .prov-mark").count() >= 15
    mark = page.locator(PESKOV)
    assert mark.inner_text().startswith("Speaking to reporters on Monday, Peskov noted")
    color = seed.colors["Russia"]
    style = mark.evaluate("n => { const s = getComputedStyle(n); return [s.backgroundColor, s.borderBottomStyle] }")
    assert style == [rgba(color, 0.18).replace(",", ", "), "solid"]
    donation = page.locator('.prov-mark[data-events="russia-offensive-2022 musk-starlink-donation"]')
    assert "Starlink terminals sent to Ukraine" in (donation.get_attribute("title") or "")
    assert page.locator(f"#{ids.PROVENANCE}").get_by_text("4 of 20 sentences are not on the timeline").is_visible()
    assert "RT (English edition), 12 February 2024" in page.locator(f"#{ids.PROVENANCE}").inner_text()


def test_sentences_no_event_rests_on_are_dotted(new_page: Any, live_url: str) -> None:
    page = open_panel(new_page, live_url)
    unused = page.locator(f"{BOX} .prov-unused")
    texts = unused.all_inner_texts()
    assert len(texts) == 4
    assert texts[1].startswith("Spokesperson Dmitry Peskov made the comment")
    assert texts[2:] == ["Read more", "Time to stop Ukraine ‘meat grinder’ – Musk"]
    line = unused.nth(1).evaluate("n => getComputedStyle(n).textDecorationStyle")
    assert line == "dotted"
    assert unused.nth(1).get_attribute("title") == "No event rests on this sentence"


def test_the_text_box_scrolls_by_itself_and_keeps_its_lines_readable(new_page: Any, live_url: str) -> None:
    page = open_panel(new_page, live_url, viewport={"width": 390, "height": 844})
    sizes = page.locator(BOX).evaluate(
        "n => ({height: n.clientHeight, scroll: n.scrollHeight, width: n.scrollWidth - n.clientWidth,"
        " line: getComputedStyle(n).lineHeight, font: getComputedStyle(n).fontSize})"
    )
    assert sizes["height"] <= 300 < sizes["scroll"]
    assert sizes["width"] == 0  # no sideways scrolling at 390 px
    assert float(sizes["line"].removesuffix("px")) == pytest.approx(1.6 * float(sizes["font"].removesuffix("px")))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_enter_and_space_on_a_focused_mark_click_it(new_page: Any, live_url: str) -> None:
    page = open_panel(new_page, live_url)
    mark = page.locator(PESKOV)
    mark.evaluate("n => { window.clicks = 0; n.addEventListener('click', () => { window.clicks += 1; }); }")
    mark.focus()
    assert page.evaluate("document.activeElement.dataset.events") == "peskov-not-certified"
    page.keyboard.press("Enter")
    assert page.evaluate("window.clicks") == 1
    before = page.evaluate("window.scrollY")
    page.keyboard.press(" ")
    assert page.evaluate("window.clicks") == 2
    assert page.evaluate("window.scrollY") == before  # Space clicked, it did not scroll the page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('prov-mark')")


def test_clicking_a_passage_selects_its_event(new_page: Any, live_url: str) -> None:
    page = open_panel(new_page, live_url)
    page.locator(PESKOV).click()
    detail_title_is(page, "Peskov says Starlink is not certified in Russia")
    page.wait_for_selector(f"{PESKOV}.current", timeout=10000)
    quote = page.locator(f"{PESKOV}.current .quote.current")
    assert quote.inner_text() == "cannot be and is not being delivered here officially."


def test_clicking_a_shared_passage_again_selects_its_next_event(new_page: Any, live_url: str) -> None:
    page = open_panel(new_page, live_url)
    shared = '.prov-mark[data-events="russia-offensive-2022 musk-starlink-donation"]'
    page.locator(shared).click()
    detail_title_is(page, "Russia launches its offensive against Ukraine")
    page.wait_for_selector(f"{shared}.current", timeout=10000)
    page.locator(shared).click()
    detail_title_is(page, "Starlink terminals sent to Ukraine")


def test_the_keyboard_selects_an_event_too(new_page: Any, live_url: str) -> None:
    page = open_panel(new_page, live_url)
    page.locator(PESKOV).focus()
    page.keyboard.press("Enter")
    detail_title_is(page, "Peskov says Starlink is not certified in Russia")


def test_clicking_an_event_on_the_chart_scrolls_to_its_passage(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = open_panel(new_page, live_url)
    choose(page, ids.ACTORS, "CNN")
    wait_for_count(page, 1, len(seed.events))
    page.wait_for_function(f'document.querySelectorAll("{EVENT_POINTS}").length > 0')
    assert page.locator(BOX).evaluate("n => n.scrollTop") == 0
    before = page.evaluate("window.scrollY")
    page.locator(EVENT_POINTS).first.click(force=True)
    current = page.locator(f"{BOX} .prov-mark.current")
    current.wait_for(timeout=10000)
    assert current.get_attribute("data-events") == "ukraine-sea-drone-attack cnn-report-musk-decision"
    page.wait_for_function(
        """box => {
            const b = document.querySelector(box), m = b.querySelector('.prov-mark.current');
            const br = b.getBoundingClientRect(), mr = m.getBoundingClientRect();
            return b.scrollTop > 0 && mr.top >= br.top && mr.bottom <= br.bottom;
        }""",
        arg=BOX,
        timeout=5000,
    )
    assert page.evaluate("window.scrollY") == before  # the box scrolled, not the page
    assert page.locator(f"{BOX} .prov-mark.current").count() == 1


def test_a_picker_chooses_among_cited_documents(
    new_page: Any, serve: Any, seed: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = documents()[SEED_ID]
    second = Document(
        Seed("doc2", "The Other Paper", "2024-02-13", "A second report"),
        tmp_path / "doc2.txt",
        "A second report\nHe added that, for this reason, the technology cannot be used in any official capacity "
        "in Russia. Nobody else said so.",
    )
    monkeypatch.setattr(provenance_panel_module, "documents", lambda: {SEED_ID: article, "doc2": second})
    table = pd.read_csv(DEFAULT_DATA, dtype=str, keep_default_na=False)
    table.loc[table["id"] == "peskov-no-official-use", "source"] = "doc2"
    data = tmp_path / "events.csv"
    table.to_csv(data, index=False)
    page = open_panel(new_page, serve(data).url)
    picker = page.get_by_role("textbox", name="Source document")
    assert picker.input_value().startswith("RT (English edition)")  # the most cited first
    picker.click()
    page.get_by_role("option", name="The Other Paper", exact=False).click()
    page.locator(BOX).get_by_text("Nobody else said so.").wait_for(timeout=10000)
    assert page.locator(f"{BOX} .prov-mark").count() == 1
    page.locator('.prov-mark[data-events="peskov-no-official-use"]').click()
    detail_title_is(page, "Peskov says Starlink cannot be used officially in Russia")
    page.wait_for_selector('.prov-mark.current[data-events="peskov-no-official-use"]', timeout=10000)
    assert page.get_by_role("textbox", name="Source document").input_value().startswith("The Other Paper")
    # an event of the other document, picked on the chart, brings its document back
    choose(page, ids.ACTORS, "CNN")
    wait_for_count(page, 1, len(seed.events))
    page.wait_for_function(f'document.querySelectorAll("{EVENT_POINTS}").length > 0')
    page.locator(EVENT_POINTS).first.click(force=True)
    page.wait_for_selector(f"{BOX} .prov-mark.current", timeout=10000)
    assert page.locator(BOX).inner_text().startswith("SpaceX CEO Elon Musk has denied")
