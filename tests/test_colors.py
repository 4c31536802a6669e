"""The side palette: contrast on both chart backgrounds, colour-blind distance, stable colours per name."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest

from timeline.colors import (
    DARK_PAPER,
    LIGHT_PAPER,
    OTHER_COLOR,
    SIDE_PALETTE,
    is_color,
    preferred_color,
    side_colors,
    side_key,
)
from timeline.dataset import Dataset
from timeline.engine import UNASSIGNED_SIDE, side_names
from timeline.figures import STATUS_STYLES
from timeline.io import load_events
from timeline.query import Filters, apply_filters
from timeline.schema import ValidationError

GRAPHICS_CONTRAST = 3.0
"""WCAG 2.1, success criterion 1.4.11: graphical objects need 3:1 against what is next to them."""

# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of colour
# vision deficiency", severity 1.0, applied to linear RGB.
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))
PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998))
VISIONS = {"normal": None, "deuteranopia": DEUTERANOPIA, "protanopia": PROTANOPIA}

MIN_DISTANCE = 12.0
"""Smallest CIELAB distance (ΔE*ab) between any two side colours, in any vision simulated."""
MIN_NEIGHBOUR_DISTANCE = 30.0
"""Smallest distance between palette neighbours (where a colour collision falls)."""


def _channels(color: str) -> list[float]:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]


def _linear(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """WCAG relative luminance."""
    red, green, blue = (_linear(c) for c in _channels(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(color: str, matrix: tuple[tuple[float, ...], ...] | None) -> tuple[float, float, float]:
    rgb = [_linear(c) for c in _channels(color)]
    if matrix is not None:
        rgb = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]
    red, green, blue = rgb
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: str, b: str, vision: str) -> float:
    return math.dist(lab(a, VISIONS[vision]), lab(b, VISIONS[vision]))


def test_the_contrast_formula_matches_wcag_examples() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("background", [LIGHT_PAPER, DARK_PAPER])
@pytest.mark.parametrize("color", [*SIDE_PALETTE, OTHER_COLOR])
def test_every_side_colour_stands_out_on_both_chart_backgrounds(color: str, background: str) -> None:
    assert contrast(color, background) >= GRAPHICS_CONTRAST, f"{color} on {background}"


@pytest.mark.parametrize("vision", VISIONS)
def test_side_colours_stay_apart_in_colour_blind_vision(vision: str) -> None:
    for a, b in itertools.combinations(SIDE_PALETTE, 2):
        assert distance(a, b, vision) >= MIN_DISTANCE, f"{a} and {b} look alike ({vision})"
    for a, b in zip(SIDE_PALETTE, SIDE_PALETTE[1:] + SIDE_PALETTE[:1], strict=True):
        assert distance(a, b, vision) >= MIN_NEIGHBOUR_DISTANCE, f"neighbours {a} and {b} ({vision})"


def test_no_side_colour_is_a_claim_status_colour() -> None:
    rings = {color.upper() for color, _ in STATUS_STYLES.values()}
    assert not rings & {c.upper() for c in SIDE_PALETTE}


def test_palette_entries_are_distinct_colours() -> None:
    assert len(set(SIDE_PALETTE)) == len(SIDE_PALETTE)
    assert all(is_color(c) for c in SIDE_PALETTE)
    assert OTHER_COLOR not in SIDE_PALETTE


def test_a_side_key_folds_case_spacing_and_alternatives() -> None:
    assert side_key("  SpaceX /  Musk ") == "spacex"
    assert side_key("RUSSIA") == side_key("Russia") == "russia"
    assert side_key("Ｒｕｓｓｉａ") == "russia"  # full-width letters, NFKC


def test_colours_do_not_depend_on_the_order_sides_come_in() -> None:
    sides = ["Russia", "SpaceX / Musk", "Ukraine", "Media", "NATO", "EU", "Kremlin", "Pentagon", "UN"]
    reference = side_colors(sides)
    for shift in range(len(sides)):
        turned = sides[shift:] + sides[:shift]
        colors = side_colors(turned)
        assert colors == reference
        assert list(colors) == turned  # the mapping keeps the order given (lanes follow it)
    assert side_colors(reversed(sides)) == reference


def test_more_sides_than_colours_still_get_palette_colours() -> None:
    sides = [f"side {n}" for n in range(20)]
    colors = side_colors(sides)
    assert set(colors.values()) == set(SIDE_PALETTE)


def test_sides_that_want_one_colour_are_settled_by_name_not_order() -> None:
    slot_of = {side: SIDE_PALETTE.index(preferred_color(side)) for side in (f"side {n}" for n in range(40))}
    a, b = next((a, b) for a, b in itertools.combinations(slot_of, 2) if slot_of[a] == slot_of[b])
    assert side_colors([a, b]) == side_colors([b, a])
    assert len(set(side_colors([a, b]).values())) == 2


def test_pins_win_and_free_their_colour_for_nobody_else() -> None:
    pinned = side_colors(["Russia", "Ukraine"], {"Ukraine": preferred_color("Russia")})
    assert pinned["Ukraine"] == preferred_color("Russia")
    assert pinned["Russia"] != pinned["Ukraine"]


def _write(path: Path, sides: list[str]) -> Path:
    header = "id,start,precision,actor,side,kind,title,source\n"
    rows = "".join(f"e{n},2024-02-1{n},day,Actor {n},{side},claim,Said {n},Paper\n" for n, side in enumerate(sides))
    path.write_text(header + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("order", [["SpaceX", "Russia"], ["Russia", "SpaceX"]])
def test_a_users_file_gives_sides_the_default_storys_colours(tmp_path: Path, seed: Dataset, order: list[str]) -> None:
    """The issue's report: in a user's own file "SpaceX" came out red and "Russia" green."""
    users = load_events(_write(tmp_path / "mine.csv", order))
    assert users.colors["Russia"] == seed.colors["Russia"]
    assert users.colors["SpaceX"] == seed.colors["SpaceX / Musk"]
    assert users.colors["Russia"] != users.colors["SpaceX"]


def test_filtering_never_changes_a_colour(seed: Dataset) -> None:
    """A part of the data (a filter's result, saved and loaded again) keeps every side's colour."""
    for side in seed.colors:
        alone = Dataset(seed.events[side_names(seed.events) == side], "part.csv")
        assert alone.colors == {side: seed.colors[side]}
    for actor in seed.actors:
        narrowed = apply_filters(seed.events, Filters(actors=(actor,)))
        assert Dataset(narrowed, "part.csv").colors.items() <= seed.colors.items()


def test_events_without_a_side_are_grey(tmp_path: Path) -> None:
    dataset = load_events(_write(tmp_path / "blank.csv", ["", "Russia"]))
    assert dataset.colors[UNASSIGNED_SIDE] == OTHER_COLOR


def test_a_meta_file_pins_side_colours(tmp_path: Path) -> None:
    data = _write(tmp_path / "pinned.csv", ["Russia", "Ukraine"])
    (tmp_path / "pinned.csv.meta.json").write_text(json.dumps({"side_colors": {"Ukraine": "#228833"}}))
    dataset = load_events(data)
    assert dataset.colors["Ukraine"] == "#228833"
    assert dataset.colors["Russia"] == preferred_color("Russia")


def test_bad_pinned_colours_are_named_with_file_and_key(tmp_path: Path) -> None:
    data = _write(tmp_path / "bad.csv", ["Russia", "Ukraine"])
    meta = {"side_colors": {"Ukraine": "green", "Russia": "#12345"}, "lane_order": "nonsense"}
    (tmp_path / "bad.csv.meta.json").write_text(json.dumps(meta))
    with pytest.raises(ValidationError) as raised:
        load_events(data)
    problems = {(p.file, p.column, p.value) for p in raised.value.problems}
    assert ("bad.csv.meta.json", "side_colors.Ukraine", "green") in problems
    assert ("bad.csv.meta.json", "side_colors.Russia", "#12345") in problems
    assert ("bad.csv.meta.json", "lane_order", "nonsense") in problems


def test_side_colors_must_be_an_object(tmp_path: Path) -> None:
    data = _write(tmp_path / "list.csv", ["Russia"])
    (tmp_path / "list.csv.meta.json").write_text(json.dumps({"side_colors": ["#228833"]}))
    with pytest.raises(ValidationError, match="side_colors"):
        load_events(data)
