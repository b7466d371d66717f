#!/usr/bin/env bash
# Installs the Debian packages vsr needs, and only the ones that are missing (idempotent).
# Usage: scripts/install-deps.sh [--dev]   (--dev adds the tools used to make cross-check fixtures)
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libonnx-dev libprotobuf-dev protobuf-compiler
  libdnnl-dev ocl-icd-opencl-dev
  libtorch-dev
  libgtest-dev libgmock-dev
  libpng-dev libjpeg-dev libcli11-dev nlohmann-json3-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev  # vsr-transcode
  ffmpeg  # the transcode tests generate their clips and check results with ffmpeg/ffprobe
  valgrind  # the memcheck test of the engine's image path
  chromium  # headless: the test that opens vsr-eval's HTML report
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libgstreamer-plugins-bad1.0-dev  # gst-cuda: the element's memory:CUDAMemory caps
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
)
if [[ "${1:-}" == "--dev" ]]; then
  packages+=(python3-opencv python3-numpy)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if (( ${#missing[@]} == 0 )); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
