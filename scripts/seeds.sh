#!/usr/bin/env bash
# The main job on the seed sheets: set up, then extract -> update -> pretranslate -> build (Spanish).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/l10n run --locale "${1:-es}"
