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

const AVFrame& FrameUpscaler::engine_readable(const AVFrame& decoded, FramePtr& holder) {
  const auto format = static_cast<AVPixelFormat>(decoded.format);
  const AVPixelFormat working = working_format(format);
  if (working == format) return decoded;
  holder = to_engine_.convert(decoded, working, colour_);
  return *holder;
}

void FrameUpscaler::observe(const AVFrame& decoded) {
  FramePtr holder;
  if (detector_.is_cut(wrap_frame(engine_readable(decoded, holder), colour_)))
    cuts_.push_back(decoded.best_effort_timestamp);
}

void FrameUpscaler::push(const AVFrame& decoded, std::vector<FramePtr>& ready) {
  FramePtr holder;
  const AVFrame* source = &engine_readable(decoded, holder);
  const AVPixelFormat working = static_cast<AVPixelFormat>(source->format);
  if (width_ != 0 && (decoded.width != width_ || decoded.height != height_)) {
    // Allowed in H.264 and MPEG-TS, rare in files: one output stream cannot follow it.
    throw Error("the video changes size from " + std::to_string(width_) + "x" + std::to_string(height_) + " to " +
                std::to_string(decoded.width) + "x" + std::to_string(decoded.height) + " at frame time " +
                std::to_string(decoded.best_effort_timestamp) + "; cut the input at that point and upscale the parts");
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
