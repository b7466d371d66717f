#!/usr/bin/env bash
# CTest smoke test of one recipe on a CPU-only machine: the recipe script itself runs, with its live
# source replaced by videotestsrc and its display by PNG files (VSR_SOURCE / VSR_SINK), or on a small
# generated file; the frames and their size are checked.
#   pipelines/smoke.sh live-camera|rtsp-in|file-x264|gpu-nvcodec ROOT PLUGIN_DIR
set -euo pipefail
recipe=$1 root=$2 plugin_dir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VSR_BUILD_DIR=$(dirname "$plugin_dir")
export GST_REGISTRY="$work/registry.bin"
frames=10 in_w=160 in_h=120 out_size="320x240"  # espcn_x2
raw="video/x-raw,width=$in_w,height=$in_h,framerate=15/1"
png_sink="videoconvert ! pngenc compression-level=0 ! multifilesink sync=true location=$work/frames/%03d.png"

fail() { echo "FAIL: $*"; exit 1; }
# "FRAMES WxH" of a media file, decoded by GStreamer.
probe_file() {
  gst-launch-1.0 -v filesrc location="$1" ! decodebin ! fakesink silent=false 2>&1 |
    awk '/fakesink0: last-message = chain/ {n++}
         /fakesink0.GstPad:sink: caps/ && !size {match($0, /width=\(int\)[0-9]+, height=\(int\)[0-9]+/);
           size=substr($0, RSTART, RLENGTH); gsub(/[^0-9,]/, "", size); sub(/,/, "x", size)}
         END {print n + 0, size}'
}
# "FRAMES WxH" of the PNG frames the display sink wrote (the size from the first file's IHDR).
probe_frames() {
  local files=("$work"/frames/*.png)
  [[ -e "${files[0]}" ]] || { echo "0 none"; return; }
  read -r w0 w1 w2 w3 h0 h1 h2 h3 < <(od -An -tu1 -j16 -N8 "${files[0]}")
  echo "${#files[@]} $(((w0 << 24) | (w1 << 16) | (w2 << 8) | w3))x$(((h0 << 24) | (h1 << 16) | (h2 << 8) | h3))"
}
# check WHAT "FRAMES WxH" MIN MAX
check() {
  local what=$1 n size
  read -r n size <<<"$2"
  echo "$what: $n frames, $size"
  [[ "$n" -ge "$3" && "$n" -le "$4" ]] || fail "$what: $n frames, expected $3..$4"
  [[ "$size" == "$out_size" ]] || fail "$what: size $size, expected $out_size"
}
# A small H.264/MP4 input for the file recipes.
make_input() {
  gst-launch-1.0 -q videotestsrc num-buffers=$frames pattern=ball ! "$raw" ! x264enc ! mp4mux \
    ! filesink location="$work/in.mp4"
}

case "$recipe" in
  live-camera)
    # A camera's usual YUY2; the leaky queue may drop frames, so at least one must come through.
    mkdir "$work/frames"
    VSR_SOURCE="videotestsrc is-live=true num-buffers=$frames pattern=ball ! ${raw/x-raw,/x-raw,format=YUY2,}" \
      VSR_SINK="$png_sink" "$root/pipelines/live-camera.sh"
    check display "$(probe_frames)" 1 $frames
    ;;
  rtsp-in)
    # What rtspsrc hands decodebin: H.264 in RTP, from a live source.
    src="videotestsrc is-live=true num-buffers=$frames pattern=ball ! $raw ! x264enc tune=zerolatency ! rtph264pay"
    mkdir "$work/frames"
    VSR_SOURCE="$src" VSR_SINK="$png_sink" "$root/pipelines/rtsp-in.sh" rtsp://unused espcn_x2
    check display "$(probe_frames)" $frames $frames
    VSR_SOURCE="$src" "$root/pipelines/rtsp-in.sh" rtsp://unused espcn_x2 "$work/out.mp4"
    check recording "$(probe_file "$work/out.mp4")" $frames $frames
    ;;
  file-x264)
    make_input
    "$root/pipelines/file-x264.sh" "$work/in.mp4" "$work/out.mp4" espcn_x2 28
    check output "$(probe_file "$work/out.mp4")" $frames $frames
    ! "$root/pipelines/file-x264.sh" "$work/missing.mp4" "$work/bad.mp4" 2>/dev/null || fail "a missing input succeeded"
    [[ ! -e "$work/bad.mp4" && ! -e "$work/bad.mp4.partial.mp4" ]] || fail "a failed run left a file behind"
    ;;
  gpu-nvcodec)
    for e in nvh264dec nvh264enc cudaupload cudadownload; do
      gst-inspect-1.0 --exists "$e" || { echo "no nvh264dec/CUDA: skipped"; exit 77; }
    done
    make_input
    "$root/pipelines/gpu-nvcodec.sh" "$work/in.mp4" "$work/out.mp4" espcn_x2
    check output "$(probe_file "$work/out.mp4")" $frames $frames
    ;;
  *) echo "usage: $0 live-camera|rtsp-in|file-x264|gpu-nvcodec ROOT PLUGIN_DIR" >&2; exit 2 ;;
esac
echo "pipeline $recipe smoke test passed"
