"""pytest set-up for the XSOAR content in this directory: the `demistomock` stand-in is importable."""

import sys
from pathlib import Path

_MOCK_DIR = Path(__file__).resolve().parent / "Tests" / "demistomock"
if str(_MOCK_DIR) not in sys.path:
    sys.path.insert(0, str(_MOCK_DIR))
