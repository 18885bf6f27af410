"""``python -m communique.cli``: the ``communique`` command."""

from communique.cli import main

main()
