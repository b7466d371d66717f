#!/usr/bin/env bash
# The corrupted-media suite: damaged versions of short clips (truncated, bit-flipped, wrong headers,
# zeroed or shuffled blocks) through vsr-transcode and through a GStreamer pipeline with vsrupscale.
# Each run is bounded in time. What may happen: a clear error (exit 1, a "vsr-transcode:" line, no
# output file), a complete output (exit 0, decodable), or a partial output marked as such (exit 3
# with --tolerate-errors: a vsr_partial tag). What must not: a crash (signal), a hang (timeout), an
# output file left behind by a failed run, an undecodable output passed off as complete.
#   corrupt_media.sh VSR_TRANSCODE PLUGIN_DIR SCRATCH [VARIANTS_PER_CLIP]
set -uo pipefail
tool=$(realpath "$1")
plugin_dir=$(realpath "$2")
scratch=$3
per_clip=${4:-34}
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch"
export GST_PLUGIN_PATH=$plugin_dir GST_REGISTRY=$scratch/registry.bin

ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=64x48:rate=10 -f lavfi -i sine -t 2 -c:v libx264 -g 5 -c:a aac \
    -shortest clip.mp4 || exit 1
ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=64x48:rate=10 -f lavfi -i sine -t 2 -c:v libx264 -g 5 -c:a flac \
    -shortest clip.mkv || exit 1
ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=64x48:rate=10 -t 2 -c:v mpeg2video -g 5 -f mpegts clip.ts || exit 1

# damage CLIP OUT KIND SEED: one damaged copy, deterministic from the seed.
damage() {
  local clip=$1 out=$2 kind=$3 seed=$4 size
  size=$(stat -c %s "$clip")
  cp "$clip" "$out"
  RANDOM=$seed
  case $kind in
    truncate) truncate -s $(( (RANDOM % 97 + 1) * size / 100 )) "$out" ;;
    flip)  # 1 to 8 random bytes replaced
      for _ in $(seq 1 $(( RANDOM % 8 + 1 ))); do
        printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$out" bs=1 seek=$(( (RANDOM * 32768 + RANDOM) % size )) conv=notrunc status=none
      done ;;
    header) head -c $(( RANDOM % 64 + 8 )) /dev/urandom | dd of="$out" bs=1 seek=$(( RANDOM % 32 )) conv=notrunc status=none ;;
    zero) dd if=/dev/zero of="$out" bs=1 count=$(( RANDOM % 4096 + 256 )) seek=$(( (RANDOM * 32768 + RANDOM) % size )) conv=notrunc status=none ;;
    swap)  # two 512-byte blocks exchanged
      local a=$(( (RANDOM * 32768 + RANDOM) % (size - 512) )) b=$(( (RANDOM * 32768 + RANDOM) % (size - 512) ))
      dd if="$clip" of="$out" bs=1 skip=$a seek=$b count=512 conv=notrunc status=none
      dd if="$clip" of="$out" bs=1 skip=$b seek=$a count=512 conv=notrunc status=none ;;
  esac
}

kinds=(truncate flip header zero swap)
total=0 errors=0 complete=0 partial=0 gst_runs=0 gst_errors=0 failures=0
report() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# gst_run FILE: the damaged file through GStreamer with vsrupscale, 60 s at most (exit 124 = hung).
# decodebin (GStreamer 1.22's decodebin2) drops an error its demuxer posts while it is still bringing
# that demuxer up (its "filtered" errors), and the pipeline then waits for preroll for ever: about 1
# run in 100 of a truncated MP4 here, with no vsr code on any thread's stack (GST_DEBUG=decodebin:6
# shows qtdemux's error reaching decodebin and not its bus). Such a hang does not repeat, so a hang
# is run again and counts only when it happens twice in a row.
gst_run() {
  timeout 60 gst-launch-1.0 -q filesrc location="$1" ! decodebin ! videoconvert ! vsrupscale threads=1 ! fakesink \
      > gst.txt 2>&1
}

for clip in clip.mp4 clip.mkv clip.ts; do
  for (( i = 0; i < per_clip; i++ )); do
    kind=${kinds[$((i % ${#kinds[@]}))]}
    ext=${clip##*.}
    bad="bad_${clip%.*}_${i}.$ext"
    damage "$clip" "$bad" "$kind" $((i * 7919 + ${#clip}))
    total=$((total + 1))
    for mode in strict tolerant; do
      out="out_${clip%.*}_${i}_$mode.mkv"
      extra=()
      [[ $mode == tolerant ]] && extra=(--tolerate-errors)
      timeout 60 "$tool" --threads 1 --progress none "$bad" "$out" --segment-seconds 0.5 "${extra[@]}" > /dev/null 2> err.txt
      status=$?
      case $status in
        0)
          probe_error=$(ffmpeg -nostdin -v error -i "$out" -f null - 2>&1 | head -1)
          frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$out" 2>/dev/null | tr -dc 0-9)
          [[ -z $probe_error && ${frames:-0} -gt 0 ]] || report "$bad ($kind, $mode): exit 0 but the output does not decode cleanly: $probe_error"
          complete=$((complete + 1)) ;;
        1)
          grep -q "^vsr-transcode: " err.txt || report "$bad ($kind, $mode): exit 1 without a message"
          [[ ! -e $out ]] || report "$bad ($kind, $mode): a failed run left $out"
          errors=$((errors + 1)) ;;
        3)
          [[ $mode == tolerant ]] || report "$bad: exit 3 without --tolerate-errors"
          tag=$(ffprobe -v error -show_entries format_tags=vsr_partial -of default=nw=1:nk=1 "$out" 2>/dev/null)
          [[ -n $tag ]] || report "$bad ($kind, $mode): partial output not marked"
          partial=$((partial + 1)) ;;
        124) report "$bad ($kind, $mode): hung (killed after 60 s)" ;;
        *) report "$bad ($kind, $mode): exit $status (crash?): $(tail -2 err.txt)" ;;
      esac
      rm -rf "$out" "$out.vsr-work"
    done
    # The same damaged file through GStreamer: an error message is fine, a crash or a hang is not.
    if (( i % 3 == 0 )); then
      gst_runs=$((gst_runs + 1))
      gst_run "$bad"
      status=$?
      (( status == 124 )) && { gst_run "$bad"; status=$?; }  # see gst_run: a hang counts when it repeats
      case $status in
        0) ;;
        1) gst_errors=$((gst_errors + 1)) ;;
        124) report "$bad ($kind) in GStreamer: hung twice" ;;
        *) report "$bad ($kind) in GStreamer: exit $status (crash?): $(tail -2 gst.txt)" ;;
      esac
    fi
  done
done
echo "corrupt_media: $total damaged files x 2 modes through vsr-transcode: $errors clear errors, $complete complete" \
     "outputs, $partial marked partial; $gst_runs through GStreamer ($gst_errors errors); $failures failures"
exit $(( failures > 0 ))
