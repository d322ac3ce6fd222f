#!/usr/bin/env bash
# Installs what `make demo` (`setup-deps.sh demo`), `make demo-cloud` (`setup-deps.sh demo-cloud`)
# or `make test` (`setup-deps.sh test`) needs and is missing, beyond the Swift toolchain, make,
# git and python3:
# - Debian packages: with apt-get when running as root; otherwise prints the one command to run
#   and exits 2.
# - for `test` and `demo-cloud` (moto, the aws CLI and blake3 are among them), the Python tools
#   of scripts/test-requirements.txt, in the project-local virtualenv .venv/ (git-ignored; `make
#   test` puts .venv/bin first on PATH, `slipway demo --cloud` looks there). pip runs only when the
#   requirements changed since the last install or the environment is gone.
# With everything present it only checks, in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

goal=${1:-test}
case "$goal" in
demo) what="building slipway" ;;
demo-cloud) what="make demo-cloud" ;;
test) what="make test" ;;
*) echo "usage: $0 demo|demo-cloud|test" >&2; exit 2 ;;
esac

missing=()
need_header() { # need_header PACKAGE HEADER...
    local package=$1 header
    shift
    for header in "$@"; do [ -f "$header" ] && return 0; done
    missing+=("$package")
}
need_command() { # need_command PACKAGE COMMAND
    command -v "$2" >/dev/null 2>&1 || missing+=("$1")
}

need_header libncurses-dev /usr/include/ncursesw/curses.h /usr/include/ncurses.h
need_header libsqlite3-dev /usr/include/sqlite3.h
if [ "$goal" = test ]; then
    need_command tmux tmux
    need_command gcc gcc
    need_command lcov lcov
    need_command gcovr gcovr
    # HostLabTests make network namespaces with ip (in /usr/sbin, which a user's PATH may lack).
    command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
    # The migration tests start throwaway PostgreSQL clusters with initdb and pg_ctl.
    if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        missing+=(postgresql)
    fi
fi

requirements=scripts/test-requirements.txt
stamp=.venv/installed-requirements.txt
venv_ready() { [ -x .venv/bin/python3 ] && .venv/bin/python3 -c '' 2>/dev/null; }
python_tools=present new_venv=no
if [ "$goal" != demo ] && ! { venv_ready && cmp -s "$requirements" "$stamp"; }; then
    python_tools=missing
    venv_ready && .venv/bin/python3 -m pip --version >/dev/null 2>&1 || new_venv=yes
    # A new virtualenv needs ensurepip, which Debian ships apart from python3.
    [ "$new_venv" = no ] || python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "$what: installing ${missing[*]} with apt-get" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "$what needs Debian packages that are missing: run 'sudo apt-get install -y ${missing[*]}', then make again" >&2
        exit 2
    fi
fi

[ "$goal" != demo ] || exit 0

[ "$python_tools" = present ] && exit 0
echo "$what: installing the Python test tools of $requirements into .venv/" >&2
if [ "$new_venv" = yes ]; then
    rm -rf .venv
    python3 -m venv .venv
fi
.venv/bin/python3 -m pip install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
