"""Colours of sides: one palette, and which side gets which colour."""

from __future__ import annotations

from collections.abc import Iterable

SIDE_PALETTE: tuple[str, ...] = (
    "#C0392B",
    "#1F77B4",
    "#2E8B57",
    "#7B4EA3",
    "#E67E22",
    "#17A2B8",
    "#8C564B",
    "#D63384",
    "#556B2F",
    "#34495E",
)
OTHER_COLOR = SIDE_PALETTE[-1]
"""A side the palette gave no colour."""


def side_colors(sides: Iterable[str]) -> dict[str, str]:
    """A colour per side, in order of first appearance (the palette repeats past its end)."""
    return {side: SIDE_PALETTE[i % len(SIDE_PALETTE)] for i, side in enumerate(dict.fromkeys(sides))}


def rgba(color: str, alpha: float) -> str:
    """``#RRGGBB`` (or ``#RGB``) with an opacity, as CSS ``rgba()``."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"
