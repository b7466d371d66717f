#!/usr/bin/env bash
# The project's GPU check, in two halves because the lent GPU machine has no oneDNN, ONNX or GTest:
#   scripts/gpu-check.sh prepare   here (Debian, no GPU): builds the CUDA tests and vsr-bench for sm_90
#                                  into out/gpu-check/ with the Debian libraries the GPU machine lacks
#                                  (oneDNN, ONNX, protobuf; ~50 MB), an ignored folder the device tool carries
#   scripts/gpu-check.sh run       on the GPU machine: every CUDA test (each kernel against its CPU
#                                  reference, the engine's CUDA backend against its CPU backend), then
#                                  vsr-bench --backend cuda beside ONNX Runtime's CUDA provider on the same
#                                  files and sizes, the interpolation models at 1080p (real time?), the
#                                  GStreamer pipelines with a pixel check, and the
#                                  trainer's half: vsr-train-device-check built there against the machine's
#                                  PyTorch (train/device_check/) and run on CUDA in fp32, fp16 and bf16, and
#                                  the PyTorch-eager peer (vsr-torch-eager-peer, the zoo's architectures);
#                                  a summary last, full logs under $OUT
# Device call (see ../shared/device/README.md):
#   run(command="scripts/gpu-check.sh run", carry=["out/gpu-check"], timeout_s=300)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stage=$root/out/gpu-check

case "${1:-}" in
  prepare)
    build=$root/build-gpu-check
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVSR_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 \
      -DVSR_BUILD_TRAIN=OFF -DVSR_BUILD_PLUGIN=ON -DVSR_BUILD_SAMPLES=OFF -DVSR_BUILD_FUZZ=OFF >/dev/null
    ninja -C "$build" vsr_cuda_tests vsr-bench vsr-eval-interp gstvsr
    rm -rf "$stage"
    mkdir -p "$stage/lib" "$stage/plugin" "$stage/debs"
    cp "$build/tests/vsr_cuda_tests" "$build/tools/vsr-bench" "$build/eval/vsr-eval-interp" "$stage/"
    cp "$build/plugin/libgstvsr.so" "$stage/plugin/"
    # The Debian libraries of our binaries that the GPU machine lacks (C runtime and CUDA are there,
    # GStreamer comes with the packages below); xz-packed: the device tool carries 64 MiB at most.
    ldd "$stage/vsr_cuda_tests" "$stage/vsr-bench" "$stage/vsr-eval-interp" "$stage/plugin/libgstvsr.so" |
      awk '/=> \// {print $3}' | sort -u |
      grep -E '/lib(dnnl|onnx|onnx_proto|protobuf|OpenCL|gomp|z|png16)\.so' | xargs -I{} cp -L {} "$stage/lib/"
    /usr/bin/python3 -c 'import lzma, pathlib, sys
for p in pathlib.Path(sys.argv[1]).glob("*.so*"):
    p.with_name(p.name + ".xz").write_bytes(lzma.compress(p.read_bytes(), preset=6)); p.unlink()' "$stage/lib"
    # GStreamer 1.22 for the GPU machine (it has none): ../shared/device/gst-runtime-debs.
    cp "${VSR_GST_DEBS:-$root/../shared/device/gst-runtime-debs}"/*.deb "$stage/debs/"
    # The ONNX and protobuf headers the trainer's half compiles against there (their libraries are
    # among those above).
    tar -C /usr/include -cJf "$stage/onnx-include.tar.xz" onnx google/protobuf
    git -C "$root" rev-parse --short HEAD >"$stage/commit"
    echo "staged in $stage ($(du -sh "$stage" | cut -f1)); carry out/gpu-check"
    ;;
  run)
    out=${OUT:-$root/out/gpu-check-results}
    mkdir -p "$out"
    [[ -x "$stage/vsr_cuda_tests" ]] || { echo "gpu-check: run 'scripts/gpu-check.sh prepare' first and carry out/gpu-check" >&2; exit 2; }
    # Unpack the libraries next to the results (the carried folder is read-only for us to keep).
    libs="$out/lib"
    mkdir -p "$libs"
    python3 -c 'import lzma, pathlib, sys
for p in pathlib.Path(sys.argv[1]).glob("*.xz"):
    (pathlib.Path(sys.argv[2]) / p.name[:-3]).write_bytes(lzma.decompress(p.read_bytes()))' "$stage/lib" "$libs"
    stage_lib=$libs
    # cuDNN comes with the machine's PyTorch wheel.
    cudnn=$(python3 -c 'import nvidia.cudnn, os; print(os.path.dirname(nvidia.cudnn.__file__))' 2>/dev/null || true)
    [[ -n "$cudnn" ]] && export LD_LIBRARY_PATH="$cudnn/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee "$out/gpu.txt" || true
    export VSR_MODEL_PATH="$root/models/zoo"
    run_ours() { LD_LIBRARY_PATH="$stage_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"; }
    status=0
    (cd "$root" && run_ours "$stage/vsr_cuda_tests" --gtest_output="json:$out/cuda_tests.json") >"$out/cuda_tests.log" 2>&1 || status=$?
    echo "== CUDA tests (commit $(cat "$stage/commit")): exit $status"
    grep -E "^\[  (PASSED|FAILED|SKIPPED) |tests ran|Failure|Expected|Which is|actual" "$out/cuda_tests.log" | head -60
    echo "== speed: vsr-bench --backend cuda (network only and I420 frame path) beside ONNX Runtime (CUDA provider)"
    bench_ours() {  # bench_ours MODEL SIZE SIZE: vsr-bench on CUDA in fp16 and fp32, a JSON file each
      local model=$1 precision
      for precision in fp16 fp32; do
        (cd "$root" && run_ours "$stage/vsr-bench" --backend cuda --precision "$precision" --model "$model" \
          --size "$2" --size "$3" --runs 20 --warmup 5 --json) >"$out/bench_$(basename "$model" .onnx)_$precision.json" \
          2>>"$out/bench.log" || echo "vsr-bench failed on $model $precision (see bench.log)"
      done
    }
    for model in models/zoo/espcn_x2.onnx tests/fixtures/srvgg_compact_like.onnx tests/fixtures/rrdb_like.onnx; do
      bench_ours "$model" 960x540 1920x1080
      (cd "$root" && python3 scripts/bench/ort_gpu_peer.py --model "$model" --size 960x540 --size 1920x1080) \
        >"$out/ort_$(basename "$model" .onnx).jsonl" 2>>"$out/bench.log" || echo "ONNX Runtime peer failed on $model"
    done
    # The shipped x2 models at 1080p and 4K output (the issue's sizes), the x4 one at 1080p and 4K output.
    bench_ours models/zoo/srvgg_x2.onnx 960x540 1920x1080
    bench_ours models/zoo/edsr_quality_x2.onnx 960x540 1920x1080
    bench_ours models/zoo/edsr_quality_x4.onnx 480x270 960x540
    echo "== interpolation at 1920x1080 on the GPU (30 -> 60 fps needs one frame in under 33.3 ms)"
    for precision in fp16 fp32; do
      (cd "$root" && run_ours "$stage/vsr-eval-interp" --model interp_ifnet_lite --model interp_ifnet_2stage \
        --speed 1920x1080 --runs 20 --backend cuda --precision "$precision" --json "$out/interp_$precision.json") \
        2>>"$out/bench.log" || echo "vsr-eval-interp failed ($precision, see bench.log)"
    done
    echo "== GStreamer: cudaupload ! vsrupscale backend=cuda ! cudadownload (zero copy) and system memory on the GPU, against the CPU"
    gst_root="$out/gst-root"
    mkdir -p "$gst_root"
    for deb in "$stage"/debs/*.deb; do dpkg-deb -x "$deb" "$gst_root"; done
    A=x86_64-linux-gnu
    gst() {
      LD_LIBRARY_PATH="$gst_root/usr/lib/$A:$gst_root/lib/$A:$stage_lib${cudnn:+:$cudnn/lib}" \
        GST_PLUGIN_SYSTEM_PATH="$gst_root/usr/lib/$A/gstreamer-1.0" \
        GST_PLUGIN_SCANNER="$gst_root/usr/lib/$A/gstreamer1.0/gstreamer-1.0/gst-plugin-scanner" \
        GST_PLUGIN_PATH="$stage/plugin" GST_REGISTRY="$out/registry.bin" PATH="$gst_root/usr/bin:$PATH" "$@"
    }
    src="videotestsrc num-buffers=20 pattern=ball ! video/x-raw,format=NV12,width=640,height=360,framerate=30/1"
    model="$root/models/zoo/espcn_x2.onnx"
    gst gst-launch-1.0 -q $src ! vsrupscale backend=cpu model="$model" ! filesink location="$out/cpu.nv12" \
      >"$out/gst_cpu.log" 2>&1 || echo "CPU pipeline failed (gst_cpu.log)"
    gst gst-launch-1.0 -q $src ! cudaupload ! vsrupscale backend=cuda precision=fp32 model="$model" ! cudadownload \
      ! video/x-raw,format=NV12 ! filesink location="$out/gpu_zero_copy.nv12" >"$out/gst_zero_copy.log" 2>&1 ||
      echo "zero-copy pipeline failed (gst_zero_copy.log)"
    gst gst-launch-1.0 -q $src ! vsrupscale backend=cuda precision=fp32 model="$model" \
      ! filesink location="$out/gpu_system.nv12" >"$out/gst_system.log" 2>&1 || echo "system-memory GPU pipeline failed (gst_system.log)"
    if python3 - "$out" <<'PY'
import os, sys
import numpy as np
out = sys.argv[1]
frame = 1280 * 720 * 3 // 2
ref = np.fromfile(os.path.join(out, "cpu.nv12"), np.uint8) if os.path.exists(os.path.join(out, "cpu.nv12")) else None
for name in ("gpu_zero_copy", "gpu_system"):
    path = os.path.join(out, name + ".nv12")
    if ref is None or not os.path.exists(path):
        print(f"{name}: no output")
        continue
    got = np.fromfile(path, np.uint8)
    diff = int(np.abs(got[:ref.size].astype(int) - ref[:got.size].astype(int)).max()) if got.size and ref.size else -1
    print(f"{name}: {got.size // frame} frames (CPU {ref.size // frame}), max |GPU - CPU| = {diff} code values")
PY
    then :; else echo "pixel comparison failed (python3 with numpy needed)"; fi
    echo "== trainer: vsr-train-device-check built against this machine's PyTorch, on CUDA (train/device_check/)"
    onnx_root="$out/onnx-root"
    mkdir -p "$onnx_root/include"
    tar -C "$onnx_root/include" -xJf "$stage/onnx-include.tar.xz"
    ln -sfn "$libs" "$onnx_root/lib"
    torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null || true)
    if [[ -z "$torch_prefix" ]]; then
      echo "no PyTorch on this machine: the trainer's half did not run"
    elif (TORCH_CUDA_ARCH_LIST=9.0 cmake -S "$root/train/device_check" -B "$out/train-build" -G Ninja -DCMAKE_PREFIX_PATH="$torch_prefix" \
            -DVSR_ONNX_ROOT="$onnx_root" -DCMAKE_CUDA_ARCHITECTURES=90 -DTORCH_CUDA_ARCH_LIST=9.0 &&
          cmake --build "$out/train-build" -j "$(nproc)") >"$out/train_build.log" 2>&1; then
      torch_libs="$libs${cudnn:+:$cudnn/lib}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"  # the trainer's half runs with these
      LD_LIBRARY_PATH="$torch_libs" "$out/train-build/vsr-train-device-check" \
        --device cuda --precision fp32 --precision fp16 --precision bf16 --steps 40 --batch 16 --patch 48 \
        --out "$out/train-device-check" 2>&1 | tee "$out/train_device_check.txt" || status=1
      echo "== PyTorch eager (LibTorch, cudnn.benchmark, fp16 channels_last / fp32) on the zoo's architectures"
      for spec in espcn:64,32:espcn_x2 srvgg:32,6:srvgg_x2 edsr:64,8:edsr_quality_x2; do
        arch=${spec%:*}
        for precision in fp16 fp32; do
          LD_LIBRARY_PATH="$torch_libs" "$out/train-build/vsr-torch-eager-peer" \
            --arch "$arch" --scale 2 --label "${spec##*:}.onnx" --size 960x540 --size 1920x1080 --device cuda \
            --precision "$precision" >>"$out/torch_${spec##*:}.jsonl" 2>>"$out/bench.log" ||
            echo "vsr-torch-eager-peer failed on $arch $precision (see bench.log)"
        done
      done
    else
      echo "the trainer's half did not build against this PyTorch (train_build.log):"
      grep -E "error|Error" "$out/train_build.log" | head -20
      status=1
    fi
    python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
print(f"{'model':28} {'input':10} {'vsr fp16 net':>13} {'vsr fp32 net':>13} {'vsr fp16 frame':>15} {'ORT CUDA net':>13} "
      f"{'torch fp16':>11} {'torch fp32':>11}")
rows = {}
for f in sorted(glob.glob(os.path.join(out, "bench_*.json"))):
    prec = f.rsplit("_", 1)[1][:-5]
    try:
        results = json.load(open(f))["results"]
    except (ValueError, KeyError):
        continue  # that run failed: bench.log says why
    for r in results:
        rows.setdefault((os.path.basename(r["model"]), r["input"]), {})[prec] = r
for f in sorted(glob.glob(os.path.join(out, "ort_*.jsonl")) + glob.glob(os.path.join(out, "torch_*.jsonl"))):
    for line in open(f):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        key = "torch_" + r["precision"] if "libtorch" in r.get("peer", "") else "ort"
        rows.setdefault((os.path.basename(r["model"]), r["input"]), {})[key] = r
fmt = lambda v: f"{v:.2f} ms" if isinstance(v, (int, float)) else "-"
for (model, size), d in sorted(rows.items()):
    g = lambda k, f: d.get(k, {}).get(f)
    print(f"{model:28} {size:10} {fmt(g('fp16', 'network_ms_median')):>13} {fmt(g('fp32', 'network_ms_median')):>13} "
          f"{fmt(g('fp16', 'frame_path_ms_median')):>15} {fmt(g('ort', 'network_ms_median')):>13} "
          f"{fmt(g('torch_fp16', 'network_ms_median')):>11} {fmt(g('torch_fp32', 'network_ms_median')):>11}")
PY
    exit $status
    ;;
  *)
    sed -n 2,9p "$0"
    exit 2
    ;;
esac
