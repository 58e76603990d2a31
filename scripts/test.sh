#!/usr/bin/env bash
# Runs every check the project has: lint, types, layers, then the test suite on SQLite and on
# a real PostgreSQL server (started here unless NEWSDESK_TEST_DATABASE_URL is already set).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin

if [ -z "${NEWSDESK_TEST_DATABASE_URL:-}" ]; then
  NEWSDESK_TEST_DATABASE_URL=$(scripts/pg.sh start)
  export NEWSDESK_TEST_DATABASE_URL
fi

echo "== ruff" >&2
"$BIN/ruff" check src tests benchmarks
"$BIN/ruff" format --check src tests benchmarks
echo "== mypy (strict on src/newsdesk)" >&2
"$BIN/mypy"
echo "== import layers" >&2
"$BIN/lint-imports"
echo "== pytest" >&2
exec "$BIN/pytest" -q "$@"
