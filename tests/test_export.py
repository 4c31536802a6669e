"""Export: images checked by format, pixel size and content; data files by round trip.

Image tests render with the real kaleido and Chromium (``export`` marker); they skip on a
machine without Chromium and fail when ``CI=true``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageStat
from pypdf import PdfReader

from timeline import export
from timeline.app import ids
from timeline.app.layout import export_panel
from timeline.dataset import Dataset
from timeline.export import (
    IMAGE_DEFAULTS,
    INSTALL_HINT,
    SIZE_PRESETS,
    ExportUnavailableError,
    ImageExporter,
    ImageSize,
    check_size,
    export_view,
    fit_to_page,
    format_for,
    image_exporter,
    preset_of,
    printable,
    self_contained,
    size_from_fields,
)
from timeline.figures import dataset_figure, figure_lanes, legend_height, transport
from timeline.io import read_events
from timeline.query import Filters, apply_filters
from timeline.schema import COLUMN_NAMES, split_ids

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
MIN_PIXEL_VARIANCE = 50.0
"""Grey-level variance of a drawn chart is in the hundreds; a blank page has 0."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TRICKY_CSV = """id,start,end,actor,side,kind,title,summary,quote
t1,2024-01-02,,AT&T <ops>,Side <A> & co,statement,=HYPERLINK("http://example.com"),+1 call,-not a number
t2,2024-02,,Ünïcode Ørg,,claim,-5 degrees,@user said so,it's quoted
t3,2023,2024-06,Ünïcode Ørg,,report,Plain title,"Commas, ""quotes"" and
new lines",
t4,2024-03-05,,AT&T <ops>,Side <A> & co,denial,@SUM(A1:A9),=1+1,"Guillemets « » and 'single'"
"""


@pytest.fixture(scope="module")
def tricky() -> Dataset:
    """Actors and sides that need escaping, cells a spreadsheet would run as formulas."""
    return read_events(TRICKY_CSV.encode(), "tricky.csv")


def svg_root(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def svg_lanes(svg: bytes) -> list[str]:
    """The actor lanes of an exported SVG, top to bottom; side header lanes (bold) left out."""
    lanes = []
    for layer in svg_root(svg).iter(f"{SVG_NS}g"):
        if "yaxislayer-above" not in layer.get("class", ""):
            continue
        for label in layer.iter(f"{SVG_NS}text"):
            bold = any("bold" in (t.get("style") or "") for t in label.iter(f"{SVG_NS}tspan"))
            if not bold:
                lanes.append("".join(label.itertext()))
    return lanes


def svg_words(svg: bytes) -> str:
    """All text of an SVG, whitespace collapsed (wrapped lines joined by one space)."""
    return " ".join(" ".join(svg_root(svg).itertext()).split())


def filtered_lanes(dataset: Dataset, filters: Filters) -> list[str]:
    """The actors of the filtered events, each once, in the order the figure draws them."""
    actors = set(apply_filters(dataset.events, filters)["actor"])
    drawn = figure_lanes(dataset_figure(dataset, filters))
    assert sorted(drawn) == sorted(actors)
    return drawn


def assert_png(content: bytes, size: ImageSize) -> Image.Image:
    assert content[:8] == PNG_MAGIC
    image = Image.open(io.BytesIO(content))
    assert image.size == (round(size.width * size.scale), round(size.height * size.scale))
    variance = ImageStat.Stat(image.convert("L")).var[0]
    assert variance > MIN_PIXEL_VARIANCE, f"the image looks blank (grey variance {variance:.1f})"
    return image


def assert_pdf(content: bytes, size: ImageSize) -> PdfReader:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # A PDF is vector: its page is the layout size at 96 px an inch, whatever the scale.
    assert float(box.width) == pytest.approx(size.width * 0.75, abs=2)
    assert float(box.height) == pytest.approx(size.height * 0.75, abs=2)
    return reader


LANE_FILTERS = [
    pytest.param(Filters(), id="all"),
    pytest.param(Filters(actors=("Elon Musk", "CNN")), id="two-actors"),
    pytest.param(Filters(kinds=("denial",)), id="denials"),
    pytest.param(Filters(start=dt.date(2023, 6, 1), end=dt.date(2023, 12, 31)), id="window"),
    pytest.param(Filters(text="starlink", actors=("Elon Musk", "Dmitry Peskov", "GUR")), id="search"),
]


# --- images ------------------------------------------------------------------------------


@pytest.mark.export
@pytest.mark.parametrize(
    "size",
    [IMAGE_DEFAULTS, ImageSize(800, 450, 1.0), ImageSize(1123, 794, 1.5)],
    ids=["default", "small", "a4-1.5x"],
)
def test_png_has_the_requested_pixel_size_and_is_drawn(chromium: str, seed: Dataset, size: ImageSize) -> None:
    filters = Filters(actors=("Elon Musk",))
    image = assert_png(export_view(seed, filters, "png", size), size)
    # Elon Musk's side colour is drawn: the chart has data on it, not only a frame.
    musk_blue = np.array([0x1F, 0x77, 0xB4])
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    drawn = int((np.abs(pixels - musk_blue).max(axis=2) < 8).sum())
    assert drawn > 20 * size.scale**2


@pytest.mark.export
@pytest.mark.parametrize("filters", LANE_FILTERS)
def test_svg_lanes_are_exactly_the_filtered_actors(chromium: str, seed: Dataset, filters: Filters) -> None:
    lanes = svg_lanes(export_view(seed, filters, "svg"))
    assert sorted(lanes) == sorted(set(apply_filters(seed.events, filters)["actor"]))
    assert lanes == filtered_lanes(seed, filters), "in the dashboard's order"
    assert len(lanes) < seed.events["actor"].nunique() or filters == Filters()


@pytest.mark.export
def test_svg_keeps_the_layout_size_whatever_the_scale(chromium: str, seed: Dataset) -> None:
    size = ImageSize(1200, 700, 3.0)
    root = svg_root(export_view(seed, Filters(actors=("CNN",)), "svg", size))
    assert (float(root.get("width", 0)), float(root.get("height", 0))) == (size.width, size.height)


@pytest.mark.export
def test_svg_shows_user_text_as_written(chromium: str, tricky: Dataset) -> None:
    svg = export_view(tricky, Filters(), "svg")
    assert sorted(svg_lanes(svg)) == ["AT&T <ops>", "Ünïcode Ørg"]
    assert "Side <A> & co" in svg_words(svg)  # the legend names the side
    grouped = export_view(tricky, Filters(), "svg", order="side")
    assert "SIDE <A> & CO" in svg_words(grouped)  # and so does its header lane


@pytest.mark.export
def test_image_stands_alone_with_title_filters_and_source(chromium: str, seed: Dataset) -> None:
    filters = Filters(actors=("Elon Musk",), start=dt.date(2022, 9, 1), end=dt.date(2023, 3, 31))
    words = svg_words(export_view(seed, filters, "svg"))
    assert seed.title in words
    assert filters.describe() in words
    assert "RT (English edition), 12 February 2024" in seed.credit
    assert " ".join(seed.credit.split()) in words


@pytest.mark.export
@pytest.mark.parametrize("size", [SIZE_PRESETS["a4"], ImageSize(1600, 900, 1.0)], ids=["a4-page", "slide-page"])
def test_pdf_is_one_vector_page_of_the_layout_size(chromium: str, seed: Dataset, size: ImageSize) -> None:
    content = export_view(seed, Filters(), "pdf", size)
    reader = assert_pdf(content, size)
    # Vector: the lane labels are text, and no rasterised hatching bloats the file.
    page_text = reader.pages[0].extract_text()
    for actor in seed.events["actor"].unique():
        assert actor in page_text
    assert len(content) < 500_000


@pytest.mark.export
def test_concurrent_exports_each_get_their_own_result(chromium: str, seed: Dataset) -> None:
    @dataclass(frozen=True)
    class Job:
        fmt: str
        filters: Filters
        size: ImageSize

    jobs = [
        Job("png", Filters(actors=("Elon Musk",)), ImageSize(640, 360, 1.0)),
        Job("svg", Filters(actors=("CNN", "GUR")), IMAGE_DEFAULTS),
        Job("pdf", Filters(), ImageSize(800, 600, 1.0)),
        Job("png", Filters(), ImageSize(500, 400, 2.0)),
        Job("svg", Filters(kinds=("denial",)), ImageSize(900, 500, 1.0)),
        Job("pdf", Filters(actors=("SpaceX",)), ImageSize(1000, 700, 1.0)),
    ]
    start = threading.Barrier(len(jobs))

    def run(job: Job) -> bytes:
        start.wait(timeout=30)
        return export_view(seed, job.filters, job.fmt, job.size)

    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(run, jobs))
    for job, content in zip(jobs, results, strict=True):
        if job.fmt == "png":
            assert_png(content, job.size)
        elif job.fmt == "pdf":
            assert_pdf(content, job.size)
        else:
            assert svg_lanes(content) == filtered_lanes(seed, job.filters)


@pytest.mark.export
def test_a_stuck_render_is_a_message_and_the_browser_restarts(
    chromium: str, monkeypatch: pytest.MonkeyPatch, seed: Dataset
) -> None:
    exporter = ImageExporter()
    figure = dataset_figure(seed, Filters(actors=("CNN",)))
    try:
        assert exporter.render(figure, "svg").startswith(b"<svg")
        monkeypatch.setattr(export, "RENDER_TIMEOUT", 0.001)
        with pytest.raises(ExportUnavailableError, match="took too long"):
            exporter.render(figure, "svg")
        assert not exporter.warm
        monkeypatch.undo()
        assert svg_lanes(exporter.render(figure, "svg")) == ["CNN"]
    finally:
        exporter.close()


# --- no browser needed ---------------------------------------------------------------------


def test_missing_chromium_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    assert export.find_chromium() is None
    with pytest.raises(ExportUnavailableError) as raised:
        ImageExporter().render(dataset_figure(read_events(TRICKY_CSV.encode(), "t.csv"), Filters()), "png")
    assert str(raised.value) == INSTALL_HINT
    assert "apt-get install chromium" in INSTALL_HINT
    assert "BROWSER_PATH" in INSTALL_HINT


def test_export_view_without_chromium_raises_the_hint(monkeypatch: pytest.MonkeyPatch, seed: Dataset) -> None:
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    monkeypatch.setattr(export, "_EXPORTER", ImageExporter())
    for fmt in ("png", "svg", "pdf"):
        with pytest.raises(ExportUnavailableError, match="apt-get install chromium"):
            export_view(seed, Filters(), fmt)
    # Data exports need no browser.
    assert export_view(seed, Filters(), "csv").startswith(b"id,start,end")


def test_a_browser_that_will_not_start_fails_fast_with_a_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    exporter = ImageExporter()
    with pytest.raises(ExportUnavailableError, match="did not start") as raised:
        exporter.render({"data": [], "layout": {}}, "svg")
    assert "apt-get install chromium" in str(raised.value)
    assert not exporter.warm


def test_render_rejects_unknown_formats_and_sizes() -> None:
    exporter = ImageExporter()
    with pytest.raises(ValueError, match="unknown image format"):
        exporter.render({"data": []}, "eps")
    for bad in (ImageSize(50, 900, 1), ImageSize(1600, 20000, 1), ImageSize(1600, 900, 0), ImageSize(0, 0, 0)):
        with pytest.raises(ValueError, match="must be"):
            exporter.render({"data": []}, "png", bad)
    assert not exporter.warm, "validation happens before a browser starts"


def components(tree: Any) -> Iterator[Any]:
    """Every Dash component in a layout tree."""
    if isinstance(tree, list | tuple):
        for child in tree:
            yield from components(child)
    elif hasattr(tree, "to_plotly_json"):
        yield tree
        yield from components(getattr(tree, "children", None))


def test_the_dashboard_offers_the_sizes_the_server_accepts() -> None:
    sizes = (ids.EXPORT_WIDTH, ids.EXPORT_HEIGHT, ids.EXPORT_SCALE)
    fields = {c.id: c for c in components(export_panel()) if getattr(c, "id", None) in sizes}
    for side in (ids.EXPORT_WIDTH, ids.EXPORT_HEIGHT):
        assert (fields[side].min, fields[side].max) == (export.MIN_SIDE, export.MAX_SIDE)
    assert (fields[ids.EXPORT_SCALE].min, fields[ids.EXPORT_SCALE].max) == (export.MIN_SCALE, export.MAX_SCALE)
    check_size(ImageSize(export.MIN_SIDE, export.MIN_SIDE, export.MIN_SCALE))
    check_size(ImageSize(export.MAX_SIDE, export.MAX_SIDE, 1.0))  # 36 megapixels
    for preset in SIZE_PRESETS.values():
        check_size(preset)


@pytest.mark.parametrize(
    ("size", "fmt", "message"),
    [
        (ImageSize(10000, 10000, 10), "png", "width must be 200 to 6000 layout pixels, not 10000"),
        (ImageSize(1600, 150, 2), "pdf", "height must be 200 to 6000 layout pixels, not 150"),
        (ImageSize(1600, 900, 0), "svg", "scale must be 0.5 to 6, not 0"),
        (ImageSize(1600, 900, 8), "png", "scale must be 0.5 to 6, not 8"),
        (
            ImageSize(6000, 6000, 2),
            "png",
            "6000 x 6000 at scale 2 is 144.0 megapixels: at most 40 megapixels; lower the scale or the size",
        ),
    ],
)
def test_a_size_over_a_limit_says_what_the_limit_is(size: ImageSize, fmt: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"must be|at most") as raised:
        check_size(size, fmt)
    assert str(raised.value) == message


def test_only_a_png_has_its_pixels_capped() -> None:
    big = ImageSize(6000, 6000, 2)
    for fmt in ("svg", "pdf"):
        check_size(big, fmt)
    exporter = ImageExporter()
    with pytest.raises(ValueError, match="at most 40 megapixels"):
        exporter.render({"data": []}, "png", big)
    assert not exporter.warm


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((None, 794, 3), "width is missing"),
        ((1123, "", 3), "height is missing"),
        ((1123, 794, None), "scale is missing"),
        (("wide", 794, 3), "width must be a number, not 'wide'"),
        ((1123, 794, float("nan")), "scale must be a number"),
    ],
)
def test_an_empty_or_odd_size_field_is_named(fields: tuple[Any, Any, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        size_from_fields(*fields)


def test_size_fields_read_as_numbers() -> None:
    assert size_from_fields(1123, "794", 3) == SIZE_PRESETS["a4"]
    assert size_from_fields(1599.6, 900.0, "2") == IMAGE_DEFAULTS


def test_an_empty_view_has_no_chart_but_has_data_files(seed: Dataset) -> None:
    nothing = Filters(text="no event says this")
    with pytest.raises(ValueError, match="no event matches"):
        export_view(seed, nothing, "png")
    header = export_view(seed, nothing, "csv").decode().splitlines()
    assert header == [",".join(COLUMN_NAMES)]
    assert json.loads(export_view(seed, nothing, "json")) == {"events": []}


def test_unknown_export_format_is_refused(seed: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export_view(seed, Filters(), "docx")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.PNG", "png"),
        ("b.svg", "svg"),
        ("c.pdf", "pdf"),
        ("d.csv", "csv"),
        ("e.json", "json"),
        ("f.tsv", "tsv"),
        ("g.xlsx", "xlsx"),
        ("h.parquet", "parquet"),
        ("i.pq", "parquet"),
    ],
)
def test_format_comes_from_the_extension(name: str, fmt: str) -> None:
    assert format_for(name) == fmt


@pytest.mark.parametrize("name", ["chart.eps", "chart", "events.csv.bak"])
def test_unknown_extensions_are_named(name: str) -> None:
    with pytest.raises(ValueError, match="unknown file type"):
        format_for(name)


def test_size_presets_fit_a_slide_and_a_page() -> None:
    slide, page = SIZE_PRESETS["slide"], SIZE_PRESETS["a4"]
    assert slide == IMAGE_DEFAULTS
    assert slide.width / slide.height == pytest.approx(16 / 9)
    # A4 landscape is 297 x 210 mm; at 96 px an inch that is 1123 x 794 layout pixels.
    assert (page.width, page.height) == (round(297 / 25.4 * 96), round(210 / 25.4 * 96))
    assert page.width * page.scale / (297 / 25.4) >= 280, "sharp in print: about 300 dpi"
    assert preset_of(ImageSize(1123, 794, 3)) == "a4"
    assert preset_of(ImageSize(1123, 794, 2)) == export.CUSTOM


@pytest.mark.parametrize(
    ("size", "tall_legend"), [(IMAGE_DEFAULTS, False), (ImageSize(800, 450, 1), True)], ids=["slide", "small"]
)
def test_a_fixed_page_cuts_nothing_off(seed: Dataset, size: ImageSize, tall_legend: bool) -> None:
    figure = dataset_figure(seed, Filters())
    spec = fit_to_page(transport(figure), size)
    [credit] = [note for note in spec["layout"]["annotations"] if note.get("meta") == "credit"]
    lines = credit["text"].split("<br>")
    [original] = [note["text"] for note in figure["layout"]["annotations"] if note.get("meta") == "credit"]
    assert " ".join(lines) == original, "wrapped, not changed"
    assert max(map(len, lines)) * export.CHAR_WIDTH < size.width - export.LABEL_ROOM
    assert spec["layout"]["margin"]["b"] >= -credit["yshift"] + 15 * len(lines)
    assert ("maxheight" in spec["layout"]["legend"]) == tall_legend
    # The figure itself is left as it is.
    assert "<br>" not in original


def test_a_page_counts_the_legend_as_the_dashboard_does(seed: Dataset) -> None:
    figure = dataset_figure(seed, Filters())
    legend = legend_height(figure)
    assert legend > 0
    assert figure["layout"]["height"] > legend, "a chart as tall as its lanes shows the whole legend"
    # A page with just the legend's height between its margins keeps the legend whole.
    room = legend + figure["layout"]["margin"]["t"] + figure["layout"]["margin"]["b"]
    assert "maxheight" not in fit_to_page(transport(figure), ImageSize(1600, room, 1))["layout"]["legend"]
    assert "maxheight" in fit_to_page(transport(figure), ImageSize(1600, room - 1, 1))["layout"]["legend"]


def test_pdf_draws_hatched_bands_as_outlines(seed: Dataset) -> None:
    spec = printable(transport(dataset_figure(seed, Filters())))
    bands = [t for t in spec["data"] if t.get("meta") == "window"]
    assert bands, "the seed has loosely dated events"
    for band in bands:
        assert not band["marker"].get("pattern", {}).get("shape")
        assert band["marker"]["line"]["width"] > 0


# --- data ----------------------------------------------------------------------------------


def read_back(content: bytes, name: str) -> pd.DataFrame:
    return read_events(content, name).events


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("filters", LANE_FILTERS)
def test_data_export_round_trips_the_filtered_events(seed: Dataset, fmt: str, filters: Filters) -> None:
    expected = self_contained(apply_filters(seed.events, filters)).reset_index(drop=True)
    pd.testing.assert_frame_equal(read_back(export_view(seed, filters, fmt), f"out.{fmt}"), expected)


def test_a_filtered_export_keeps_only_responses_it_holds(seed: Dataset) -> None:
    view = apply_filters(seed.events, Filters(actors=("Dmitry Peskov", "GUR", "Elon Musk")))
    ids = set(view["id"])
    before = [set(split_ids(cell)) for cell in view["responds_to"]]
    after = [set(split_ids(cell)) for cell in self_contained(view)["responds_to"]]
    assert any(b - ids for b in before), "the case needs a response to an event outside the view"
    assert any(b & ids for b in before), "the case needs a response to an event inside the view"
    assert after == [b & ids for b in before]
    pd.testing.assert_frame_equal(self_contained(seed.events), seed.events)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_data_export_round_trips_tricky_text(tricky: Dataset, fmt: str) -> None:
    pd.testing.assert_frame_equal(read_back(export_view(tricky, Filters(), fmt), f"out.{fmt}"), tricky.events)


def test_data_export_has_the_schema_columns(seed: Dataset) -> None:
    header = next(csv.reader(io.StringIO(export_view(seed, Filters(), "csv").decode())))
    assert tuple(header) == COLUMN_NAMES
    records = json.loads(export_view(seed, Filters(), "json"))["events"]
    assert all(tuple(record) == COLUMN_NAMES for record in records)
    assert all(isinstance(record["approximate"], bool) for record in records)


def with_cells(dataset: Dataset, cells: list[str]) -> Dataset:
    """The dataset with its first titles replaced by ``cells``, unvalidated (as any frame may be)."""
    events = dataset.events.copy()
    for row, cell in enumerate(cells):
        events.loc[row, "title"] = cell
    return Dataset(events=events, name=dataset.name)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV as a spreadsheet would split them (any line break ends a row)."""
    return list(csv.DictReader(io.StringIO(content.decode(), newline="")))


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_csv_cells_that_would_run_as_formulas_start_with_an_apostrophe(seed: Dataset, start: str) -> None:
    cell = f"{start}=cmd|' /C calc'!A0"
    rows = csv_rows(export_view(with_cells(seed, [cell, "x" + cell]), Filters(), "csv"))
    assert len(rows) == len(seed.events), "every event is one row"
    assert rows[0]["title"] == "'" + cell
    assert rows[1]["title"] == "x" + cell, "only the start of a cell matters"
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_STARTS), f"{column}={value!r} would run as a formula"


def test_csv_of_formula_like_data_is_neutralised(tricky: Dataset, seed: Dataset) -> None:
    rows = csv_rows(export_view(tricky, Filters(), "csv"))
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_STARTS), f"{column}={value!r} would run as a formula"
    assert rows[0]["title"] == '\'=HYPERLINK("http://example.com")'
    # A cell that already starts with an apostrophe keeps it under the new one, so it reads back.
    rows = csv_rows(export_view(with_cells(seed, ["'=1"]), Filters(), "csv"))
    assert rows[0]["title"] == "''=1"


def test_json_keeps_formula_like_text_exactly(seed: Dataset) -> None:
    cells = [f"{start}SUM(1+1)" for start in FORMULA_STARTS]
    records = json.loads(export_view(with_cells(seed, cells), Filters(), "json"))["events"]
    assert [r["title"] for r in records[: len(cells)]] == cells


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(alphabet=st.sampled_from("=+-@'\t\r\n ,\"aZ1é«;"), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
def test_any_title_round_trips_through_csv(seed: Dataset, title: str) -> None:
    back = read_back(export_view(with_cells(seed, [title]), Filters(), "csv"), "out.csv")
    # Every reader turns CR LF and a lone CR into LF; nothing else changes.
    assert back.loc[0, "title"] == title.replace("\r\n", "\n").replace("\r", "\n")
    pd.testing.assert_frame_equal(back.drop(columns="title"), seed.events.drop(columns="title"))


def test_the_process_shares_one_exporter() -> None:
    assert image_exporter() is image_exporter()
