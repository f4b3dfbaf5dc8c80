#!/usr/bin/env bash
# Install the peers that bench/run.py compares l10n with.  Idempotent: each
# step is skipped when its tool already answers, so re-running is cheap.
#
#   po4a                Debian package (apt); needs root or sudo
#   mdpo                PyPI, in bench/.venv-mdpo
#   Translate Toolkit   PyPI translate-toolkit[markdown], in bench/.venv-tt
#   GNU time            Debian package (apt), if /usr/bin/time is missing
#
# mdpo and Translate Toolkit each install commands named md2po/po2md, so they
# live in separate virtual environments rather than one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"

say() { printf 'setup: %s\n' "$*" >&2; }

# apt_install PACKAGE: from Debian, refreshing the package lists only if needed.
apt_install() {
    local sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    say "installing $1 from Debian"
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1" \
        || { $sudo_cmd apt-get update && $sudo_cmd env DEBIAN_FRONTEND=noninteractive \
             apt-get install -y --no-install-recommends "$1"; }
}

if command -v po4a >/dev/null 2>&1; then
    say "po4a already installed ($(po4a --version 2>/dev/null | head -n1))"
else
    apt_install po4a
fi
# GNU time measures each tool's peak memory (run.py explains why not rusage).
[ -x /usr/bin/time ] || apt_install time

# make_venv DIR CHECK_COMMAND PIP_REQUIREMENT...
make_venv() {
    local dir="$1" check="$2"; shift 2
    if [ -x "$dir/bin/$check" ]; then
        say "$(basename "$dir") already has $check"
        return
    fi
    say "creating $(basename "$dir") with: $*"
    "$python" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --upgrade pip
    "$dir/bin/python" -m pip install --quiet "$@"
}

make_venv "$here/.venv-mdpo" po2md mdpo
make_venv "$here/.venv-tt" po2md 'translate-toolkit[markdown]'

say "versions:"
po4a --version 2>/dev/null | head -n1 >&2 || true
"$here/.venv-mdpo/bin/python" -m pip show mdpo 2>/dev/null | grep -i '^version' | sed 's/^/  mdpo /' >&2 || true
"$here/.venv-tt/bin/python" -m pip show translate-toolkit 2>/dev/null | grep -i '^version' | sed 's/^/  translate-toolkit /' >&2 || true
