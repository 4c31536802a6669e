"""Light and dark: the page follows the system's setting until the reader picks one with the
header's switch; the choice is remembered in the browser (local storage).

The chart is drawn light by :mod:`timeline.figures` (exports stay light); in the dark theme the
browser repaints its background, text, grid and axes after every draw.
"""

from __future__ import annotations

import json
from typing import Any

import dash_mantine_components as dmc
from dash import Dash, Input, Output, State, dcc

from timeline.app import ids
from timeline.app.state import Library
from timeline.colors import DARK_PAPER, LIGHT_PAPER

PROVIDER = "mantine-provider"
"""The page's MantineProvider (:data:`timeline.app.layout.PROVIDER`), whose scheme is set here."""
PAINTED = "theme-painted"
"""Store of the scheme the chart was last painted in (written by the browser)."""

CHART_COLORS: dict[str, dict[str, str]] = {
    "light": {"paper": LIGHT_PAPER, "text": "#222222", "grid": "#eeeeee", "line": "#999999"},
    "dark": {"paper": DARK_PAPER, "text": "#d8d8d8", "grid": "#333333", "line": "#777777"},
}
"""The chart's background, text, grid and axis lines in each theme (light as figures draws it)."""


def components() -> list[Any]:
    """The remembered choice (``"light"``, ``"dark"``, or none: follow the system)."""
    return [dcc.Store(id=ids.THEME, storage_type="local"), dcc.Store(id=PAINTED, storage_type="memory")]


def header_tools() -> list[Any]:
    """The switch between the light and the dark theme."""
    return [
        dmc.Switch(
            id=ids.THEME_TOGGLE,
            label="Dark theme",
            checked=False,
            size="sm",
            persistence=False,
            className="theme-toggle",
        )
    ]


def panel() -> list[Any]:
    """Nothing under the chart: the theme lives in the header."""
    return []


# Runs in the browser. The scheme: the switch's when the reader flips it (and remembered),
# else the remembered one, else the system's; a system change is followed while nothing is
# remembered.
CHOOSE_SCHEME = f"""
function(checked, stored) {{
    const context = window.dash_clientside.callback_context;
    const flipped = (context.triggered || []).some(t => t.prop_id === '{ids.THEME_TOGGLE}.checked');
    const system = () => window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches
        ? 'dark' : 'light';
    if (!window.__timelineScheme) {{
        window.__timelineScheme = true;
        if (window.matchMedia) {{
            window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {{
                let remembered = null;
                try {{ remembered = JSON.parse(window.localStorage.getItem('{ids.THEME}')); }} catch (e) {{}}
                if (remembered === 'dark' || remembered === 'light') return;
                window.dash_clientside.set_props('{PROVIDER}', {{forceColorScheme: system()}});
                window.dash_clientside.set_props('{ids.THEME_TOGGLE}', {{checked: system() === 'dark'}});
            }});
        }}
    }}
    if (flipped) {{
        const scheme = checked ? 'dark' : 'light';
        return [scheme, checked, scheme];
    }}
    const scheme = stored === 'dark' || stored === 'light' ? stored : system();
    return [window.dash_clientside.no_update, scheme === 'dark', scheme];
}}
"""

# Runs in the browser: repaint the chart in the scheme's colours after each draw. Plotly.react
# with a copied layout, not relayout: a relayout would reach the server as a zoom.
PAINT_CHART = f"""
function(scheme, _figure, _painted) {{
    const colors = {json.dumps(CHART_COLORS)};
    const paint = (gd) => {{
        const wanted = colors[window.__timelineSchemeNow || 'light'];
        const layout = gd.layout || {{}};
        if (!gd.data || layout.paper_bgcolor === wanted.paper) return;
        const axis = (a) => Object.assign({{}}, a || {{}}, {{
            gridcolor: wanted.grid, linecolor: wanted.line,
        }});
        const next = Object.assign({{}}, layout, {{
            paper_bgcolor: wanted.paper,
            plot_bgcolor: wanted.paper,
            font: Object.assign({{}}, layout.font || {{}}, {{color: wanted.text}}),
            xaxis: axis(layout.xaxis),
            yaxis: axis(layout.yaxis),
        }});
        window.Plotly.react(gd, gd.data, next);
    }};
    window.__timelineSchemeNow = scheme || 'light';
    const attach = (tries) => {{
        const gd = document.querySelector('#{ids.GRAPH} .js-plotly-plot');
        if (!gd || !window.Plotly || !gd.on) {{
            if (tries > 0) setTimeout(() => attach(tries - 1), 100);
            return;
        }}
        if (!gd.__timelineThemed) {{
            gd.__timelineThemed = true;
            gd.on('plotly_afterplot', () => paint(gd));
        }}
        paint(gd);
    }};
    attach(50);
    return window.__timelineSchemeNow;
}}
"""


def register(app: Dash, library: Library) -> None:
    """Register the scheme's choice and the chart's repaint (both run in the browser)."""
    app.clientside_callback(  # type: ignore[no-untyped-call]
        CHOOSE_SCHEME,
        Output(ids.THEME, "data"),
        Output(ids.THEME_TOGGLE, "checked"),
        Output(PROVIDER, "forceColorScheme"),
        Input(ids.THEME_TOGGLE, "checked"),
        Input(ids.THEME, "data"),
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        PAINT_CHART,
        Output(PAINTED, "data"),
        Input(PROVIDER, "forceColorScheme"),
        Input(ids.GRAPH, "figure"),
        State(PAINTED, "data"),
    )
