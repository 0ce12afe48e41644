"""pytest set-up for the XSOAR content in this directory.

`demistomock` and `CommonServerPython` are importable as on an XSOAR server: by default the
test stand-ins in Tests/demistomock and Tests/CommonServerPython; with XSOAR_MODULES_DIR set
(a directory holding demisto/content's own demistomock.py and CommonServerPython.py), those.
"""

import os
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_DIRS = (
    [Path(os.environ["XSOAR_MODULES_DIR"])]
    if os.environ.get("XSOAR_MODULES_DIR")
    else [_HERE / "Tests" / "demistomock", _HERE / "Tests" / "CommonServerPython"]
)
for _dir in reversed(_DIRS):
    if str(_dir) not in sys.path:
        sys.path.insert(0, str(_dir))
