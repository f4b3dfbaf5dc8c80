"""``python -m l10n``: the same as the ``l10n`` command."""

from .cli import run

run()
