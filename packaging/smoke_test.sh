#!/usr/bin/env bash
# Smoke-test a built bundle: --version, a CLI round trip on a fresh workspace, and the GUI
# started offscreen until its event loop runs. Runs under `env -i` with a PATH that holds no
# Python, so a pass shows the bundle needs no Python installation.
set -euo pipefail
bin=$(realpath "${1:?usage: smoke_test.sh path/to/commander}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/home"

bare() {  # run with nothing inherited: no venv, no PYTHONPATH, no python on PATH
  env -i HOME="$tmp/home" PATH="$tmp/bin" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    COMMANDER_DATA_DIR="$tmp/workspace" COMMANDER_AUTHOR=smoke "$@"
}

if bare /bin/sh -c 'command -v python3 || command -v python' >/dev/null; then
  echo "smoke: a python is on the test PATH; the test would prove nothing" >&2
  exit 1
fi

version=$(bare "$bin" --version)
echo "smoke: --version -> $version"
[[ "$version" == commander\ * ]]

ref=$(bare "$bin" demo --json | sed -n 's/.*"ref": *"\([^"]*\)".*/\1/p')
echo "smoke: demo incident $ref created (migrations ran)"
[ -n "$ref" ]
bare "$bin" chart impact "$ref" --out "$tmp/impact.png" >/dev/null
[ -s "$tmp/impact.png" ]
echo "smoke: chart exported with matplotlib"

bare "$bin" gui --smoke-test
echo "smoke: GUI opened offscreen and quit with status 0"
env -i HOME="$tmp/home" PATH=/usr/bin:/bin "$(dirname "$0")/install-user.sh" "$(dirname "$bin")" >/dev/null
installed=$(bare "$tmp/home/.local/bin/commander" --version)
[ "$installed" = "$version" ]
launcher="$tmp/home/.local/share/applications/io.github.commander.Commander.desktop"
grep -q "^Exec=$tmp/home/.local/bin/commander gui" "$launcher"
echo "smoke: install-user.sh installed a working commander and its launcher"
echo "smoke: OK"
