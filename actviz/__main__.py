"""``python -m actviz``."""

from actviz.cli.main import main

main()
