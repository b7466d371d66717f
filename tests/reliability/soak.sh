#!/usr/bin/env bash
# Soak: 10,000 frames through vsrupscale (and vsrinterpolate after it) in gst-launch, and through
# vsr-transcode, with the process's resident memory sampled from /proc every 0.2 s. After a warm-up
# (the first quarter of the samples) it may not grow by 1 MiB or more.
#   soak.sh VSR_TRANSCODE PLUGIN_DIR SCRATCH [FRAMES]
set -euo pipefail
tool=$(realpath "$1")
plugin_dir=$(realpath "$2")
scratch=$3
frames=${4:-10000}
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch"
export GST_PLUGIN_PATH=$plugin_dir GST_REGISTRY=$scratch/registry.bin
failures=0

# watch NAME COMMAND...: runs it, samples VmRSS (kB), prints the figures and checks the growth.
watch() {
  local name=$1
  shift
  "$@" > "$name.log" 2>&1 &
  local pid=$! samples=()
  while kill -0 $pid 2> /dev/null; do
    rss=$(awk '/^VmRSS/ { print $2 }' /proc/$pid/status 2> /dev/null || true)
    [[ -n $rss ]] && samples+=("$rss")
    sleep 0.2
  done
  wait $pid || { echo "FAIL: $name exited with an error: $(tail -3 "$name.log")"; failures=$((failures + 1)); return; }
  local n=${#samples[@]}
  if (( n < 8 )); then echo "FAIL: $name ran too briefly to sample ($n samples)"; failures=$((failures + 1)); return; fi
  local warm=${samples[$((n / 4))]} peak_after=0
  for (( i = n / 4; i < n; i++ )); do (( samples[i] > peak_after )) && peak_after=${samples[i]}; done
  local growth=$(( peak_after - warm ))
  echo "$name: $n samples, RSS after warm-up ${warm} kB, highest later ${peak_after} kB, growth ${growth} kB"
  if (( growth >= 1024 )); then echo "FAIL: $name grew by ${growth} kB after warm-up"; failures=$((failures + 1)); fi
}

watch gst_vsrupscale_vsrinterpolate gst-launch-1.0 -q videotestsrc num-buffers=$frames pattern=ball \
    ! video/x-raw,format=I420,width=48,height=32,framerate=100/1 ! vsrupscale threads=1 \
    ! vsrinterpolate model=blend threads=1 ! fakesink

ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=48x32:rate=100 -f lavfi -i sine -frames:v $frames -c:v libx264 \
    -preset ultrafast -g 250 -c:a aac -shortest clip.mkv
watch vsr_transcode "$tool" --threads 1 --progress none clip.mkv out.mkv -o preset=ultrafast
got=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 out.mkv)
[[ $got == "$frames" ]] || { echo "FAIL: vsr-transcode wrote $got of $frames frames"; failures=$((failures + 1)); }
exit $(( failures > 0 ))
