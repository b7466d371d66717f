#!/usr/bin/env bash
# valgrind memcheck over the engine's whole image path (PNG in, colour conversion, the shipped model
# through oneDNN and the reference kernels, PNG out) with vsr-upscale on a small image: no invalid
# access, no use of uninitialised values, no definite leak. (vsr-transcode cannot run under this
# valgrind: libhwy, loaded through FFmpeg's JPEG XL support, executes RDTSCP at load time, which
# valgrind 3.19 does not emulate.)
#   valgrind_engine.sh VSR_UPSCALE IMAGE SCRATCH
set -euo pipefail
command -v valgrind > /dev/null || { echo "skip: valgrind is not installed"; exit 77; }
mkdir -p "$3"
valgrind --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite -q \
    "$1" --model espcn_x2 --threads 1 "$2" "$3/out.png"
echo "valgrind clean: vsr-upscale espcn_x2 on $(basename "$2")"
