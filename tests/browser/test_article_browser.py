"""Adding an article in the dashboard, in headless Chromium: the seed article pasted with its
date and publisher becomes candidates framed on the timeline; three accepted and downloaded
make a file that validates; bad input is answered in the page and the view is kept; the form,
the review and the header's button pass axe (the page's own audit is test_a11y_browser's)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from screen import lane_labels
from test_a11y_browser import axe_script as axe_script  # the fixture: axe.min.js, or a skip without it
from test_a11y_browser import blocking, described

from timeline.app import ids
from timeline.app.article import ARTICLE_LIMIT_CHARS
from timeline.app.layout import UPLOAD_LIMIT_BYTES
from timeline.dataset import Dataset
from timeline.io import SEEDS_INDEX, read_events

pytestmark = pytest.mark.browser

SEED_TEXT = (SEEDS_INDEX.parent / "000_4c4fdb7f43b4f576.txt").read_text(encoding="utf-8")
ROWS = f"#{ids.ARTICLE_GRID} .ag-center-cols-container .ag-row[row-id]"
RING = ".js-plotly-plot .scatterlayer .trace[class*='tracereview-unreviewed'] .points .point"
ALERT = f"#{ids.ARTICLE_ALERT} .mantine-Alert-root"


def open_form(page: Any) -> None:
    """The header's "Add an article" (the navbar's on a phone) opens the form."""
    if page.locator(f"#{ids.ARTICLE_OPEN}").is_visible():
        page.click(f"#{ids.ARTICLE_OPEN}")
    else:
        page.click(f"#{ids.NAV_TOGGLE}")
        page.click(f"#{ids.ARTICLE_OPEN_NAV}")
    page.locator(f"#{ids.ARTICLE_TEXT}").wait_for(state="visible", timeout=10000)


def pick_day(page: Any, day: dt.date) -> None:
    """Pick a day in the publication date's calendar, as a reader does: up to the decade, then down."""
    page.click(f"#{ids.ARTICLE_PUBLISHED}")
    level = page.locator(".mantine-DatePickerInput-calendarHeaderLevel")
    level.click()
    level.click()
    page.get_by_role("button", name=str(day.year), exact=True).click()
    page.get_by_role("button", name=day.strftime("%b"), exact=True).click()
    page.locator(".mantine-DatePickerInput-day:not([data-outside])", has_text=str(day.day)).first.click()
    page.locator(f"#{ids.ARTICLE_PUBLISHED}").filter(has_text=day.strftime("%Y")).wait_for(timeout=5000)
    page.locator("[data-dates-dropdown]").wait_for(state="detached", timeout=5000)  # the calendar closed


def fill_form(page: Any, text: str | None = SEED_TEXT, day: dt.date | None = dt.date(2024, 2, 12)) -> None:
    open_form(page)
    if text is not None:
        page.fill(f"#{ids.ARTICLE_TEXT}", text)
    if day is not None:
        pick_day(page, day)
    page.fill(f"#{ids.ARTICLE_PUBLISHER}", "RT")


def extract(page: Any) -> None:
    page.click(f"#{ids.ARTICLE_EXTRACT}")


def refused_with(page: Any, words: str) -> str:
    """The form's alert, once it says ``words``; the form stays open for another try."""
    alert = page.locator(ALERT)
    alert.filter(has_text=words).wait_for(timeout=20000)
    text: str = alert.inner_text()
    assert "Traceback" not in text and "500" not in text
    assert page.locator(f"#{ids.ARTICLE_PANEL}").is_hidden()
    return text


def test_the_seed_article_pasted_gives_candidates_and_three_accepted_download_as_a_valid_file(
    new_page: Any, live_url: str, seed: Dataset, tmp_path: Path
) -> None:
    page = new_page(live_url)
    fill_form(page)
    extract(page)
    page.wait_for_selector(ROWS, timeout=20000)
    found = page.locator(ROWS).count()
    assert found >= 3
    page.wait_for_function(f'n => document.querySelectorAll("{RING}").length === n', arg=found, timeout=15000)
    page.locator(".mantine-Drawer-content").wait_for(state="detached", timeout=5000)  # the form closed
    assert page.locator(f"#{ids.LEGEND}").inner_text().count("unreviewed candidate") == 1
    assert page.locator(f"#{ids.ARTICLE_COUNT}").inner_text().lower() == f"0 accepted · 0 rejected · {found} unreviewed"

    # tick three, accept them: their rings go, the rest stay
    chosen = []
    for row in range(3):
        line = page.locator(ROWS).nth(row)
        chosen.append(line.get_attribute("row-id"))
        line.locator(".ag-selection-checkbox input").check()
    page.click(f"#{ids.ARTICLE_ACCEPT}")
    page.wait_for_function(f'n => document.querySelectorAll("{RING}").length === n', arg=found - 3, timeout=15000)
    page.locator(f"#{ids.ARTICLE_COUNT}").filter(has_text="3 accepted").wait_for(timeout=10000)
    assert page.locator(f"{ROWS}.article-accepted").count() == 3

    # an edit that breaks the schema is refused in words and the cell goes back; a good one is made
    start = page.locator(ROWS).nth(0).locator("[col-id=start]")
    before = start.inner_text()
    start.dblclick()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("2024-13-45")
    page.keyboard.press("Enter")
    page.locator(f"#{ids.ARTICLE_REVIEW_ALERT}").filter(has_text="That edit was not made").wait_for(timeout=10000)
    assert "start: is not a date" in page.locator(f"#{ids.ARTICLE_REVIEW_ALERT}").inner_text()
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector)?.innerText === text",
        arg=[f"{ROWS}[row-id='{chosen[0]}'] [col-id=start]", before],
        timeout=10000,
    )
    title = page.locator(ROWS).nth(0).locator("[col-id=title]")
    title.dblclick()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Peskov: Starlink is not certified in Russia")
    page.keyboard.press("Enter")
    page.locator(f"#{ids.EVENT_LIST}").get_by_text("Peskov: Starlink is not certified in Russia").wait_for(
        timeout=10000
    )

    # a row clicked marks its sentence in the article and opens it in the details
    page.locator(ROWS).nth(1).locator("[col-id=title]").click()
    page.locator(f"#{ids.ARTICLE_TEXT_BOX} .article-current").first.wait_for(timeout=10000)
    page.wait_for_function(  # scrolled into the box's view (by assets/provenance.js, as the provenance panel)
        """id => {
            const b = document.getElementById(id), m = b.querySelector('.article-current');
            const br = b.getBoundingClientRect(), mr = m.getBoundingClientRect();
            return mr.top >= br.top && mr.bottom <= br.bottom;
        }""",
        arg=ids.ARTICLE_TEXT_BOX,
        timeout=5000,
    )
    page.locator("#detail-title").wait_for(timeout=10000)

    with page.expect_download() as download:
        page.click(f"#{ids.ARTICLE_CSV}")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "RT-2024-02-12-accepted.csv"
    events = read_events(path.read_bytes(), path.name).events
    assert events["id"].tolist() == chosen
    assert events["title"].tolist()[0] == "Peskov: Starlink is not certified in Russia"
    assert set(events["review"]) == {"accepted"}
    assert events["source"].str.startswith("RT").all()
    assert set(events["start"]) <= {"2022", "2022-02", "2023", "2023-09", *(f"2024-02-{d:02d}" for d in range(1, 13))}
    assert lane_labels(page)  # the chart still draws


@pytest.mark.parametrize(
    ("text", "day", "words"),
    [
        ("", dt.date(2024, 2, 12), "Paste the article's text first"),
        (SEED_TEXT, None, "Give the article's publication date"),
        (
            "The sky is blue and the sea is wide. It rained, and then it stopped.",
            dt.date(2024, 2, 12),
            "The pasted text: found no",
        ),
    ],
    ids=["empty text", "no publication date", "nothing to put on a timeline"],
)
def test_bad_text_is_answered_in_the_page_and_the_view_is_kept(
    new_page: Any, live_url: str, seed: Dataset, text: str, day: dt.date | None, words: str
) -> None:
    page = new_page(live_url)
    before = sorted(lane_labels(page))
    fill_form(page, text, day)
    extract(page)
    refused_with(page, words)
    assert sorted(lane_labels(page)) == before


def test_a_text_with_no_dates_says_its_candidates_are_not_on_a_day(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    fill_form(page, "The minister said the plan would work. Critics said it would not.")
    extract(page)
    page.wait_for_selector(ROWS, timeout=20000)
    note = page.locator(f"#{ids.ARTICLE_NOTE}")
    note.wait_for(timeout=10000)
    assert "No sentence of the article gives a date" in note.inner_text()
    assert set(page.locator(f"{ROWS} [col-id=date_text]").all_inner_texts()) == {""}


def test_a_five_megabyte_text_is_refused_before_it_is_sent(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    fill_form(page, text=None)
    big = "Musk said on Sunday that it was false. " * (5 * 1024 * 1024 // 39 + 1)
    assert len(big) >= 5 * 1024 * 1024 > ARTICLE_LIMIT_CHARS
    # Typing 5 MB takes a human an afternoon; a paste gives the field its value at once.
    page.locator(f"#{ids.ARTICLE_TEXT}").evaluate(
        """(area, text) => {
            const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
            set.call(area, text);
            area.dispatchEvent(new Event('input', {bubbles: true}));
        }""",
        big,
    )
    sent: list[int] = []
    page.on("request", lambda r: sent.append(len(r.post_data_buffer or b"")) if "_dash-update" in r.url else None)
    extract(page)
    text = refused_with(page, "Text too long")
    assert f"{len(big):,} characters" in text
    assert max(sent) < 64 * 1024  # only its length travelled


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("photo.jpg", bytes(range(256)) * 256, "photo.jpg: is a binary file"),  # any type reaches the check
        ("huge.txt", b"Musk said on Sunday that it was false.\n" * (UPLOAD_LIMIT_BYTES // 39 + 1), "File too large"),
    ],
    ids=["binary file", "5 MB file"],
)
def test_a_bad_file_is_answered_in_the_page(
    new_page: Any, live_url: str, tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    page = new_page(live_url)
    before = sorted(lane_labels(page))
    fill_form(page, text=None)
    page.get_by_role("tab", name="Read a file").click()
    path = tmp_path / name
    path.write_bytes(data)
    page.set_input_files(f"#{ids.ARTICLE_FILE} input[type=file]", str(path))
    page.locator(f"#{ids.ARTICLE_FILE_NAME}").filter(has_text=name).wait_for(timeout=10000)
    extract(page)
    refused_with(page, words)
    assert sorted(lane_labels(page)) == before


def test_a_dropped_html_file_is_read_for_its_main_text(new_page: Any, live_url: str, tmp_path: Path) -> None:
    page = new_page(live_url)
    fill_form(page, text=None)
    page.get_by_role("tab", name="Read a file").click()
    paragraphs = "".join(f"<p>{line}</p>" for line in SEED_TEXT.splitlines() if line.strip())
    path = tmp_path / "article.html"
    path.write_text(
        f"<html><head><title>x</title></head><body><nav>Menu</nav><article>{paragraphs}</article></body></html>"
    )
    page.set_input_files(f"#{ids.ARTICLE_FILE} input[type=file]", str(path))
    extract(page)
    page.wait_for_selector(ROWS, timeout=20000)
    assert "article.html" not in page.locator(f"#{ids.ARTICLE_TEXT_BOX}").inner_text()
    assert "Starlink" in page.locator(f"#{ids.ARTICLE_TEXT_BOX}").inner_text()


def audit_within(page: Any, script: Path, selector: str) -> list[dict[str, Any]]:
    """What axe finds inside one element: the open form (the page behind its overlay is dimmed
    on purpose), or the review where it is scrolled to."""
    page.add_script_tag(path=str(script))
    result: dict[str, Any] = page.evaluate(
        "async (selector) => await axe.run(document.querySelector(selector), {resultTypes: ['violations']})",
        selector,
    )
    found: list[dict[str, Any]] = result["violations"]
    return found


def test_the_form_and_the_page_with_the_review_open_pass_axe(new_page: Any, live_url: str, axe_script: Path) -> None:
    page = new_page(live_url)
    fill_form(page)
    violations = blocking(audit_within(page, axe_script, ".mantine-Drawer-content"))
    assert violations == [], described(violations)
    extract(page)
    page.wait_for_selector(ROWS, timeout=20000)
    page.locator(".mantine-Drawer-content").wait_for(state="detached", timeout=5000)
    page.locator(ROWS).nth(0).locator("[col-id=title]").click()
    page.locator(f"#{ids.ARTICLE_TEXT_BOX} .article-current").first.wait_for(timeout=10000)
    page.wait_for_load_state("networkidle")
    for part in (f"#{ids.ARTICLE_PANEL}", f"#{ids.ARTICLE_OPEN}"):
        violations = blocking(audit_within(page, axe_script, part))
        assert violations == [], described(violations)
