"""pytest only: import these tests as `unittest discover -s grade/test` does.

grade/test/__init__.py makes pytest import these modules as the package
`test`; putting grade/test on sys.path lets them import engine_support as a
top-level module under both runners.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
