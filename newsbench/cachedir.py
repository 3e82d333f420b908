"""Where newsbench keeps what it can recompute: predictions, trained models, model responses.

One root for all of them, so one environment variable moves (or one folder deletes) every cache.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "NEWSBENCH_CACHE"
DEFAULT_ROOT = Path(".cache") / "newsbench"


def cache_root() -> Path:
    """``$NEWSBENCH_CACHE``, or ``.cache/newsbench`` under the working folder: the root of every cache."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_ROOT)
