#!/usr/bin/env bash
# The Debian packages newsdesk's set-up and tests need, installed when missing. One script,
# used by scripts/setup.sh, scripts/test.sh (so `make demo`, `make test`) and .ci/run.
#
#   scripts/system-deps.sh venv     what creating the virtual environment needs (python3-venv)
#   scripts/system-deps.sh test     what the test suite needs: a PostgreSQL server, Chromium,
#                                   and what the pdf group needs (report PDFs are tested)
#   scripts/system-deps.sh pdf      what WeasyPrint (the pdf extra) needs: Pango, HarfBuzz's
#                                   subsetter and a font
#   scripts/system-deps.sh ci       test, plus what CI's benchmarks smoke needs
#
# Installs with apt-get as root, or through `sudo -n` when that works without a password.
# Elsewhere (not Debian, no root) it says what is missing and exits 0: the tests that need it
# then skip with a reason (or fail, under CI's strict switches). Output goes to stderr.
set -euo pipefail
exec 1>&2

log() { printf 'system-deps: %s\n' "$*"; }

# WeasyPrint loads these by name (libpango-1.0.so.0, libpangoft2-1.0.so.0, libharfbuzz-subset.so.0);
# fontconfig comes with Pango. Debian 12 names.
have_library() { ldconfig -p 2>/dev/null | grep -F "$1" >/dev/null; }
pdf_missing() {
    have_library libpango-1.0.so.0 || missing+=(libpango-1.0-0)
    have_library libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
    have_library libharfbuzz-subset.so.0 || missing+=(libharfbuzz-subset0)
    [[ -d /usr/share/fonts/truetype/dejavu ]] || missing+=(fonts-dejavu-core)
}

have_postgres() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }
have_venv() {
    local probe
    probe="$(mktemp -d)"
    # ensurepip is what Debian leaves out of python3 until python3-venv is installed.
    if "${PYTHON:-python3}" -m venv "$probe/v" >/dev/null 2>&1; then rm -rf "$probe"; return 0; fi
    rm -rf "$probe"
    return 1
}

missing=()
for group in "${@:-test}"; do
    case "$group" in
        venv)
            have_venv || missing+=(python3-venv)
            ;;
        test|ci)
            have_postgres || missing+=(postgresql)
            [[ -x /usr/bin/chromium ]] || missing+=(chromium)
            # Chromium renders pages with whatever fonts exist; without any, text is invisible
            # in screenshots.
            [[ -d /usr/share/fonts/truetype/dejavu ]] || missing+=(fonts-dejavu-core)
            pdf_missing
            if [[ "$group" == ci ]]; then
                command -v wrk >/dev/null 2>&1 || missing+=(wrk)
            fi
            ;;
        pdf)
            pdf_missing
            ;;
        *)
            log "unknown group '$group' (venv, test, ci, pdf)"
            exit 2
            ;;
    esac
done

if [[ ${#missing[@]} -gt 0 ]]; then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    log "not a Debian/Ubuntu system; please install the equivalents of: ${missing[*]}"
    exit 0
fi
if [[ "$(id -u)" == 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    log "missing Debian packages: ${missing[*]}"
    log "install them with: sudo apt-get install ${missing[*]}   (tests needing them will skip)"
    exit 0
fi

log "installing ${missing[*]} (a few minutes on a fresh machine)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
log "installed ${missing[*]}"
