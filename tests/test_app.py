"""The app builds, registers its callbacks, and is safe by default; no browser needed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from timeline.app import create_app, ids
from timeline.app.callbacks import filters_from, safe_filename
from timeline.app.layout import GRAPH_CONFIG, UPLOAD_LIMIT_BYTES
from timeline.app.state import Library
from timeline.cli import DEFAULT_HOST, DEFAULT_PORT, main
from timeline.dataset import Dataset
from timeline.io import DEFAULT_DATA
from timeline.query import Filters


def test_app_builds_and_registers_its_callbacks() -> None:
    app = create_app()
    outputs = " ".join(app.callback_map)
    for component in (ids.GRAPH, ids.COUNT, ids.DETAIL, ids.DOWNLOAD, ids.DATASET, ids.ACTORS):
        assert component in outputs, component
    assert app.server.config["MAX_CONTENT_LENGTH"] <= 3 * UPLOAD_LIMIT_BYTES


def test_serve_defaults_are_loopback_port_8050_and_no_debug() -> None:
    serve = main.commands["serve"]
    params = {p.name: p for p in serve.params if isinstance(p, click.Option)}
    assert params["host"].default == DEFAULT_HOST == "127.0.0.1"
    assert params["port"].default == DEFAULT_PORT == 8050
    assert params["debug"].default is False


def test_toolbar_download_is_a_print_resolution_png() -> None:
    options = GRAPH_CONFIG["toImageButtonOptions"]
    assert options["format"] == "png"
    assert options["scale"] >= 3


def test_filters_from_dashboard_controls() -> None:
    filters = filters_from(["Elon Musk"], ["denial"], ["2024-02-01", None], " sold ")
    assert filters.actors == ("Elon Musk",)
    assert filters.kinds == ("denial",)
    assert str(filters.start) == "2024-02-01"
    assert filters.end is None
    assert filters.text == " sold "
    assert filters_from(None, None, None, None).describe() == "All events"


@pytest.mark.parametrize(
    "dates", [["2024-02-30", "soon"], [5, {"day": 1}], "2024-02-01", {"start": "2024-02-01"}, [[], None]]
)
def test_filters_from_a_malformed_date_sets_no_bound(dates: object) -> None:
    filters = filters_from(["Elon Musk"], None, dates, None)  # type: ignore[arg-type]
    assert (filters.start, filters.end) == (None, None)
    assert filters.actors == ("Elon Musk",)


def test_filters_from_keeps_what_is_well_formed() -> None:
    filters = filters_from(["CNN", 5], "denial", ["someday", "2024-03-01T00:00:00"], 7)  # type: ignore[arg-type,list-item]
    assert filters == Filters(actors=("CNN",), end=dt.date(2024, 3, 1))


@pytest.mark.parametrize(
    "store", ["junk", [1, 2], 7, {}, {"token": ["x"]}, {"token": 5}, {"token": None}, {"name": "mine.csv"}]
)
def test_a_malformed_store_is_no_upload(seed: Dataset, store: object) -> None:
    dataset, note = Library(DEFAULT_DATA, seed).resolve(store)
    assert (dataset.name, note) == (seed.name, None)


def test_a_lost_upload_with_an_odd_name_is_your_file(seed: Dataset) -> None:
    _, note = Library(DEFAULT_DATA, seed).resolve({"token": "gone", "name": ["x"]})
    assert note is not None and "your file" in note


def test_uploads_are_private_to_their_token(seed: Dataset) -> None:
    library = Library(DEFAULT_DATA, seed)
    other = Dataset(seed.events.head(2), "mine.csv")
    token = library.add_upload(other)
    assert len(token) >= 32
    assert library.resolve({"token": token, "name": "mine.csv"})[0] is other
    assert library.resolve(None)[0].name == seed.name
    dataset, note = library.resolve({"token": "guessed", "name": "mine.csv"})
    assert dataset.name == seed.name
    assert note is not None and "mine.csv" in note


def test_download_names_are_safe() -> None:
    assert safe_filename("../../etc/passwd.csv") == "etc-passwd"
    assert safe_filename("My events (2024).xlsx") == "My-events-2024"
    assert safe_filename("...") == "timeline"


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("serve", "validate", "convert", "export"):
        assert name in result.output


@pytest.mark.parametrize("entry", [[sys.executable, "-m", "timeline", "--help"]])
def test_python_dash_m_runs_the_same_group(entry: list[str]) -> None:
    done = subprocess.run(entry, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "validate" in done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize("host", ["999.1.1.1", ""])
def test_serve_on_a_bad_host_is_a_clear_error(host: str) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", host, "--port", "8079"])
    assert result.exit_code == 1
    assert "is not an address to listen on" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# ------------------------------------------------------------- the view's window and room


def test_a_zoom_sets_the_window_and_autorange_clears_it() -> None:
    from timeline.app.callbacks import zoom_of

    window = (1_000, 2_000)
    assert zoom_of({"xaxis.range[0]": "2024-02-01", "xaxis.range[1]": "2024-02-08"}, None) == (
        True,
        (1_706_745_600_000, 1_707_350_400_000),
    )
    assert zoom_of({"xaxis.range": ["2024-02-01", "2024-02-08"]}, None)[1] == (1_706_745_600_000, 1_707_350_400_000)
    assert zoom_of({"xaxis.autorange": True}, window) == (True, None)
    assert zoom_of({"autosize": True}, window) == (False, window), "a resize is no zoom"
    assert zoom_of({"xaxis.range[0]": "soon", "xaxis.range[1]": "later"}, window) == (False, window)
    assert zoom_of(["not", "a", "dict"], window) == (False, window)


def test_a_click_on_a_density_strip_zooms_in_around_its_bin() -> None:
    from timeline.app.callbacks import density_zoom

    year = (1_704_067_200_000, 1_735_689_600_000)  # 2024
    centre = 1_719_792_000_000  # 1 July 2024
    zoomed = density_zoom({"points": [{"x": "2024-07-01", "z": 12, "y": 3}]}, year)
    assert zoomed is not None
    assert zoomed[0] < centre < zoomed[1]
    assert (zoomed[1] - zoomed[0]) * 5 == pytest.approx(year[1] - year[0], rel=0.01)
    assert density_zoom({"points": [{"x": "2024-07-01", "y": 3, "customdata": 4}]}, year) is None, "a marker"
    assert density_zoom({"points": [{"x": "2024-07-01", "z": 1}]}, None) is None
    assert density_zoom({"points": "nonsense"}, year) is None
    assert density_zoom(None, year) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"width": 800, "height": 700}, (800, 700)),
        ({"width": 800.4, "height": "700"}, (800, None)),
        ({"width": True, "height": 10}, (None, None)),
        ({"width": 10**9}, (None, None)),
        ("800x700", (None, None)),
        (None, (None, None)),
    ],
)
def test_the_charts_room_from_the_browser(value: object, expected: tuple[int | None, int | None]) -> None:
    from timeline.app.callbacks import viewport_of

    assert viewport_of(value) == expected


def test_new_data_starts_a_fresh_view_in_its_own_lane_order(seed: Dataset) -> None:
    from timeline.app.callbacks import fresh_view

    assert fresh_view(seed) == ([], [], [], "", [], None, [], "side", None)
    assert fresh_view(Dataset(seed.events, "mine.csv"))[-2] == "count"


def test_an_open_event_stays_open_under_a_thread_that_holds_it(seed: Dataset) -> None:
    from timeline.app.callbacks import still_shown

    gur = seed.position_of("gur-intercept-claim")
    spacex = seed.position_of("spacex-no-business-with-russia")
    assert gur is not None and spacex is not None
    denial_thread = Filters(thread="musk-false-news-reports")
    assert still_shown(seed, gur, denial_thread)
    assert not still_shown(seed, spacex, denial_thread)
    assert not still_shown(seed, gur, Filters(thread="musk-false-news-reports", kinds=("denial",)))
    assert not still_shown(seed, gur, Filters(thread="no-such-event"))
