"""Colours of sides: one colour-blind-safe palette, and which side gets which colour.

A side's colour comes from its name, never from the order in which sides appear: the
normalised name is hashed into the palette, so "Russia" is drawn in the same colour in every
dataset and under every filter. A dataset's meta file may pin colours (``side_colors``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

SIDE_PALETTE: tuple[str, ...] = (
    "#785EF0",  # violet (IBM Design Library)
    "#CC79A7",  # reddish purple (Okabe & Ito)
    "#228833",  # green (Tol, bright)
    "#1F77B4",  # blue (Tableau 10; the earlier palette's, so the seed story's SpaceX keeps it)
    "#999933",  # olive (Tol, muted)
    "#DC267F",  # magenta (IBM Design Library)
    "#648FFF",  # light blue (IBM Design Library)
    "#EE6677",  # red (Tol, bright)
)
"""Colours of sides, from colour-blind-safe schemes: Okabe & Ito, "Color Universal Design"
(2008, https://jfly.uni-koeln.de/color/); Paul Tol, "Colour schemes" (SRON/EPS/TN/09-002,
https://personal.sron.nl/~pault/); the IBM Design Library's colour-blind-safe palette. Of
those, the colours with a WCAG contrast of at least 3:1 (graphical objects, SC 1.4.11) against
both the light chart (#fff) and the dark one (:data:`DARK_PAPER`), none that a claim status's
ring uses, and the eight that stay furthest apart under simulated deuteranopia and protanopia
(Machado et al. 2009); ordered so that neighbours, where a collision falls, differ most.
tests/test_colors.py measures all of it."""

OTHER_COLOR = "#808080"
"""A side the palette gave no colour, and events without a side: a neutral grey."""

LIGHT_PAPER = "#ffffff"
"""The chart's background in the light theme (as :mod:`timeline.figures` draws it)."""
DARK_PAPER = "#1f1f1f"
"""The chart's background in the dark theme (the page repaints it; see :mod:`timeline.app.theme`)."""

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def is_color(value: object) -> bool:
    """Whether ``value`` is a ``#RGB`` or ``#RRGGBB`` colour, the form pinned colours take."""
    return isinstance(value, str) and bool(_HEX.match(value))


def side_key(side: str) -> str:
    """The name a side's colour hangs on: Unicode-normalised, case and spacing folded, and of a
    side written as alternatives ("SpaceX / Musk") its first name ("spacex")."""
    folded = " ".join(unicodedata.normalize("NFKC", side).casefold().split())
    return folded.split(" / ", 1)[0].strip()


def _slot(key: str) -> int:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % len(SIDE_PALETTE)


def preferred_color(side: str) -> str:
    """The palette colour a side takes when no other side of its dataset wants it."""
    return SIDE_PALETTE[_slot(side_key(side))]


def side_colors(sides: Iterable[str], pins: Mapping[str, str] | None = None) -> dict[str, str]:
    """A colour per side, from its name (see :func:`preferred_color`), whatever the order given
    (the mapping keeps that order: lanes grouped by side follow it).

    Pinned sides take their pinned colour. Two sides that want one colour are settled by the
    hash: sides taken in order of (slot, key, name), each gets its preferred colour or the next
    free one; only past the palette's size do colours repeat.

    Args:
        sides: the dataset's sides (repeats and order do not matter).
        pins: side -> colour, e.g. from the dataset's meta file; pinned names match exactly.
    """
    pins = pins or {}
    names = list(dict.fromkeys(sides))
    colors = {side: pins[side] for side in names if side in pins}
    taken = {SIDE_PALETTE.index(c.upper()) for c in colors.values() if c.upper() in SIDE_PALETTE}
    free = sorted((name for name in names if name not in colors), key=lambda s: (_slot(side_key(s)), side_key(s), s))
    for side in free:
        slot = _slot(side_key(side))
        for step in range(len(SIDE_PALETTE)):
            candidate = (slot + step) % len(SIDE_PALETTE)
            if candidate not in taken:
                slot = candidate
                break
        taken.add(slot)
        colors[side] = SIDE_PALETTE[slot]
    return {side: colors[side] for side in names}


def rgba(color: str, alpha: float) -> str:
    """``#RRGGBB`` (or ``#RGB``) with an opacity, as CSS ``rgba()``."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"
