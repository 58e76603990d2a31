#!/usr/bin/env bash
# The README's first command: set up, then run the demo (it prints the site's URL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec "${VENV:-.venv}/bin/newsdesk" demo "$@"
