// Frame-rate up-conversion of a decoded stream: output frames at exact multiples of 1/rate, each
// either a source frame (when one falls on that time), the frame interpolated between the two
// source frames around it, or -- across a scene cut -- the earlier frame repeated, never a morph of
// two scenes. Works on source-resolution frames, before upscaling (a quarter of the pixels at x2).
#pragma once
#include <functional>
#include <memory>
#include <vector>

#include "av_check.h"
#include "frame_converter.h"
#include "models/scene_cut.h"
#include "vsr/interpolator.h"


namespace vsr::transcode {

class FrameRateConverter {
 public:
  // Output frame p is at time p / rate; `source_time_base` is the decoded frames'.
  // `interpolation`: a model or "blend" (vsr::Interpolator).
  FrameRateConverter(Interpolator& interpolation, AVRational rate, AVRational source_time_base,
                     const ColourTags& colour, double scene_threshold);

  // The next source frame (pts in the source time base); output frames (pts in 1/rate) appended.
  void push(const AVFrame& frame, std::vector<FramePtr>& out);
  // The source frame after the last one pushed, which is not itself output (it belongs to the next
  // segment): the output frames before its time are made.
  void finish_before(const AVFrame& next, std::vector<FramePtr>& out);
  // End of stream: the last frame is repeated until its time plus its duration.
  void finish(std::vector<FramePtr>& out);
  int64_t interpolated() const { return interpolated_; }
  int64_t repeated_at_cuts() const { return repeated_at_cuts_; }

 private:
  // Output frames p with previous time <= p / rate < `end` (source time base).
  void emit_until(int64_t end, const AVFrame* next, bool cut, std::vector<FramePtr>& out);
  FramePtr working_copy(const AVFrame& frame);
  int64_t tick_of(int64_t output) const;  // output frame p's time in the source time base

  Interpolator& interpolation_;
  AVRational rate_, period_, source_base_;
  ColourTags colour_;
  FrameConverter converter_;
  SceneCutDetector detector_;
  FramePtr previous_;
  int64_t next_output_ = INT64_MIN;  // p of the next output frame (in 1/rate)
  int64_t interpolated_ = 0, repeated_at_cuts_ = 0;
};

}  // namespace vsr::transcode
