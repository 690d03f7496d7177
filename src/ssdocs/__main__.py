"""Entry point for `python -m ssdocs`."""

from ssdocs.cli import main

main()
