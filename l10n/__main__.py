"""``python -m l10n``: the same as the ``l10n`` command."""

import sys

from .cli import main

sys.exit(main())
