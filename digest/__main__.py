"""``python -m digest`` runs the command line."""

from digest.cli import main

main()
