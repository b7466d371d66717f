#include "frame_upscaler.h"

#include "vsr/error.h"

namespace vsr::transcode {

FrameUpscaler::FrameUpscaler(Engine& engine, const ColourTags& colour, AVPixelFormat output_format,
                             double scene_threshold)
    : engine_(engine),
      colour_(colour),
      output_format_(output_format),
      detector_(scene_threshold),
      multi_frame_(engine.info().temporal != "none") {}

FramePtr FrameUpscaler::engine_output_frame(const AVFrame& props) {
  FramePtr out = make_frame();
  out->format = engine_format_;
  out->width = width_ * engine_.info().scale;
  out->height = height_ * engine_.info().scale;
  av_check(av_frame_get_buffer(out.get(), 0), "allocating an upscaled frame");
  av_check(av_frame_copy_props(out.get(), &props), "copying frame properties");
  return out;
}

FramePtr FrameUpscaler::finish_frame(FramePtr frame) {
  frame->color_range = colour_.range;
  frame->colorspace = colour_.matrix;
  frame->color_primaries = colour_.primaries;
  frame->color_trc = colour_.transfer;
  if (engine_format_ == output_format_) return frame;
  return to_encoder_.convert(*frame, output_format_, colour_);
}

void FrameUpscaler::push(const AVFrame& decoded, std::vector<FramePtr>& ready) {
  const auto decoded_format = static_cast<AVPixelFormat>(decoded.format);
  FramePtr converted;
  const AVFrame* source = &decoded;
  const AVPixelFormat working = working_format(decoded_format);
  if (working != decoded_format) {
    converted = to_engine_.convert(decoded, working, colour_);
    source = converted.get();
  }
  if (width_ != 0 && (decoded.width != width_ || decoded.height != height_)) {
    // A stream whose size changes mid-way (allowed in H.264/MPEG-TS): restart at the new size.
    drain(ready);
  }
  width_ = decoded.width;
  height_ = decoded.height;
  engine_format_ = engine_twin(output_format_) ? output_format_ : working;

  const Frame in = wrap_frame(*source, colour_);
  if (detector_.is_cut(in)) {
    cuts_.push_back(decoded.best_effort_timestamp);
    if (multi_frame_) drain(ready);
  }

  FramePtr props = make_frame();
  av_check(av_frame_copy_props(props.get(), &decoded), "copying frame properties");
  props->pts = decoded.best_effort_timestamp;
  waiting_.push_back(std::move(props));

  FramePtr out = engine_output_frame(*waiting_.front());
  // The output (if any) shows the oldest waiting frame, whose properties engine_output_frame copied.
  if (engine_.push(in, wrap_frame(*out, colour_))) {
    waiting_.pop_front();
    ready.push_back(finish_frame(std::move(out)));
  }
}

void FrameUpscaler::drain(std::vector<FramePtr>& ready) {
  while (!waiting_.empty()) {
    FramePtr out = engine_output_frame(*waiting_.front());
    if (!engine_.drain(wrap_frame(*out, colour_)))
      throw Error("the engine held " + std::to_string(waiting_.size()) + " frame(s) it did not give back");
    waiting_.pop_front();
    ready.push_back(finish_frame(std::move(out)));
  }
  engine_.reset();
}

}  // namespace vsr::transcode
