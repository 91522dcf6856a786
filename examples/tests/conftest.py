import sys
from pathlib import Path

# Make the ``shopstats`` package importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
