"""The "beyond one machine" tier: one Parquet engine table, opened by DuckDB and by Spark in
local mode through Ibis, beside the in-memory array engine on the same table.

Spark needs Java and pyspark: without them these tests skip on a laptop and fail in CI
(``CI=true``). ``make java`` installs Debian's ``default-jre-headless``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from engine_tier import (
    ACTORS,
    EVENTS,
    LOG4J,
    RENAMED,
    SEED,
    SPARK_CONF,
    TIMINGS,
    Timed,
    in_ci,
    open_ibis,
    rename_actors,
    spark_missing,
)

from timeline.engine import ArrayEngine, engine_table
from timeline.generate import generate_events
from timeline.schema import validate_events


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMINGS.calls:
        terminalreporter.write_sep("-", f"engine timings ({EVENTS:,} events, {ACTORS} actors)")
        for line in TIMINGS.table():
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A SparkSession in local mode, stopped after the module: its JVM holds about 1 GB (skipped
    without Java or pyspark; in CI, failed)."""
    missing = spark_missing()
    if missing:
        if in_ci():
            pytest.fail(missing + "; CI=true, so this is a failure, not a skip")
        pytest.skip(missing)
    from pyspark.sql import SparkSession

    scratch = tmp_path_factory.mktemp("spark")
    (scratch / "log4j2.properties").write_text(LOG4J)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # else it warns that the hostname is a loopback address
        began = time.perf_counter()
        builder = SparkSession.builder.master("local[2]").appName("timeline-tests")
        for key, value in {
            **SPARK_CONF,
            "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{scratch / 'log4j2.properties'}",
            "spark.sql.warehouse.dir": str(scratch / "warehouse"),  # not ./spark-warehouse
            "spark.local.dir": str(scratch / "local"),
        }.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        TIMINGS.events["Spark session start (cold JVM)"] = time.perf_counter() - began
        yield session
        session.stop()
        stop_jvm()


def stop_jvm() -> None:
    """End the JVM that pyspark started: ``SparkSession.stop()`` keeps it, and its memory, until
    Python exits, and the rest of the suite does not need it."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is None:
        return
    gateway.shutdown()
    if gateway.proc is not None:
        gateway.proc.stdin.close()  # the gateway JVM exits when its stdin closes
        gateway.proc.wait(timeout=60)
    SparkContext._gateway = None
    SparkContext._jvm = None


@pytest.fixture(scope="session")
def events() -> pd.DataFrame:
    """The validated events of the test table."""
    raw = generate_events(EVENTS, actors=ACTORS, seed=SEED)
    return validate_events(rename_actors(raw, RENAMED), file="generated")


@pytest.fixture(scope="session")
def table(events: pd.DataFrame) -> pa.Table:
    """The engine table, in memory: what the dashboard's engines read."""
    return engine_table(events)


@pytest.fixture(scope="session")
def parquet_file(table: pa.Table, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The engine table written to Parquet: the one file both DuckDB and Spark read."""
    path = tmp_path_factory.mktemp("engine-table") / "events.parquet"
    pq.write_table(table, path, row_group_size=16_384)  # several row groups: Spark reads them in parallel
    return path


@pytest.fixture(scope="module")
def engines(table: pa.Table, parquet_file: Path, spark: Any) -> dict[str, Timed]:
    """The three engines over the same rows: ``arrays`` (the table in memory, the production
    path), ``duckdb`` and ``spark`` (both reading ``parquet_file`` through Ibis)."""
    return {
        "arrays": Timed("arrays", ArrayEngine(table)),
        "duckdb": Timed("duckdb", open_ibis("duckdb", parquet_file)),
        "spark": Timed("spark", open_ibis("spark", parquet_file, spark)),
    }
