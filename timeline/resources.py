"""Where the repository's ``data/``, ``seeds/`` and ``assets/`` folders are at run time.

They live beside the package in the repository. A wheel ships them as data files (see
``[tool.setuptools.data-files]`` in pyproject.toml), which pip installs under
``<prefix>/share/timeline/``.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import metadata
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent
"""The repository root when running from a checkout (or an editable install of one)."""

SHARE = "share/timeline"
"""Where the wheel installs the folders, relative to the install prefix."""


@cache
def resource_root() -> Path:
    """The folder that holds ``data/``, ``seeds/`` and ``assets/``.

    The source tree when running from a checkout; otherwise the installed copy, located
    from the files pip recorded for the distribution (so ``--user`` and ``--prefix``
    installs work too), falling back to ``sys.prefix``.
    """
    if (SOURCE_ROOT / "pyproject.toml").is_file() and (SOURCE_ROOT / "data").is_dir():
        return SOURCE_ROOT
    try:
        files = metadata.files("timeline") or []
    except metadata.PackageNotFoundError:
        files = []
    for file in files:
        head, found, _ = file.as_posix().partition(SHARE + "/")
        if found and (not head or head.endswith("/")):
            return Path(str(file.dist.locate_file(head + SHARE))).resolve()
    return Path(sys.prefix) / SHARE
