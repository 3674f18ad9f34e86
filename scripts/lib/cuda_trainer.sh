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
      py=$(timeout 60 "$exe" -c 'import torch; print(torch.__version__, torch.version.cuda or "none", torch.utils.cmake_prefix_path)' 2>/dev/null) && break
    done
    if [ -z "$py" ]; then
      why+=("python3 has no torch and LIBTORCH is not set")
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

# Dies with the install line when the build's tools or headers are missing.
cuda_build_deps() {
  local pkgs=() extra=${SPRITES_EXTRA_INCLUDE:-}
  has_header() { [ -e "/usr/include/$1" ] || [ -e "/usr/local/include/$1" ] || { [ -n "$extra" ] && [ -e "$extra/$1" ]; }; }
  command -v cmake >/dev/null || pkgs+=(cmake)
  command -v c++ >/dev/null || pkgs+=(g++)
  has_header nlohmann/json.hpp || pkgs+=(nlohmann-json3-dev)
  has_header CLI/CLI.hpp || pkgs+=(libcli11-dev)
  has_header stb/stb_image_write.h || pkgs+=(libstb-dev)
  has_header openssl/sha.h || pkgs+=(libssl-dev)
  if [ ${#pkgs[@]} -gt 0 ]; then
    die "the CUDA trainer's build needs: ${pkgs[*]}. Install them with: sudo apt-get install -y ${pkgs[*]} (without package access, put the headers in a folder and set SPRITES_EXTRA_INCLUDE=DIR; see the README's GPU section)"
  fi
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
