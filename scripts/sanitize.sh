#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer (GCC), in a build folder of its
# own (build-asan, or $VSR_ASAN_BUILD_DIR): the engine, eval, transcoder and plugin code and their
# GoogleTest binaries, plus the fuzz replayers (fuzz/CMakeLists.txt), run by ctest. Any report fails
# its test: ASan and UBSan halt on the first error (UBSan with a stack trace), leaks included.
#   scripts/sanitize.sh            configure, build (ninja -j ${VSR_JOBS:-1}), test
# Not built: LibTorch's trainer (not ours, and too heavy), the CUDA backend, the samples.
# Not run: the shell-driven tests (cli_smoke, transcode_*, corrupt_media_suite, soak_memory, the
# pipeline and demo smokes, eval_report_in_chromium, eval_real_footage): they launch uninstrumented programs
# (gst-launch-1.0, ffmpeg, chromium) around ours, which ASan does not see into.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VSR_ASAN_BUILD_DIR:-$root/build-asan}
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

start=$(date +%s)
# -O1: ASan's own advice (usable speed, exact stack traces); -g1: line tables for the reports.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" -DCMAKE_MODULE_LINKER_FLAGS="$flags" \
  -DVSR_CUDA=OFF -DVSR_BUILD_TRAIN=OFF -DVSR_BUILD_SAMPLES=OFF -DVSR_BUILD_TESTS=ON -DVSR_BUILD_FUZZ=ON
# Set before the build too: gtest_discover_tests runs each test binary when it is linked.
# Leaks: reported for every binary. GLib, GObject and GStreamer keep one-time allocations (type
# registrations, the plugin registry, quarks) until exit on purpose; lsan.supp names only those.
# Allocation stacks are unwound in full (fast_unwind_on_malloc=0): GLib has no frame pointers, and a
# suppression can only match a function the recorded stack reaches.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=64:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp:print_suppressions=0"
# The plugin registry is scanned in the (instrumented) test process: the scanner helper GStreamer
# forks by default is not instrumented and cannot load an ASan-built libgstvsr.so. And only the
# system plugins the tests use are there to scan: loading all of them would bring in fontconfig,
# pango and the like, whose own leaks are no concern of ours (and take 25 s per test process).
export GST_REGISTRY_FORK=no
system_plugins=$(pkg-config --variable=pluginsdir gstreamer-1.0)
mkdir -p "$build/gst-system-plugins"
for p in coreelements app videotestsrc videoconvertscale videorate; do
  ln -sf "$system_plugins/libgst$p.so" "$build/gst-system-plugins/"
done
export GST_PLUGIN_SYSTEM_PATH_1_0="$build/gst-system-plugins"
# vsr-eval-video and vsr-eval-interp: eval_video_smoke and eval_interp_smoke drive them (ffmpeg only
# makes their input frames).
targets=(vsr_unit_tests vsr_fuzz_replay vsr_fuzz_png_reader_replay vsr-eval-video vsr-eval-interp)
if grep -q '^VSR_BUILD_TRANSCODE:BOOL=ON' "$build/CMakeCache.txt"; then
  targets+=(vsr_transcode_tests vsr_fuzz_media_input_replay)
fi
if grep -q '^VSR_BUILD_PLUGIN:BOOL=ON' "$build/CMakeCache.txt"; then
  targets+=(gstvsr vsr_plugin_tests vsr_fuzz_caps_replay)
fi
ninja -C "$build" -j "${VSR_JOBS:-1}" "${targets[@]}"
built=$(date +%s)

excluded='^(cli_smoke|eval_report_in_chromium|eval_real_footage|transcode_.*|corrupt_media_suite|soak_memory|demo_pipeline_smoke|pipeline_.*_smoke|sample_appsink_smoke)$'
cd "$build"
status=0
ctest --output-on-failure -j "${VSR_TEST_JOBS:-2}" --timeout 900 -E "$excluded" || status=$?
end=$(date +%s)
echo "sanitize.sh: build $((built - start)) s, tests $((end - built)) s, total $((end - start)) s, ctest status $status"
exit $status
