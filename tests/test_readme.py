"""The README is the user's manual: what it documents must be what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from timeline.cli import main
from timeline.io import FORMATS
from timeline.schema import COLUMNS, KINDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.M | re.S)
    assert match, f"README has no section '## {title}'"
    return match.group(1)


def first_command(title: str) -> str:
    match = re.search(r"```sh\n(.+?)\n```", section(title), flags=re.S)
    assert match, f"section {title!r} has no command"
    return match.group(1).strip()


def test_the_two_commands() -> None:
    assert first_command("Run it") == "make run"
    assert first_command("Test it") == "make test"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1] == first_command("Test it"), "CI must run exactly the README's test command"


def test_makefile_has_the_documented_targets() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"`make ([\w-]+)", README):
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"make {target} is documented but missing"


def test_every_make_target_a_user_runs_is_documented() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installers = {"axe", "chromium", "java"}  # set-up steps that run and test call for you
    described = set(re.findall(r"^## ([\w-]+):", makefile, flags=re.M)) - installers
    documented = set(re.findall(r"`make ([\w-]+)", README))
    assert described - documented == set(), "make targets missing from the README"


def test_every_schema_column_is_documented_with_its_requirement() -> None:
    rows = dict(re.findall(r"^\| `(\w+)` \| (yes|no) \|", section("The data schema"), flags=re.M))
    assert rows == {c.name: "yes" if c.required else "no" for c in COLUMNS}


def test_every_kind_is_documented() -> None:
    schema = section("The data schema")
    for kind in KINDS:
        assert f"`{kind}`" in schema


def test_every_status_and_loop_rule_is_documented() -> None:
    from timeline.schema import STATUSES
    from timeline.threads import ACYCLIC, RELATIONS

    schema = section("The data schema")
    for status in STATUSES:
        assert f"`{status}`" in schema
    rules = schema.split("### Threads and claim status", 1)[1]
    ordering = re.search(r"^- (`\w+`(?:, `\w+`)* and `\w+`) point from a later event", rules, flags=re.M)
    assert ordering, "the README does not say which relations may not loop"
    assert set(re.findall(r"`(\w+)`", ordering.group(1))) == set(ACYCLIC)
    loops = {r.name for r in RELATIONS} - set(ACYCLIC)
    assert all(f"`{name}` may" in rules for name in loops)


def test_every_command_and_option_is_documented() -> None:
    cli = section("The command line")
    for name, command in main.commands.items():
        assert f"`timeline {name}" in cli, f"timeline {name} is not documented"
        for param in command.params:
            if isinstance(param, click.Option):
                long_names = [o for o in param.opts if o.startswith("--") and o != "--help"]
                for option in long_names:
                    assert f"`{option}" in cli, f"{option} of timeline {name} is not documented"


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_every_format_is_documented(extension: str) -> None:
    assert f"`{extension}`" in section("Load your own data")


def test_screenshot_exists() -> None:
    match = re.search(r"!\[[^\]]*\]\(([^)]+\.png)\)", README)
    assert match, "README shows no screenshot"
    image = ROOT / match.group(1)
    assert image.exists()
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_column_synonyms_are_documented_exactly() -> None:
    from timeline.mapping import SYNONYMS

    table = section("Load your own data").split("### Other tables: column mapping", 1)[1]
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]+) \|$", table, flags=re.M))
    documented = {column: {name.strip() for name in names.split(",")} for column, names in rows.items()}
    assert documented == {column: set(names) - {column} for column, names in SYNONYMS.items()}
