#!/usr/bin/env bash
# Set up everything l10n needs on a fresh Debian machine; safe to run again.
#   - Debian packages: gettext (msgfmt, for tests), apertium-eng-spa (the offline
#     English->Spanish engine), chromium (browser tests of the review pages).
#   - A virtual environment in .venv with l10n and its Python dependencies.
# Needs no network but the package registries (Debian, PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(gettext apertium-eng-spa chromium chromium-driver)
missing=()
for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "bootstrap: warning: cannot install ${missing[*]} (needs apt-get as root); tests that need them will fail" >&2
    fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "bootstrap: creating .venv" >&2
    "$python" -m venv .venv
fi
# Reinstall only when the dependencies changed.
stamp=.venv/.l10n-installed
wanted=$(cat pyproject.toml scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "bootstrap: installing Python packages" >&2
    # "compat": the checkout goes on sys.path through a plain .pth line;
    # setuptools' default import hook costs every l10n command 25 ms.
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,argos]' \
        --config-settings editable_mode=compat 2>&1 | grep -v "^WARNING: Location" >&2 || true
    # The Argos engine without its declared dependencies: they pull in torch
    # through stanza (~6 GB); l10n drives the package with ctranslate2 and
    # sentencepiece (the 'argos' extra above) and needs none of them.
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps 'argostranslate>=1.9' 2>&1 | grep -v "^WARNING: Location" >&2 || true
    .venv/bin/python -c "import l10n" # fail here, not later, if the install did not work
    echo "$wanted" > "$stamp"
fi
# Byte-code for l10n itself (pip compiles only what it copies): where
# PYTHONDONTWRITEBYTECODE is set, each command would otherwise compile the
# whole package again, a third of its start-up. Stale files are ignored.
.venv/bin/python -m compileall -q l10n >/dev/null || true
