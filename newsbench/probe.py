"""Loading one plug-in and checking its availability in a child process: ``python -m newsbench.probe``.

Discovery runs this for every third-party entry point before importing it into newsbench's own process, so
a plug-in that ends the process at import (``os._exit``, a crash in a C extension) or hangs in
``availability()`` costs only its own listing: the parent stops the child after the time limit and lists the
plug-in as unavailable, with the reason. The answer is one marked line on stdout, since a plug-in may print.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import EntryPoint

from newsbench.guard import call_plugin
from newsbench.registry import GROUP, PROBE_MARK, _load_unguarded


def main(argv: list[str]) -> int:
    name, value = argv
    try:
        entry = call_plugin(lambda: _load_unguarded(EntryPoint(name, value, GROUP)))
        answer = {"version": entry.version, "available": entry.available, "reason": entry.availability.reason}
    except Exception as exc:  # PluginExit and anything else: the plug-in's failure, said as its reason
        answer = {
            "version": None,
            "available": False,
            "reason": f"cannot load {value}: {type(exc).__name__}: {exc}",
        }
    sys.stdout.write(f"\n{PROBE_MARK}{json.dumps(answer)}\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
