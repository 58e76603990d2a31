#!/usr/bin/env bash
# The README's second command: set up, install what the tests need (Debian packages, when
# root or passwordless sudo allow), start a throwaway PostgreSQL, then run every check: lint,
# types, layers, and the test suite on SQLite and PostgreSQL.
#
# Tests that need research data (../shared) or Chromium skip with a reason when those are
# absent; NEWSDESK_TEST_REQUIRE_SHARED=1 / NEWSDESK_TEST_REQUIRE_BROWSER=1 (set by CI) make
# such a skip a failure, and NEWSDESK_TEST_REQUIRE_POSTGRES=1 (also set by CI) makes a PostgreSQL
# that does not start a failure instead of a skipped half.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/system-deps.sh test
BIN=${VENV:-.venv}/bin

if [ -z "${NEWSDESK_TEST_DATABASE_URL:-}" ]; then
  if NEWSDESK_TEST_DATABASE_URL=$(scripts/pg.sh start); then
    export NEWSDESK_TEST_DATABASE_URL
  elif [ "${NEWSDESK_TEST_REQUIRE_POSTGRES:-0}" = 1 ]; then
    echo "test.sh: PostgreSQL did not start (NEWSDESK_TEST_REQUIRE_POSTGRES=1); see scripts/pg.sh's log" >&2
    exit 1
  else
    echo "test.sh: no PostgreSQL server; the PostgreSQL half of the storage tests will skip" >&2
  fi
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
