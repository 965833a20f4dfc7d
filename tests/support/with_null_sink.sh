#!/bin/sh
# Runs a command against a PulseAudio server of its own with one null sink, `mm_test`, as the default
# sink: what is played into it can be recorded from `mm_test.monitor` (parecord), and nothing reaches
# the speakers or the user's own sound server. The server lives in a throw-away runtime folder and
# home; only the process this script started is stopped.
#   with_null_sink.sh COMMAND [ARGS…]
set -eu
if ! command -v pulseaudio >/dev/null || ! command -v pactl >/dev/null; then
  echo "with_null_sink: pulseaudio or pactl is missing (packages pulseaudio, pulseaudio-utils); run packaging/setup.sh" >&2
  exit 1
fi
scratch=$(mktemp -d)
pulse_pid=
cleanup() {
  if [ -n "$pulse_pid" ]; then
    kill "$pulse_pid" 2>/dev/null || true
    wait "$pulse_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run" XDG_CONFIG_HOME="$scratch/home/.config"
export PULSE_RUNTIME_PATH="$scratch/run/pulse" PULSE_STATE_PATH="$scratch/state" PULSE_CONFIG_PATH="$scratch/config"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$PULSE_RUNTIME_PATH" "$PULSE_STATE_PATH" "$PULSE_CONFIG_PATH"
chmod 700 "$XDG_RUNTIME_DIR" "$PULSE_RUNTIME_PATH"
# No autospawned second server, whatever the client configuration says.
printf 'autospawn = no\n' >"$PULSE_CONFIG_PATH/client.conf"
export PULSE_CLIENTCONFIG="$PULSE_CONFIG_PATH/client.conf"
socket="$scratch/run/native"
# A per-user server even as root (the tests run as root in CI): --system=no, no pid file, no D-Bus,
# no real-time scheduling, no default script (-n): exactly the two modules below.
pulseaudio --daemonize=no --system=no --use-pid-file=no --exit-idle-time=-1 --disallow-exit \
  --realtime=no --high-priority=no --disable-shm=yes -n \
  --load="module-null-sink sink_name=mm_test rate=44100 channels=1 sink_properties=device.description=mm_test" \
  --load="module-native-protocol-unix socket=$socket auth-anonymous=1" \
  --log-target=file:"$scratch/pulseaudio.log" --log-level=notice &
pulse_pid=$!
export PULSE_SERVER="unix:$socket"
tries=0
until pactl info >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$pulse_pid" 2>/dev/null; then
    echo "with_null_sink: the PulseAudio server did not start:" >&2
    cat "$scratch/pulseaudio.log" >&2 || true
    exit 1
  fi
  sleep 0.1
done
pactl set-default-sink mm_test
status=0
"$@" || status=$?
exit $status
