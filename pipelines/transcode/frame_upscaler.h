// Decoded frames in, upscaled frames out, in the encoder's format and each with the timestamps and
// properties of the source frame it shows. Converts formats the engine has no twin for, runs
// multi-frame models as a stream (their held-back frames come out later, in order) and restarts
// that stream at scene cuts so no state or window reaches across one.
#pragma once
#include <deque>
#include <vector>

#include "av_check.h"
#include "frame_converter.h"
#include "models/scene_cut.h"
#include "vsr/engine.h"

namespace vsr::transcode {

class FrameUpscaler {
 public:
  // `colour`: the source's resolved tags (the output keeps them). `output_format`: the encoder's.
  FrameUpscaler(Engine& engine, const ColourTags& colour, AVPixelFormat output_format, double scene_threshold);

  // One decoded frame; the frames ready for the encoder are appended to `ready`.
  void push(const AVFrame& decoded, std::vector<FramePtr>& ready);
  // A frame that is not upscaled (the first after a segment) but is compared with the last one, so
  // that a cut on a segment boundary is found by the segment before it.
  void observe(const AVFrame& decoded);
  // Every held-back frame, then the engine's stream starts afresh.
  void drain(std::vector<FramePtr>& ready);
  // Timestamps (source time base) of the frames that started a new scene.
  const std::vector<int64_t>& scene_cuts() const { return cuts_; }

 private:
  // `decoded` in a format the engine reads (converted when it has no twin; `holder` keeps the copy).
  const AVFrame& engine_readable(const AVFrame& decoded, FramePtr& holder);
  FramePtr engine_output_frame(const AVFrame& props);
  FramePtr finish_frame(FramePtr frame);

  Engine& engine_;
  ColourTags colour_;
  AVPixelFormat output_format_;
  AVPixelFormat engine_format_ = AV_PIX_FMT_NONE;  // what the engine writes: output_format_ or a twin
  FrameConverter to_engine_, to_encoder_;
  SceneCutDetector detector_;
  bool multi_frame_;
  std::deque<FramePtr> waiting_;  // properties of the frames pushed whose output has not come yet
  std::vector<int64_t> cuts_;
  int width_ = 0, height_ = 0;
};

}  // namespace vsr::transcode
