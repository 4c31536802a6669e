"""What an upload may cost: rows, cells, seconds and memory, checked before and while it is read.

Placeholder wiring (filled in by the upload-budget work): :func:`read_upload` is what the
dashboard's upload callback calls.
"""

from __future__ import annotations

from timeline.dataset import Dataset, ReadOptions
from timeline.io import read_events


def read_upload(data: bytes, name: str, options: ReadOptions, max_bytes: int) -> Dataset:
    """Read and validate an uploaded file within the upload budget.

    Raises:
        ValidationError: the file breaks the schema or the budget.
    """
    return read_events(data, name, options, max_bytes=max_bytes)
