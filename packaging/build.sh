#!/usr/bin/env bash
# Build the standalone Commander bundle into dist/commander/ with PyInstaller, then smoke-test
# it with no Python on PATH. Usage: packaging/build.sh   (PYTHON=... to pick the interpreter;
# it needs the project and PyInstaller installed: pip install -e '.[package]').
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/commander.spec
# Strip debug symbols, except from the libraries auditwheel vendored into *.libs folders:
# those were rewritten by patchelf, and strip breaks them (numpy's OpenBLAS stops loading).
find dist/commander/_internal -name '*.so*' -type f -not -path '*.libs/*' \
  -exec strip --strip-unneeded {} + 2>/dev/null || true
end=$(date +%s)

echo "build: $((end - start)) s; bundle: $(du -sh dist/commander | cut -f1)" \
  "($(find dist/commander -type f | wc -l) files)"
packaging/smoke_test.sh dist/commander/commander
