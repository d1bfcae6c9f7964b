#!/usr/bin/env bash
# Install a built bundle for the current user (no root): the program in ~/.local/lib/commander,
# `commander` on PATH via ~/.local/bin, the launcher, AppStream data and icons under
# ~/.local/share. Usage: packaging/install-user.sh [dist/commander]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bundle=$(realpath "${1:-$here/../dist/commander}")
[ -x "$bundle/commander" ] || { echo "no bundle at $bundle; run packaging/build.sh" >&2; exit 1; }
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
app_id=io.github.commander.Commander

mkdir -p "$HOME/.local/lib" "$HOME/.local/bin" "$prefix/applications" "$prefix/metainfo" "$prefix/icons"
rm -rf "$HOME/.local/lib/commander"
cp -a "$bundle" "$HOME/.local/lib/commander"
ln -sf "$HOME/.local/lib/commander/commander" "$HOME/.local/bin/commander"
# The launcher runs the installed binary by its full path: ~/.local/bin may not be on PATH.
sed -e "s|^Exec=commander|Exec=$HOME/.local/bin/commander|" \
    -e "s|^TryExec=commander|TryExec=$HOME/.local/bin/commander|" \
    "$here/$app_id.desktop" > "$prefix/applications/$app_id.desktop"
cp "$here/$app_id.metainfo.xml" "$prefix/metainfo/"
cp -r "$here/../resources/icons/hicolor" "$prefix/icons/"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -qtf "$prefix/icons/hicolor" || true
echo "installed: $HOME/.local/bin/commander and the Commander launcher"
