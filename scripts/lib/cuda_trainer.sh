# Sourced by scripts/train and scripts/bench: finds a CUDA LibTorch and builds sprites-train against
# it in build/cuda, apart from the CPU build. Every refusal is one line and comes within seconds,
# before any compiling.
CUDA_BUILD="$ROOT/build/cuda"
CUDA_TRAINER="$CUDA_BUILD/native/sprites-train"

# Prints the CMake prefix of a CUDA LibTorch (LIBTORCH=DIR, else python3's torch), or dies saying why not.
cuda_torch_prefix() {
  local why=()
  command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1 || why+=("no NVIDIA GPU here (nvidia-smi finds none)")
  local prefix=""
  if [ -n "${LIBTORCH:-}" ]; then
    if [ ! -f "$LIBTORCH/share/cmake/Torch/TorchConfig.cmake" ]; then
      why+=("LIBTORCH=$LIBTORCH is not an unpacked LibTorch (no share/cmake/Torch)")
    elif ! ls "$LIBTORCH"/lib/libtorch_cuda* >/dev/null 2>&1; then
      why+=("LIBTORCH=$LIBTORCH is a CPU-only LibTorch (no lib/libtorch_cuda)")
    else
      prefix="$LIBTORCH"
    fi
  else
    local py="" exe
    for exe in python3 /usr/bin/python3; do  # a virtual environment's first, then the system's
      py=$(timeout 60 "$exe" -c 'import torch; print(torch.__version__, torch.version.cuda or ("rocm" if getattr(torch.version, "hip", None) else "none"), torch.utils.cmake_prefix_path)' 2>/dev/null) && break
    done
    if [ -z "$py" ]; then
      why+=("python3 has no torch and LIBTORCH is not set")
    elif [ "$(cut -d' ' -f2 <<<"$py")" = rocm ]; then
      why+=("python3's torch $(cut -d' ' -f1 <<<"$py") is a ROCm (AMD) build, not a CUDA one, and LIBTORCH is not set")
    elif [ "$(cut -d' ' -f2 <<<"$py")" = none ]; then
      why+=("python3's torch $(cut -d' ' -f1 <<<"$py") is CPU-only and LIBTORCH is not set")
    else
      prefix=$(cut -d' ' -f3- <<<"$py")
    fi
  fi
  if [ ${#why[@]} -gt 0 ]; then
    local msg=${why[0]} w
    for w in "${why[@]:1}"; do msg+="; $w"; done
    die "--device cuda needs an NVIDIA GPU and a CUDA LibTorch (a CUDA PyTorch, or LIBTORCH=DIR): $msg"
  fi
  printf '%s\n' "$prefix"
}

# What the trainer-only build takes from Debian: "header package" pairs.
CUDA_BUILD_HEADERS=("nlohmann/json.hpp nlohmann-json3-dev" "CLI/CLI.hpp libcli11-dev"
                    "stb/stb_image_write.h libstb-dev" "openssl/sha.h libssl-dev")

# The packages of CUDA_BUILD_HEADERS whose header is in none of /usr/include, /usr/local/include or $1.
missing_header_packages() {
  local pair
  for pair in "${CUDA_BUILD_HEADERS[@]}"; do
    local header=${pair% *}
    [ -e "/usr/include/$header" ] || [ -e "/usr/local/include/$header" ] || { [ -n "${1:-}" ] && [ -e "$1/$header" ]; } ||
      printf '%s\n' "${pair#* }"
  done
}

# Dies with the install line when the build's tools or headers are missing.
cuda_build_deps() {
  local pkgs=()
  command -v cmake >/dev/null || pkgs+=(cmake)
  command -v c++ >/dev/null || pkgs+=(g++)
  mapfile -t -O ${#pkgs[@]} pkgs < <(missing_header_packages "${SPRITES_EXTRA_INCLUDE:-}")
  if [ ${#pkgs[@]} -gt 0 ]; then
    die "the CUDA trainer's build needs: ${pkgs[*]}. Install them with: sudo apt-get install -y ${pkgs[*]} (without package access, run scripts/train --pack-build-deps DIR where they are installed and set SPRITES_EXTRA_INCLUDE=DIR/include here; see the README's GPU section)"
  fi
}

# For a GPU machine without package access: copies this machine's Debian headers of
# CUDA_BUILD_HEADERS into $1/include and its libcrypto into $1/lib, what SPRITES_EXTRA_INCLUDE=$1/include takes.
pack_build_deps() {
  local dir=$1 pkgs crypto pair folders=()
  mapfile -t pkgs < <(missing_header_packages)
  [ ${#pkgs[@]} -eq 0 ] || die "packing needs the headers installed here: sudo apt-get install -y ${pkgs[*]}"
  # awk reads to the end: leaving early would end ldconfig by SIGPIPE, which pipefail makes the script's exit.
  crypto=$(ldconfig -p | awk '$1 == "libcrypto.so.3" && !found { print $NF; found = 1 }')
  [ -n "$crypto" ] || die "packing needs libcrypto.so.3 installed here: sudo apt-get install -y libssl3"
  for pair in "${CUDA_BUILD_HEADERS[@]}"; do folders+=("/usr/include/${pair%%/*}"); done
  mkdir -p "$dir/include" "$dir/lib" || die "cannot make $dir/include and $dir/lib"
  cp -r "${folders[@]}" "$dir/include/" &&
    # Debian keeps two of openssl's headers in the multiarch folder; the carried folder has no such split.
    cp /usr/include/*-linux-gnu/openssl/*.h "$dir/include/openssl/" &&
    cp -L "$crypto" "$dir/lib/libcrypto.so.3" || die "could not copy the build's headers into $dir"
  log "packed the CUDA trainer's headers and libcrypto into $dir ($(du -sh "$dir" | cut -f1)); copy it to the GPU machine and run there: SPRITES_EXTRA_INCLUDE=$(realpath "$dir")/include scripts/train --device cuda (the folder's path there in place of this one)"
}

# Builds (or brings up to date) build/cuda's sprites-train.
build_cuda_trainer() {
  local prefix
  prefix=$(cuda_torch_prefix)
  cuda_build_deps
  local gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  [ -f "$CUDA_BUILD/CMakeCache.txt" ] && gen=()
  run_phase "configure CUDA trainer" cmake -S "$ROOT" -B "$CUDA_BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DSPRITES_TRAINER_ONLY=ON -DCMAKE_PREFIX_PATH="$prefix" ${SPRITES_EXTRA_INCLUDE:+-DSPRITES_EXTRA_INCLUDE="$SPRITES_EXTRA_INCLUDE"}
  run_phase "build CUDA trainer" cmake --build "$CUDA_BUILD" --target sprites-train -j "$JOBS"
  grep -qs 'cuda_graph_step' "$CUDA_BUILD"/build.ninja "$CUDA_BUILD"/native/CMakeFiles/sprites_train.dir/build.make ||
    log "warning: this build has no CUDA-graph step (SPRITES_CUDA_GRAPH=OFF, or no torch_cuda target in $prefix): eager steps"
}

# Carried libcrypto (see SPRITES_EXTRA_INCLUDE) must be found at run time.
cuda_trainer_env() {
  if [ -n "${SPRITES_EXTRA_INCLUDE:-}" ] && [ -d "$SPRITES_EXTRA_INCLUDE/../lib" ]; then
    export LD_LIBRARY_PATH="$SPRITES_EXTRA_INCLUDE/../lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  fi
}

# True when a GPU is visible and the CUDA trainer has been built: what --device auto uses.
cuda_trainer_ready() {
  [ -x "$CUDA_TRAINER" ] && command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1
}
