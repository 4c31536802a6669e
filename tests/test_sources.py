"""Sources read as words and links in the detail panel."""

from __future__ import annotations

from timeline.dataset import Dataset
from timeline.sources import seed_index, source_parts


def test_the_seed_reads_as_publisher_date_and_headline() -> None:
    seeds = seed_index()
    assert source_parts("000_4c4fdb7f43b4f576", seeds) == [
        (
            "RT (English edition), 12 February 2024: “SpaceX CEO Elon Musk has denied supplying satellite internet "
            "terminals to Moscow following allegations from Kiev”",
            None,
        )
    ]


def test_urls_become_links_and_only_http_ones() -> None:
    source = 'CNN, 7 Sep 2023, "x" (https://edition.cnn.com/a/b.html); javascript:alert(1)'
    parts = source_parts(source, {})
    links = [link for _, link in parts if link]
    assert links == ["https://edition.cnn.com/a/b.html"]
    assert "".join(text for text, _ in parts) == source


def test_every_default_event_names_the_seed(seed: Dataset) -> None:
    seeds = seed_index()
    for source in seed.events["source"]:
        assert source_parts(source, seeds)[0][0].startswith("RT (English edition), 12 February 2024")
