"""Run every benchmark and print its table: ``make bench``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("core_bench.py", "export_bench.py")


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        print(f"\n== {name}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / name)])
    return failed


if __name__ == "__main__":
    sys.exit(main())
