"""Call a Dash app's callbacks the way the browser does, through Flask's test client.

Nothing here knows the app's argument list: the callback is found in ``app.callback_map`` by
one of its outputs, its inputs and state are read from there, and each property starts at the
value the page layout gives it (``None`` when the layout leaves it unset), as the renderer
would send it on first load.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dash import Dash
from dash._utils import split_callback_id
from dash.development.base_component import Component

UPDATE_URL = "/_dash-update-component"
# A store the page fills with its own size (the figure may size itself to the screen).
VIEWPORT_ID = re.compile(r"viewport|screen", re.IGNORECASE)


def _walk(value: Any) -> Iterator[Component]:
    """Every component in a layout, in any prop (children, navbar, label...), depth first."""
    if isinstance(value, Component):
        yield value
        for name in value._prop_names:
            yield from _walk(getattr(value, name, None))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)


def layout_props(app: Dash) -> dict[str, dict[str, Any]]:
    """Component id (JSON text for dict ids) -> the props the layout sets on it."""
    layout = app.layout() if callable(app.layout) else app.layout
    found: dict[str, dict[str, Any]] = {}
    for component in _walk(layout):
        key = getattr(component, "id", None)
        if key is None:
            continue
        key = json.dumps(key, sort_keys=True, separators=(",", ":")) if isinstance(key, dict) else str(key)
        found[key] = {name: getattr(component, name) for name in component._prop_names if hasattr(component, name)}
    return found


def _targets(output_key: str) -> list[dict[str, str]]:
    split = split_callback_id(output_key)
    return split if isinstance(split, list) else [split]


@dataclass
class Response:
    """One callback answer: HTTP status, body, and the seconds it took."""

    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body) if self.status == 200 and self.body else None

    def updates(self) -> dict[str, Any]:
        """What the answer sets: ``"component.prop"`` -> value."""
        answer = self.json()
        response = answer.get("response", {}) if isinstance(answer, dict) else {}
        return {f"{c}.{p}": v for c, props in response.items() for p, v in props.items()}


class CallbackDriver:
    """One server-side callback of ``app`` (its ``callback_map`` key), called like the renderer calls it."""

    def __init__(self, app: Dash, key: str, props: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.output_key = key
        self.outputs = _targets(key)
        self.multi = key.startswith("..")
        spec = app.callback_map[key]
        self.inputs: list[dict[str, Any]] = list(spec["inputs"])
        self.state: list[dict[str, Any]] = list(spec.get("state", []))
        props = layout_props(app) if props is None else props
        self.initial: dict[str, Any] = {
            self.prop_id(dep): props.get(str(dep["id"]), {}).get(dep["property"]) for dep in self.inputs + self.state
        }
        self.client = app.server.test_client()

    @classmethod
    def writing(cls, app: Dash, output: str) -> CallbackDriver:
        """The callback that writes ``output`` (``"component.prop"``).

        Raises:
            LookupError: no callback of the app writes it.
        """
        component, prop = output.split(".", 1)
        for key in app.callback_map:
            if any(t["id"] == component and t["property"].split("@")[0] == prop for t in _targets(key)):
                return cls(app, key)
        raise LookupError(f"no callback writes {output}")

    @classmethod
    def reading(cls, app: Dash, prop_id: str) -> list[CallbackDriver]:
        """The server-side callbacks with ``prop_id`` (``"component.prop"``) among their inputs
        (a clientside one runs in the browser only, so it is left out)."""
        props = layout_props(app)
        return [
            cls(app, key, props)
            for key, spec in app.callback_map.items()
            if spec.get("callback") is not None and any(cls.prop_id(d) == prop_id for d in spec["inputs"])
        ]

    @staticmethod
    def prop_id(dep: Mapping[str, Any]) -> str:
        return f"{dep['id']}.{dep['property']}"

    def takes(self, prop_id: str) -> bool:
        """Whether the callback reads this ``"component.prop"`` (as input or state)."""
        return prop_id in self.initial

    def viewport_ids(self) -> list[str]:
        """Inputs or state that look like a store of the screen size."""
        return [p for p in self.initial if VIEWPORT_ID.search(p.split(".", 1)[0])]

    def body(self, values: Mapping[str, Any], changed: list[str]) -> dict[str, Any]:
        """The request the renderer would send: every dependency with its value."""

        def entries(deps: list[dict[str, Any]]) -> list[Any]:
            out: list[Any] = []
            for dep in deps:
                if str(dep["id"]).startswith("{") and "ALL" in str(dep["id"]):
                    out.append([])  # a wildcard with no matching components on the page
                    continue
                pid = self.prop_id(dep)
                value = values.get(pid, self.initial.get(pid))
                entry = {"id": dep["id"], "property": dep["property"]}
                if value is not None:
                    entry["value"] = value
                out.append(entry)
            return out

        return {
            "output": self.output_key,
            "outputs": self.outputs if self.multi else self.outputs[0],
            "inputs": entries(self.inputs),
            "state": entries(self.state),
            "changedPropIds": changed,
        }

    def call(self, values: Mapping[str, Any], changed: list[str]) -> Response:
        payload = json.dumps(self.body(values, changed))
        started = time.perf_counter()
        answer = self.client.post(UPDATE_URL, data=payload, content_type="application/json")
        body = answer.get_data()
        return Response(answer.status_code, body, time.perf_counter() - started)


def figure_of(answer: Any, output: str) -> Any:
    """The figure inside a decoded callback answer, or ``None``."""
    component, prop = output.split(".", 1)
    if not isinstance(answer, dict):
        return None
    return answer.get("response", {}).get(component, {}).get(prop)


def _array_length(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict) and "bdata" in value:  # plotly's typed array: base64 of a numpy buffer
        if "shape" in value:
            shape = [int(s) for s in str(value["shape"]).split(",") if s.strip()]
            return shape[0] if shape else 0
        itemsize = int(re.sub(r"\D", "", str(value.get("dtype", "f8"))) or 8)
        itemsize = itemsize // 8 if itemsize > 8 else itemsize
        return len(base64.b64decode(value["bdata"])) // max(itemsize, 1)
    return 0


def figure_summary(figure: Any) -> dict[str, Any]:
    """Traces and marks a figure answer carries (a Patch or ``no_update`` gives what it can)."""
    if not isinstance(figure, dict) or "data" not in figure:
        return {"kind": "patch" if isinstance(figure, dict) else type(figure).__name__}
    traces = figure.get("data") or []
    points = sum(max(_array_length(t.get("x")), _array_length(t.get("y"))) for t in traces if isinstance(t, dict))
    types = sorted({str(t.get("type", "scatter")) for t in traces if isinstance(t, dict)})
    return {"kind": "figure", "traces": len(traces), "points": points, "types": types}
