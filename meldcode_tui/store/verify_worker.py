"""Worker process for ``verify``: runs the payload pass on its own connection.

    python -m meldcode_tui.store.verify_worker URI HEAD_SEQ BUSY_TIMEOUT_MS

Prints the problems found as JSON (``[[seq, message], ...]``) on stdout. Started with
``subprocess`` (not ``multiprocessing``), so it never depends on the parent's ``__main__``.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    from .journal import payload_pass_file

    uri, head_seq, timeout = argv[0], int(argv[1]), int(argv[2])
    problems = payload_pass_file(uri, head_seq, timeout)
    sys.stdout.write(json.dumps(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
