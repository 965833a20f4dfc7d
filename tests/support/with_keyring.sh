#!/bin/sh
# Runs a command against a real Secret Service of its own: call it inside `dbus-run-session --`.
# GNOME Keyring starts on this private session bus with a fresh login keyring in a throw-away home,
# unlocked with a throw-away password, so nothing touches the user's own keyring.
#   dbus-run-session -- with_keyring.sh COMMAND [ARGS…]
set -eu
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/home/.local/share" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
if ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with_keyring: gnome-keyring-daemon is missing; run packaging/setup.sh" >&2
  exit 1
fi
# --unlock reads the login keyring's password from stdin and creates the keyring with it.
eval "$(printf 'throw-away-test-keyring' | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
status=0
"$@" || status=$?
# The daemon ends with the session bus anyway; stop it now if it said its process id.
if [ -n "${GNOME_KEYRING_PID:-}" ]; then
  kill "$GNOME_KEYRING_PID" 2>/dev/null || true
fi
exit $status
