"""What the engine tier's conftest and tests share: the test table's shape, how engines are
opened on a Parquet file, and the timings printed after the run."""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline.engine import Engine, IbisEngine, Query, Window

EVENTS = 50_000
"""Rows of the test table: enough for the array engine to search text with DuckDB (as it does
from :data:`timeline.engine.TEXT_DUCKDB_FROM_ROWS` on), small enough for Spark on two cores."""
ACTORS = 400
SEED = 11
RENAMED = {0: "Président (Côte d’Ivoire)", 1: "Ministère de l’Intérieur (Sénégal)", 2: "Δήμαρχος (Αθήνα)"}
"""Generated names are ASCII: rename three actors (by rank of activity) so the engines also
compare non-ASCII names and curly apostrophes."""
ENGINE_NAMES = ("arrays", "duckdb", "spark")

SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.adaptive.enabled": "false",  # re-planning costs more than it saves on tables this small
    "spark.ui.showConsoleProgress": "false",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "1g",
    # Ibis fetches results with toPandas: through Arrow, not row by row through py4j.
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
}
LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c: %m%n
"""
"""The JVM's log4j2 settings: errors only (Spark's default prints warnings and INFO lines)."""


def in_ci() -> bool:
    """The rule of ``tests/conftest.py``: CI sets CI=true, and there a missing tool fails."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def spark_missing() -> str | None:
    """Why Spark cannot run here, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[test]')"
    java_home = os.environ.get("JAVA_HOME", "")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        return "Java is not installed (Debian: make java, or apt-get install default-jre-headless)"
    return None


class Timings:
    """Seconds per engine and question, printed after the run (docs/scaling.md quotes them)."""

    def __init__(self) -> None:
        self.calls: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.events: dict[str, float] = {}

    def table(self) -> list[str]:
        lines = [f"{name}: {seconds:.1f} s" for name, seconds in self.events.items()]
        lines.append(f"{'engine':8} {'question':11} {'calls':>5} {'median ms':>9} {'max ms':>8} {'total s':>7}")
        for (engine, question), seconds in sorted(self.calls.items()):
            lines.append(
                f"{engine:8} {question:11} {len(seconds):5d} {statistics.median(seconds) * 1000:9.0f} "
                f"{max(seconds) * 1000:8.0f} {sum(seconds):7.1f}"
            )
        return lines


TIMINGS = Timings()


class Timed:
    """An engine that records how long each of its answers took; otherwise the engine itself."""

    def __init__(self, name: str, engine: Engine) -> None:
        self.name = name
        self.engine = engine

    def _timed(self, question: str, *args: Any) -> Any:
        began = time.perf_counter()
        answer = getattr(self.engine, question)(*args)
        TIMINGS.calls[self.name, question].append(time.perf_counter() - began)
        return answer

    def select(self, query: Query) -> Any:
        return self.engine.select(query)  # lazy on Ibis: the work is timed in the questions

    def lane_stats(self, rows: Any) -> pd.DataFrame:
        answer: pd.DataFrame = self._timed("lane_stats", rows)
        return answer

    def count(self, rows: Any, window: Window, actors: Sequence[str] | None) -> int:
        answer: int = self._timed("count", rows, window, actors)
        return answer

    def positions(self, rows: Any, window: Window, actors: Sequence[str] | None) -> np.ndarray:
        answer: np.ndarray = self._timed("positions", rows, window, actors)
        return answer

    def bins(self, rows: Any, window: Window, shown: Sequence[str], fold: bool, width: int) -> pd.DataFrame:
        answer: pd.DataFrame = self._timed("bins", rows, window, shown, fold, width)
        return answer


def rename_actors(raw: pd.DataFrame, names: dict[int, str]) -> pd.DataFrame:
    """``raw`` with the actors of these activity ranks renamed, as actor and as target, and with
    straight apostrophes in quotes printed curly."""
    busiest = raw["actor"].value_counts().index
    mapping = {busiest[rank]: name for rank, name in names.items()}
    renamed = raw.assign(actor=raw["actor"].replace(mapping), target=raw["target"].replace(mapping))
    for column in ("title", "summary"):
        for old, new in mapping.items():
            renamed[column] = renamed[column].str.replace(old, new, regex=False)
    renamed["quote"] = renamed["quote"].str.replace("'", "\u2019", regex=False)
    return renamed


def open_ibis(kind: str, path: Path, spark: Any = None) -> IbisEngine:
    """An Ibis engine over a Parquet file: on an embedded DuckDB, or on a SparkSession."""
    import ibis

    if kind == "duckdb":
        return IbisEngine(ibis.duckdb.connect(threads=2).read_parquet(path))
    return IbisEngine(ibis.pyspark.connect(spark).read_parquet(path))
