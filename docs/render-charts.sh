#!/usr/bin/env bash
# Re-render the user guide's chart images (docs/user-guide.md) from the demo incident (a throwaway workspace).
set -euo pipefail
cd "$(dirname "$0")/.."
export COMMANDER_DATA_DIR="$(mktemp -d)"
trap 'rm -rf "$COMMANDER_DATA_DIR"' EXIT
commander=.venv/bin/commander
$commander demo >/dev/null
for kind in impact response flowchart; do
  $commander chart "$kind" INC --out "docs/charts/demo-$kind.png"
done
$commander incident new --title "Partner API errors" --severity P2 >/dev/null
$commander chart reports --out docs/charts/reports.png
