# Shared by scripts/*: where things live, and phase timing so every long step shows progress.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Third-party builds live outside the clone so a fresh clone (CI) reuses them.
CACHE=${SPRITES_CACHE:-$HOME/.cache/sprite-diffusion}
JOBS=${JOBS:-$(nproc)}
PHASE_LOG=${PHASE_LOG:-}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# run_phase NAME CMD...: runs CMD, prints its wall time and appends it to $PHASE_LOG.
run_phase() {
  local name=$1; shift
  local t0=$SECONDS
  log "== $name"
  "$@"
  local dt=$((SECONDS - t0))
  log "== $name done in ${dt}s"
  if [ -n "$PHASE_LOG" ]; then printf '%-28s %5ss\n' "$name" "$dt" >>"$PHASE_LOG"; fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Emscripten 3.1.6 from Debian ships a frozen, read-only cache; we use a private config and cache.
emscripten_env() {
  export EM_CONFIG="$CACHE/emscripten/config"
  export NODE_PATH=/usr/share/nodejs   # acorn for the optimizer; NodeSource node does not look there
}

# stamp_ok NAME KEY: true if step NAME already completed with inputs KEY.
stamp_ok() { [ -f "$CACHE/stamps/$1" ] && [ "$(cat "$CACHE/stamps/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$CACHE/stamps"; printf '%s' "$2" >"$CACHE/stamps/$1"; }
