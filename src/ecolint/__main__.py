"""``python -m ecolint``."""

from ecolint.cli.main import main

main()
