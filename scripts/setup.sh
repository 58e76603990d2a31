#!/usr/bin/env bash
# Creates .venv (Python >= 3.11) and installs newsdesk with its dev extra into it; re-installs
# only when pyproject.toml changed. Used by scripts/demo.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
export PYTHON

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "setup: newsdesk needs Python 3.11 or newer as '$PYTHON' (set PYTHON=...)" >&2
    exit 1
fi
stamp="$VENV/.installed"
if [[ -f "$stamp" && "$stamp" -nt pyproject.toml && -x "$VENV/bin/newsdesk" ]]; then
    exit 0
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    scripts/system-deps.sh venv
    if ! "$PYTHON" -m venv "$VENV"; then
        echo "setup: cannot create $VENV; on Debian/Ubuntu: sudo apt-get install python3-venv" >&2
        exit 1
    fi
fi
echo "setup: installing newsdesk and its dev tools into $VENV (about a minute)" >&2
"$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip
"$VENV/bin/pip" install -q --disable-pip-version-check -e '.[dev]'
touch "$stamp"
