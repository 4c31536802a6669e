"""``timeline export``: the CLI and the dashboard make the same figure and the same files.

The dashboard side is driven through Dash's own HTTP route, with the payload the browser
sends, so what is compared is what a reader of the dashboard gets.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result
from dash import Dash
from PIL import Image
from pypdf import PdfReader

from timeline import export
from timeline.app import create_app, ids
from timeline.app.callbacks import filters_from
from timeline.cli import main
from timeline.dataset import Dataset
from timeline.export import IMAGE_DEFAULTS, INSTALL_HINT, ImageSize
from timeline.figures import dataset_figure, transport
from timeline.io import read_events
from timeline.query import Filters, apply_filters

ROOT = Path(__file__).resolve().parent.parent


class RecordingExporter:
    """Stands in for the browser: keeps every figure it is asked to draw."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, Any], str, ImageSize]] = []

    def render(self, fig: dict[str, Any], fmt: str, size: ImageSize = IMAGE_DEFAULTS) -> bytes:
        self.calls.append((fig, fmt, size))
        return f"<{fmt}>".encode()


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> RecordingExporter:
    recording = RecordingExporter()
    monkeypatch.setattr(export, "_EXPORTER", recording)
    monkeypatch.setattr(export, "find_chromium", lambda: "/usr/bin/chromium")
    return recording


@pytest.fixture(scope="module")
def app() -> Dash:
    return create_app()


def run_export(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["export", *(str(a) for a in args)])


def as_sent(fig: dict[str, Any]) -> Any:
    """A figure as Dash sends it to the browser."""
    return json.loads(json.dumps(transport(fig)))


def decoded(value: Any) -> list[Any]:
    """An array of a figure as sent: Plotly's typed-array form, or a plain list."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=DTYPES[value["dtype"]]).tolist()
    return list(value)


DTYPES = {"f8": np.float64, "f4": np.float32, "i4": np.int32, "i2": np.int16, "i1": np.int8, "u1": np.uint8}


def drawn(fig: dict[str, Any]) -> dict[str, Any]:
    """What a figure shows, whatever its page: lanes, the events drawn, the time axis."""
    events = [t for t in fig["data"] if t.get("meta") == "events"]
    return {
        "lanes": fig["layout"]["meta"]["lanes"],
        "rows": fig["layout"]["meta"]["rows"],
        "events": sorted(p for t in events for p in decoded(t["customdata"])),
        "range": fig["layout"]["xaxis"]["range"],
        "mode": fig["layout"]["meta"]["mode"],
    }


def call_callback(app: Dash, output: str, values: dict[str, Any], changed: str) -> dict[str, Any]:
    """Run a callback through Dash's HTTP route, as the browser does; its outputs by component."""
    key = next(k for k in app.callback_map if output in k)
    spec = app.callback_map[key]
    outputs = [dict(zip(("id", "property"), part.split("."), strict=True)) for part in key.strip(".").split("...")]

    def fill(items: list[dict[str, str]]) -> list[dict[str, Any]]:
        return [dict(item, value=values.get(f"{item['id']}.{item['property']}")) for item in items]

    payload = {
        "output": key,
        "outputs": outputs,
        "inputs": fill(spec["inputs"]),
        "state": fill(spec["state"]),
        "changedPropIds": [changed],
    }
    response = app.server.test_client().post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.get_json()["response"]
    return result


def controls(
    actors: list[str] | None = None,
    kinds: list[str] | None = None,
    dates: list[str | None] | None = None,
    text: str = "",
) -> dict[str, Any]:
    """The dashboard's filter controls, as component properties."""
    return {
        f"{ids.ACTORS}.value": actors or [],
        f"{ids.KINDS}.value": kinds or [],
        f"{ids.DATES}.value": dates or [],
        f"{ids.SEARCH}.value": text,
        f"{ids.DATASET}.data": None,
    }


def dashboard_figure(app: Dash, view: dict[str, Any]) -> Any:
    return call_callback(app, f"{ids.GRAPH}.figure", view, f"{ids.ACTORS}.value")[ids.GRAPH]["figure"]


def dashboard_download(app: Dash, view: dict[str, Any], button: str, image_format: str = "svg") -> bytes:
    values = {
        **view,
        f"{button}.n_clicks": 1,
        f"{ids.EXPORT_FORMAT}.value": image_format,
        f"{ids.EXPORT_WIDTH}.value": IMAGE_DEFAULTS.width,
        f"{ids.EXPORT_HEIGHT}.value": IMAGE_DEFAULTS.height,
        f"{ids.EXPORT_SCALE}.value": IMAGE_DEFAULTS.scale,
    }
    response = call_callback(app, f"{ids.DOWNLOAD}.data", values, f"{button}.n_clicks")
    assert ids.DOWNLOAD in response, response
    return base64.b64decode(response[ids.DOWNLOAD]["data"]["content"])


# Each case: the CLI's options, and the dashboard's controls meaning the same view.
SAME_VIEWS = [
    pytest.param(["--actor", "Elon Musk"], controls(actors=["Elon Musk"]), id="actor"),
    pytest.param(["--kind", "denial", "--kind", "claim"], controls(kinds=["denial", "claim"]), id="kinds"),
    pytest.param(["--kind", "Denial"], controls(kinds=["denial"]), id="kind-any-case"),
    # A month given on the command line means its first day (--from) or its last (--to).
    pytest.param(["--from", "2022-09", "--to", "2023-03"], controls(dates=["2022-09-01", "2023-03-31"]), id="months"),
    pytest.param(
        ["--from", "Sep 2022", "--to", "2023-03-31"], controls(dates=["2022-09-01", "2023-03-31"]), id="words"
    ),
    pytest.param(["--from", "2023-06-15"], controls(dates=["2023-06-15", None]), id="from-only"),
    pytest.param(
        ["--to", "2023-12-31", "--from", "2023-12-31"], controls(dates=["2023-12-31", "2023-12-31"]), id="one-day"
    ),
    pytest.param(["--search", "starlink"], controls(text="starlink"), id="search"),
    pytest.param(
        [
            "--actor",
            "Elon Musk",
            "--actor",
            "Dmitry Peskov",
            "--kind",
            "statement",
            "--kind",
            "denial",
            "--from",
            "2022-06-01",
            "--to",
            "2024-02-12",
            "--search",
            " Starlink ",
        ],
        controls(
            actors=["Elon Musk", "Dmitry Peskov"],
            kinds=["statement", "denial"],
            dates=["2022-06-01", "2024-02-12"],
            text=" Starlink ",
        ),
        id="everything",
    ),
]


@pytest.mark.parametrize(("options", "view"), SAME_VIEWS)
def test_cli_and_dashboard_mean_the_same_filters(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, options: list[str], view: dict[str, Any]
) -> None:
    seen: list[Filters] = []
    real = export.export_view

    def spy(dataset: Dataset, filters: Filters, fmt: str, size: ImageSize = IMAGE_DEFAULTS, **view: Any) -> bytes:
        seen.append(filters)
        return real(dataset, filters, fmt, size, **view)

    monkeypatch.setattr(export, "export_view", spy)
    result = run_export(tmp_path / "view.csv", *options)
    assert result.exit_code == 0, result.output
    dashboard = filters_from(*(view[f"{i}.value"] for i in (ids.ACTORS, ids.KINDS, ids.DATES, ids.SEARCH)))
    assert seen == [dashboard]


@pytest.mark.parametrize(("options", "view"), SAME_VIEWS)
def test_cli_and_dashboard_draw_the_same_figure(
    recorder: RecordingExporter, app: Dash, tmp_path: Path, options: list[str], view: dict[str, Any]
) -> None:
    result = run_export(tmp_path / "view.svg", *options)
    assert result.exit_code == 0, result.output
    [(cli_figure, fmt, _)] = recorder.calls
    assert fmt == "svg"
    # The dashboard's own "Download image" draws that very figure.
    dashboard_download(app, view, ids.EXPORT_IMAGE)
    assert as_sent(recorder.calls[-1][0]) == as_sent(cli_figure)
    # And it shows what the screen shows: the same lanes, events and time axis.
    assert drawn(as_sent(cli_figure)) == drawn(dashboard_figure(app, view))


@pytest.mark.parametrize(("options", "view"), SAME_VIEWS)
@pytest.mark.parametrize(("fmt", "button"), [("csv", ids.EXPORT_CSV), ("json", ids.EXPORT_JSON)])
def test_cli_and_dashboard_write_the_same_data_files(
    app: Dash, tmp_path: Path, options: list[str], view: dict[str, Any], fmt: str, button: str
) -> None:
    out = tmp_path / f"view.{fmt}"
    result = run_export(out, *options)
    assert result.exit_code == 0, result.output
    assert dashboard_download(app, view, button) == out.read_bytes()


def test_the_figure_compared_is_the_one_for_the_filters(app: Dash, seed: Dataset) -> None:
    """Guards the comparison above: different filters give a different figure."""
    musk = dashboard_figure(app, controls(actors=["Elon Musk"]))
    everyone = dashboard_figure(app, controls())
    assert drawn(musk) != drawn(everyone)
    assert drawn(musk) == drawn(as_sent(dataset_figure(seed, Filters(actors=("Elon Musk",)))))


def test_to_keeps_events_starting_on_its_last_day(tmp_path: Path, seed: Dataset) -> None:
    peskov = seed.events[seed.events["actor"] == "Dmitry Peskov"]
    assert set(peskov["start"]) == {"2024-02-12"}, "the case: every Peskov event is dated 12 February 2024"
    out = tmp_path / "peskov.json"
    for to, kept in (("2024-02-12", len(peskov)), ("2024-02", len(peskov)), ("2024", len(peskov)), ("2024-02-11", 0)):
        result = run_export(out, "--actor", "Dmitry Peskov", "--to", to)
        assert result.exit_code == 0, result.output
        assert len(json.loads(out.read_text())["events"]) == kept, f"--to {to}"


@pytest.mark.export
def test_cli_writes_valid_files_of_every_format_with_one_browser(
    chromium: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seed: Dataset
) -> None:
    export.image_exporter().close()
    starts: list[str | None] = []
    real_find = export.find_chromium

    def counting_find() -> str | None:
        starts.append(found := real_find())
        return found

    monkeypatch.setattr(export, "find_chromium", counting_find)
    outputs = [tmp_path / name for name in ("musk.png", "musk.svg", "musk.pdf", "musk.csv", "musk.json")]
    result = run_export(*outputs, "--actor", "Elon Musk", "--width", "800", "--height", "450", "--scale", "1.5")
    assert result.exit_code == 0, result.output
    # One check before writing, one browser start for three images.
    assert len(starts) == 2

    png, svg, pdf, data_csv, data_json = (p.read_bytes() for p in outputs)
    assert Image.open(io.BytesIO(png)).size == (1200, 675)
    assert b"Elon Musk" in svg and b"Dmitry Peskov" not in svg
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    musk = apply_filters(seed.events, Filters(actors=("Elon Musk",)))
    for name, content in (("musk.csv", data_csv), ("musk.json", data_json)):
        assert list(read_events(content, name).events["id"]) == list(musk["id"])
    for output in outputs:
        assert f"{output}: " in result.stdout
    assert "exporting" in result.stderr and "5/5" in result.stderr, "a batch shows a progress bar"


def test_a_short_batch_has_no_progress_bar(recorder: RecordingExporter, tmp_path: Path) -> None:
    result = run_export(tmp_path / "a.svg", tmp_path / "b.csv")
    assert result.exit_code == 0, result.output
    assert "exporting" not in result.stderr
    assert [fmt for _, fmt, _ in recorder.calls] == ["svg"]


def test_missing_chromium_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "BROWSER_PATH": str(tmp_path / "no-such-chromium")}
    outputs = [tmp_path / "chart.csv", tmp_path / "chart.png"]
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "export", *map(str, outputs)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert INSTALL_HINT in done.stderr
    assert "apt-get install chromium" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not any(p.exists() for p in outputs), "nothing is written when the batch cannot finish"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chart.eps"], "unknown file type '.eps'"),
        (["chart.png", "--kind", "rumour"], "--kind: rumour is not a kind"),
        (["chart.png", "--actor", "Nobody"], "no events by 'Nobody'"),
        (["chart.png", "--width", "50"], "width must be 200 to 6000 layout pixels, not 50"),
        (["chart.png", "--width", "0"], "width must be 200 to 6000 layout pixels, not 0"),
        (["chart.pdf", "--height", "0"], "height must be 200 to 6000 layout pixels, not 0"),
        (["chart.png", "--scale", "40"], "scale must be 0.5 to 6, not 40"),
        (["chart.svg", "--scale", "0"], "scale must be 0.5 to 6, not 0"),
        (["chart.png", "--width", "6000", "--height", "6000"], "at most 40 megapixels; lower the scale or the size"),
        (["chart.png", "--from", "soon"], "--from 'soon'"),
        (["chart.png", "--search", "no event says this"], "no event matches these filters"),
    ],
)
def test_bad_requests_are_messages(recorder: RecordingExporter, tmp_path: Path, args: list[str], message: str) -> None:
    result = run_export(tmp_path / args[0], *args[1:])
    assert result.exit_code == 1
    assert message in result.stderr
    assert isinstance(result.exception, SystemExit), "no traceback"
    assert recorder.calls == []
    assert not (tmp_path / args[0]).exists()


def test_the_pixel_cap_is_for_pngs_only(recorder: RecordingExporter, tmp_path: Path) -> None:
    result = run_export(tmp_path / "big.svg", tmp_path / "big.pdf", "--width", "6000", "--height", "6000")
    assert result.exit_code == 0, result.output
    assert [size for _, _, size in recorder.calls] == [ImageSize(6000, 6000, IMAGE_DEFAULTS.scale)] * 2


def size_fields(width: Any, height: Any, scale: Any) -> dict[str, Any]:
    return {
        f"{ids.EXPORT_WIDTH}.value": width,
        f"{ids.EXPORT_HEIGHT}.value": height,
        f"{ids.EXPORT_SCALE}.value": scale,
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (size_fields(None, 900, 2), "width is missing"),
        (size_fields(1600, "", 2), "height is missing"),
        (size_fields(1600, 900, 40), "scale must be 0.5 to 6, not 40"),
        (size_fields(6000, 6000, 6), "at most 40 megapixels; lower the scale or the size"),
    ],
)
def test_dashboard_says_what_is_wrong_with_the_size(
    monkeypatch: pytest.MonkeyPatch, app: Dash, fields: dict[str, Any], message: str
) -> None:
    # The size is checked before a browser is needed: none is here.
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    monkeypatch.setattr(export, "_EXPORTER", export.ImageExporter())
    values = {**controls(), f"{ids.EXPORT_IMAGE}.n_clicks": 1, f"{ids.EXPORT_FORMAT}.value": "png", **fields}
    response = call_callback(app, f"{ids.DOWNLOAD}.data", values, f"{ids.EXPORT_IMAGE}.n_clicks")
    assert ids.DOWNLOAD not in response, "no file"
    alert = json.dumps(response[ids.EXPORT_ALERT])
    assert message in alert
    assert "apt-get" not in alert
    # A data file needs no size.
    values = {**controls(), f"{ids.EXPORT_CSV}.n_clicks": 1, f"{ids.EXPORT_FORMAT}.value": "png", **fields}
    response = call_callback(app, f"{ids.DOWNLOAD}.data", values, f"{ids.EXPORT_CSV}.n_clicks")
    assert response[ids.DOWNLOAD]["data"]["filename"].endswith(".csv")


@pytest.mark.parametrize(
    ("dates", "store"),
    [
        (["someday", None], None),
        ([5, "2024-99-01"], None),
        ("2024-01-01", None),
        ([], "junk"),
        ([], [1, 2]),
        ([], {"token": ["not", "text"]}),
        ([], {"token": 5, "name": {}}),
    ],
)
def test_a_hand_made_request_gets_the_chart_not_a_server_error(app: Dash, dates: Any, store: Any) -> None:
    view = {**controls(), f"{ids.DATES}.value": dates, f"{ids.DATASET}.data": store}
    assert dashboard_figure(app, view) == dashboard_figure(app, controls())


def test_dashboard_says_how_to_install_chromium(monkeypatch: pytest.MonkeyPatch, app: Dash) -> None:
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    monkeypatch.setattr(export, "_EXPORTER", export.ImageExporter())
    values = {
        **controls(actors=["Elon Musk"]),
        f"{ids.EXPORT_IMAGE}.n_clicks": 1,
        f"{ids.EXPORT_FORMAT}.value": "png",
        f"{ids.EXPORT_WIDTH}.value": 1600,
        f"{ids.EXPORT_HEIGHT}.value": 900,
        f"{ids.EXPORT_SCALE}.value": 2,
    }
    response = call_callback(app, f"{ids.DOWNLOAD}.data", values, f"{ids.EXPORT_IMAGE}.n_clicks")
    assert ids.DOWNLOAD not in response, "no file"
    alert = json.dumps(response[ids.EXPORT_ALERT])
    assert "apt-get install chromium" in alert
    assert "camera button" in alert
    assert "Traceback" not in alert


@pytest.mark.parametrize(
    ("changed", "values", "expected"),
    [
        ("preset", {"preset": "a4"}, {ids.EXPORT_WIDTH: 1123, ids.EXPORT_HEIGHT: 794, ids.EXPORT_SCALE: 3.0}),
        ("preset", {"preset": "slide"}, {ids.EXPORT_WIDTH: 1600, ids.EXPORT_HEIGHT: 900, ids.EXPORT_SCALE: 2.0}),
        ("width", {"preset": "slide", "width": 1200, "height": 900, "scale": 2}, {ids.EXPORT_PRESET: "custom"}),
        ("width", {"preset": "custom", "width": 1123, "height": 794, "scale": 3}, {ids.EXPORT_PRESET: "a4"}),
        ("scale", {"preset": "slide", "width": 1600, "height": 900, "scale": None}, {ids.EXPORT_PRESET: "custom"}),
    ],
)
def test_size_presets_and_numbers_follow_each_other(
    app: Dash, changed: str, values: dict[str, Any], expected: dict[str, Any]
) -> None:
    component = {
        "preset": ids.EXPORT_PRESET,
        "width": ids.EXPORT_WIDTH,
        "height": ids.EXPORT_HEIGHT,
        "scale": ids.EXPORT_SCALE,
    }
    props = {f"{component[k]}.value": v for k, v in values.items()}
    response = call_callback(app, f"{ids.EXPORT_PRESET}.value", props, f"{component[changed]}.value")
    assert {k: v["value"] for k, v in response.items()} == expected


def test_from_after_to_is_refused(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from timeline.cli import main

    result = CliRunner().invoke(main, ["export", str(tmp_path / "x.csv"), "--from", "2024-02-12", "--to", "2024-02-01"])
    assert result.exit_code == 1
    assert "--from 2024-02-12 is after --to 2024-02-01" in result.output
    assert not (tmp_path / "x.csv").exists()
