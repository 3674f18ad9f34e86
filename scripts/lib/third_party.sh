# Set-up steps for scripts/setup: Debian packages, pinned third-party sources, their builds.
# Every step is keyed by a stamp in $CACHE/stamps so a second run skips it.

APT_PACKAGES=(
  cmake ninja-build g++ clang ccache python3 xz-utils
  libtorch-dev python3-torch python3-numpy libopenblas0-pthread
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libstb-dev libcli11-dev libfmt-dev libssl-dev
  emscripten libsdl2-dev libimgui-dev
  chromium xvfb
)

# name=version of each source package, and the sha256 of its upstream tarball. XNNPACK and its
# helpers come from trixie/sid (bookworm's tarballs are gone from the mirror and its 2022 XNNPACK
# has the older operator API); imgui and SDL2 match the native -dev packages of bookworm.
SOURCES=(
  "xnnpack=0.0~git20241108.4ea82e5-2 90bde2caef0f880f627bab0dc805a86c4b8070cd98e3243db3046ab3f3be1a99"
  "pthreadpool=0.0~git20240616.560c60d-1 4cc3cbd933b28131d2a34edc54f76af9fb41bc490af5eae1a5bd3cd07ea90708"
  "cpuinfo=0.0~git20250905.877328f-1 557ca404a3836b9f335a3a06b65ff9fe9dbaaefab7fb5c0185f53d9f33615a10"
  "fp16=0.0~git20200514.4dfe081-3 7d7782b37b74136e0e12593a2a93ccbe7db831f4374cc408e44623d9b708b54e"
  "fxdiv=0.0~git20200417.b408327-3 7953482badaf4cb34026c3487c257b8e4ab2df061c019bd6fabbbc12ad52c44b"
  "imgui=1.86+ds-1 0dace0e8e57d298eb6e93af12dc19420cb96330832f6495c733b90aeeef11f64"
  "libsdl2=2.26.5+dfsg-1 b3f2c822151804125d08db94c65852f711c2e5df2145a59da120748dc32eb9c3"
)

install_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then log "all ${#APT_PACKAGES[@]} packages present"; return; fi
  log "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The demo server's packages (web/) and the browser tests' (tests/browser/), from their lock files.
install_npm_packages() {
  local dir
  for dir in "$ROOT/web" "$ROOT/tests/browser"; do
    local key; key=$(sha256sum "$dir/package-lock.json" | cut -c1-16)
    if [ -d "$dir/node_modules" ] && [ "$(cat "$dir/node_modules/.stamp" 2>/dev/null)" = "$key" ]; then
      log "${dir#"$ROOT"/}/node_modules up to date"; continue
    fi
    # Never download a browser: the tests drive Debian's /usr/bin/chromium.
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    echo "$key" >"$dir/node_modules/.stamp"
  done
}

# apt-get source through a private source list, so the machine's own sources stay untouched.
apt_src() {
  local d="$CACHE/apt"
  mkdir -p "$d/lists/partial"
  local uri
  uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm trixie sid\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" >"$d/src.sources"
  local opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$d" -o Dir::State::Lists="$d/lists"
              -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" "$@"
}

fetch_sources() {
  local key; key=$(printf '%s\n' "${SOURCES[@]}" | sha256sum | cut -c1-16)
  if stamp_ok sources "$key"; then log "sources present"; return; fi
  local tb="$CACHE/tarballs"; mkdir -p "$tb"
  local want=()
  for s in "${SOURCES[@]}"; do
    local spec=${s%% *} sum=${s##* } name=${s%%=*}
    local f; f=$(ls "$tb/${name}_"*.orig.tar.* 2>/dev/null | head -1 || true)
    if [ -z "$f" ] || ! echo "$sum  $f" | sha256sum -c --status; then want+=("$spec"); fi
  done
  if [ ${#want[@]} -gt 0 ]; then
    apt_src update -q
    # Only the .orig tarballs are needed; some .dsc/.debian files 404 on the mirror, so apt's exit
    # status is ignored and every tarball is checked by sha256 instead.
    (cd "$tb" && apt_src source --download-only "${want[@]}") || true
  fi
  rm -rf "$CACHE/src"; mkdir -p "$CACHE/src"
  for s in "${SOURCES[@]}"; do
    local sum=${s##* } name=${s%%=*}
    local f; f=$(ls "$tb/${name}_"*.orig.tar.* 2>/dev/null | head -1 || true)
    [ -n "$f" ] || die "apt-get source did not fetch $name (is deb.debian.org reachable?)"
    echo "$sum  $f" | sha256sum -c --status || die "sha256 mismatch for $f"
    mkdir -p "$CACHE/src/$name"
    tar -xf "$f" -C "$CACHE/src/$name"
    # Most tarballs hold one top folder; flatten it so paths are src/<name>/...
    local entries=("$CACHE/src/$name"/*)
    if [ ${#entries[@]} -eq 1 ] && [ -d "${entries[0]}" ]; then
      mv "${entries[0]}" "$CACHE/src/$name.tmp" && rmdir "$CACHE/src/$name" && mv "$CACHE/src/$name.tmp" "$CACHE/src/$name"
    fi
  done
  stamp_set sources "$key"
}

configure_emscripten() {
  local d="$CACHE/emscripten"
  if [ -f "$d/config" ] && [ -d "$d/cache/sysroot" ]; then log "emscripten config present"; return; fi
  rm -rf "$d"; mkdir -p "$d/tmp"
  # Written once: emscripten wipes its cache whenever the config file changes.
  { sed 's/^FROZEN_CACHE = True.*/FROZEN_CACHE = False/' /usr/share/emscripten/.emscripten
    printf "\nCACHE = '%s'\nTEMP_DIR = '%s'\n" "$d/cache" "$d/tmp"; } >"$d/config.new"
  cp -r /usr/share/emscripten/cache "$d/cache"
  chmod -R u+w "$d/cache"
  mv "$d/config.new" "$d/config"
}

# build_step NAME ARTIFACT [--files F...] -- FUNCTION ARGS...: runs FUNCTION ARGS once; later runs
# skip it while ARTIFACT exists and its cache key is unchanged. The key is derived from every
# input: the pinned sources (versions and sha256), the toolchain's package versions, FUNCTION's own
# body and ARGS (so an option or recipe change rebuilds) and the content of the listed files, never
# where the clone lies. A step whose key changed starts from an empty build folder.
build_step() {
  local name=$1 artifact=$2; shift 2
  local files=()
  if [ "${1:-}" = --files ]; then shift; while [ "$1" != -- ]; do files+=("$1"); shift; done; fi
  [ "${1:-}" = -- ] || die "build_step $name: expected -- before the command"
  shift
  local key
  key=$( { printf '%s\n' "${SOURCES[@]}"
           dpkg-query -W -f='${Package}=${Version}\n' cmake ninja-build g++ emscripten 2>/dev/null || true
           declare -f "$1"; printf '%q ' "$@"; echo
           local f; for f in "${files[@]}"; do sha256sum <"$f"; done; } | sha256sum | cut -c1-16)
  if stamp_ok "$name" "$key" && [ -e "$artifact" ]; then log "$name: up to date"; return; fi
  "$@"
  [ -e "$artifact" ] || die "$name finished without producing $artifact"
  stamp_set "$name" "$key"
}

# cmake_configure LOG CMAKE_ARGS...: configure quietly; on failure show the log's tail and stop.
cmake_configure() {
  local logf=$1; shift
  "$@" >"$logf" 2>&1 || { tail -30 "$logf"; die "configure failed: $* (log: $logf)"; }
}

XNNPACK_NATIVE_OPTIONS=(
  -DCMAKE_BUILD_TYPE=Release -DXNNPACK_BUILD_TESTS=OFF -DXNNPACK_BUILD_BENCHMARKS=OFF
  -DXNNPACK_BUILD_ALL_MICROKERNELS=OFF -DXNNPACK_ENABLE_KLEIDIAI=OFF -DXNNPACK_LIBRARY_TYPE=static
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DPython_EXECUTABLE=/usr/bin/python3
  -DCMAKE_C_COMPILER_LAUNCHER= -DCMAKE_CXX_COMPILER_LAUNCHER=
)

# pthreadpool's threads spin 1,000,000 pauses (tens of ms) waiting for work before they sleep, and
# so does a caller waiting for them. Two programs doing that on a 2-core machine (sampling beside
# training, two tests side by side) held the cores against each other: two DDIM-25 grids of 64 at
# once took 7.9-9.0 s, 2.6-2.8 s with 1,000 pauses; a grid of 16 beside training 1.0-1.4 s against
# 0.63-0.68 s; alone the same either way. The one change we make to a third-party source, on a copy.
xnnpack_native() {
  local s="$CACHE/src" b="$CACHE/native/xnnpack"; rm -rf "$b"; mkdir -p "$b"
  local spin='#define PTHREADPOOL_SPIN_WAIT_ITERATIONS'
  cp -r "$s/pthreadpool" "$b/pthreadpool-src"
  sed -i "s/^$spin 1000000\$/$spin 1000/" "$b/pthreadpool-src/src/threadpool-common.h"
  grep -qx "$spin 1000" "$b/pthreadpool-src/src/threadpool-common.h" || die "pthreadpool's spin count is not where it was"
  cmake_configure "$b.configure.log" cmake -S "$s/xnnpack" -B "$b" -G Ninja "$@" \
    -DCPUINFO_SOURCE_DIR="$s/cpuinfo" -DPTHREADPOOL_SOURCE_DIR="$b/pthreadpool-src" \
    -DFXDIV_SOURCE_DIR="$s/fxdiv" -DFP16_SOURCE_DIR="$s/fp16"
  cmake --build "$b" --target XNNPACK pthreadpool cpuinfo -j "$JOBS"
}

build_xnnpack_native() {
  build_step xnnpack-native "$CACHE/native/xnnpack/libXNNPACK.a" -- xnnpack_native "${XNNPACK_NATIVE_OPTIONS[@]}"
}

# XNNPACK has no WebAssembly branch in its CMake; our small project in scripts/cmake/wasm-xnnpack
# reads its source lists and compiles the f32 wasm SIMD build.
xnnpack_wasm() {
  local v=$1; shift
  local b="$CACHE/wasm-$v/xnnpack-build"; rm -rf "$b"; mkdir -p "$b"
  emscripten_env
  cmake_configure "$b.configure.log" emcmake cmake -S "$ROOT/scripts/cmake/wasm-xnnpack" -B "$b" -G Ninja "$@" \
    -DSRC="$CACHE/src" -DCMAKE_INSTALL_PREFIX="$CACHE/wasm-$v"
  cmake --build "$b" -j "$JOBS"
  cmake --install "$b" >/dev/null
}

# build_xnnpack_wasm st|mt
build_xnnpack_wasm() {
  local v=$1 threads=OFF
  [ "$v" = mt ] && threads=ON
  build_step "xnnpack-wasm-$v" "$CACHE/wasm-$v/lib/libxnnpack.a" --files "$ROOT/scripts/cmake/wasm-xnnpack/CMakeLists.txt" \
    -- xnnpack_wasm "$v" -DCMAKE_BUILD_TYPE=Release -DWASM_THREADS=$threads
}

# SDL2's configure runs ~300 checks at ~1.5 s per emcc call; the threaded variant reuses the
# single-thread answers except those about threads.
SDL2_WASM_OPTIONS=(
  -DCMAKE_BUILD_TYPE=Release
  -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL2_DISABLE_SDL2MAIN=ON
  -DSDL_AUDIO=OFF -DSDL_HAPTIC=OFF -DSDL_JOYSTICK=OFF -DSDL_HIDAPI=OFF -DSDL_SENSOR=OFF
  -DSDL_POWER=OFF -DSDL_LOCALE=OFF -DSDL_MISC=OFF -DSDL_FILESYSTEM=OFF -DSDL_RENDER=OFF
  -DSDL_ATOMIC=ON -DSDL_EVENTS=ON -DSDL_VIDEO=ON -DSDL_TIMERS=ON -DSDL_CPUINFO=ON -DSDL_LOADSO=OFF
)

sdl2_wasm() {
  local v=$1; shift
  local b="$CACHE/wasm-$v/sdl2-build"; rm -rf "$b"; mkdir -p "$b"
  emscripten_env
  local seed=()
  if [ "$v" = mt ] && [ -f "$CACHE/wasm-st/sdl2-build/CMakeCache.txt" ]; then
    grep -E '^(HAVE_|LIBC_|COMPILER_|HAS_)[A-Za-z0-9_]*:INTERNAL=' "$CACHE/wasm-st/sdl2-build/CMakeCache.txt" \
      | grep -viE 'THREAD|SEM|PTHREAD|ATOMIC|TLS' \
      | sed -E 's/^([A-Za-z0-9_]+):INTERNAL=(.*)$/set(\1 "\2" CACHE INTERNAL "")/' >"$b.seed.cmake" || true
    seed=(-C "$b.seed.cmake")
  fi
  emcmake cmake "${seed[@]}" -S "$CACHE/src/libsdl2" -B "$b" -G Ninja "$@" -DCMAKE_INSTALL_PREFIX="$CACHE/wasm-$v" 2>&1 \
    | tee "$b.configure.log" | grep --line-buffered -E '^-- (Performing Test|Looking for)' \
    | awk '{n++; if (n%25==0) {print "  SDL2 configure: " n " checks"; fflush()}}' || true
  [ -f "$b/build.ninja" ] || { tail -30 "$b.configure.log"; die "SDL2 wasm configure failed (log: $b.configure.log)"; }
  cmake --build "$b" -j "$JOBS"
  cmake --install "$b" >/dev/null
}

# build_sdl2_wasm st|mt
build_sdl2_wasm() {
  local v=$1 threads=(-DSDL_THREADS=OFF -DSDL_PTHREADS=OFF)
  [ "$v" = mt ] && threads=(-DSDL_THREADS=ON -DSDL_PTHREADS=ON -DCMAKE_C_FLAGS=-pthread)
  build_step "sdl2-wasm-$v" "$CACHE/wasm-$v/lib/libSDL2.a" -- sdl2_wasm "$v" "${SDL2_WASM_OPTIONS[@]}" "${threads[@]}"
}
