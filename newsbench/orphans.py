"""Child processes that end when the command that started them is killed.

A worker or a forked child extracting with a plug-in that hangs would outlive a ``run`` ended by SIGKILL
(which runs no clean-up) and keep its CPU and memory for as long as the plug-in hangs; an idle worker of
``score --jobs`` or ``validate --jobs`` would wait for work forever. On Linux the kernel
can send the child a signal when its parent thread dies (``PR_SET_PDEATHSIG``); elsewhere the children end
when they next find their pipe to the parent closed.
"""

from __future__ import annotations

import ctypes
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when the thread that started it ends; True when arranged.

    Called first thing in a child. The children here are started by the thread that waits for them, so
    that thread ending means the run is over or was killed.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False
