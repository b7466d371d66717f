// Fuzz entry point for vsr-transcode's demux and decode path: bytes -> MediaInput (from memory, the
// demuxer probed) -> plan_segments -> a second MediaInput seeked to the last segment's keyframe, as
// encode_segment does -> VideoDecoder over the first kMaxPackets video packets, then drained. Every
// input must end in a vsr::Error or success; the work per input is bounded so that a slow input
// shows up as a timeout only when something loops.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "media_input.h"
#include "segment_plan.h"
#include "vsr/error.h"

namespace {

constexpr int kMaxPackets = 48;
// Frames above this many pixels are refused by the decoder (its max_pixels): a 32-byte header may
// claim 16k x 16k, and decoding that under ASan is slow without finding anything.
constexpr int64_t kMaxFramePixels = 1 << 20;

vsr::transcode::InputSettings settings_for(const uint8_t* data, size_t size) {
  vsr::transcode::InputSettings s;
  s.path = "fuzz-input";
  s.data = data;
  s.size = size;
  s.options = {
      // The containers vsr-transcode is fed (and the seeds cover); the playlist demuxers (hls,
      // concat ...) would open other files named in the input.
      {"format_whitelist", "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,yuv4mpegpipe,avi"},
      {"probesize", "65536"},
      {"analyzeduration", "2000000"},
  };
  return s;
}

void decode_some(vsr::transcode::MediaInput& input, bool tolerate) {
  using namespace vsr::transcode;
  VideoDecoder decoder(input, 1, tolerate);
  decoder.context()->max_pixels = kMaxFramePixels;
  PacketPtr packet = make_packet();
  FramePtr frame = make_frame();
  int sent = 0;
  while (sent < kMaxPackets && input.read(packet.get())) {
    if (packet->stream_index == input.video_index()) {
      decoder.send(packet.get());
      ++sent;
      while (decoder.receive(frame.get())) av_frame_unref(frame.get());
    }
    av_packet_unref(packet.get());
  }
  decoder.send(nullptr);
  while (decoder.receive(frame.get())) av_frame_unref(frame.get());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vsr::transcode;
  static const bool quiet = (av_log_set_level(AV_LOG_QUIET), true);
  static const bool verbose = std::getenv("VSR_FUZZ_VERBOSE") != nullptr;
  (void)quiet;
  if (size == 0) return 0;
  const InputSettings settings = settings_for(data, size);
  // The last byte picks strict or tolerant decoding (the fuzzer can steer it; it rarely matters to the demuxer).
  const bool tolerate = (data[size - 1] & 1) != 0;
  try {
    SegmentPlan plan;
    {
      MediaInput input(settings);
      plan = plan_segments(input, 0.1);
    }
    MediaInput input(settings);
    if (plan.segments.back().start != INT64_MIN) input.seek_video(plan.segments.back().start);
    decode_some(input, tolerate);
  } catch (const vsr::Error& e) {
    // the expected way for bad bytes to end; VSR_FUZZ_VERBOSE=1 shows why (triage, seed checks)
    if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
    return 0;
  }
  if (verbose) std::fprintf(stderr, "accepted\n");
  return 0;
}
