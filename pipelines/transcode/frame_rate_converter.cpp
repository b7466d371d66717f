#include "frame_rate_converter.h"

#include "vsr/error.h"

namespace vsr::transcode {

namespace {

double seconds(int64_t ts, AVRational base) { return static_cast<double>(ts) * av_q2d(base); }

}  // namespace

FrameRateConverter::FrameRateConverter(Interpolator& interpolation, AVRational rate, AVRational source_time_base,
                                       const ColourTags& colour, double scene_threshold)
    : interpolation_(interpolation),
      rate_(rate),
      period_(av_inv_q(rate)),
      source_base_(source_time_base),
      colour_(colour),
      detector_(scene_threshold) {
  if (rate.num <= 0 || rate.den <= 0) throw Error("--fps: the frame rate must be positive");
}

FramePtr FrameRateConverter::working_copy(const AVFrame& frame) {
  const auto format = static_cast<AVPixelFormat>(frame.format);
  const AVPixelFormat working = working_format(format);
  if (working != format) return converter_.convert(frame, working, colour_);
  FramePtr copy(av_frame_clone(&frame));
  if (!copy) throw Error("out of memory holding a frame");
  return copy;
}

void FrameRateConverter::push(const AVFrame& frame, std::vector<FramePtr>& out) {
  FramePtr f = working_copy(frame);
  f->pts = frame.best_effort_timestamp;
  if (f->pts == AV_NOPTS_VALUE) throw Error("--fps needs timestamps on every frame; this stream has none");
  const bool cut = detector_.is_cut(wrap_frame(*f, colour_));
  if (!previous_) {
    // The first output time is the first at or after the first frame's (in source ticks).
    next_output_ = av_rescale_q(f->pts, source_base_, period_);
    while (tick_of(next_output_) < f->pts) ++next_output_;
    while (tick_of(next_output_ - 1) >= f->pts) --next_output_;
  } else {
    if (f->pts <= previous_->pts) throw Error("--fps: frame timestamps go backwards at " + seconds_text(f->pts, source_base_));
    emit_until(f->pts, f.get(), cut, out);
  }
  previous_ = std::move(f);
}

void FrameRateConverter::finish_before(const AVFrame& next, std::vector<FramePtr>& out) {
  if (!previous_) return;
  FramePtr f = working_copy(next);
  f->pts = next.best_effort_timestamp;
  const bool cut = detector_.is_cut(wrap_frame(*f, colour_));
  emit_until(f->pts, f.get(), cut, out);
  previous_.reset();
}

void FrameRateConverter::finish(std::vector<FramePtr>& out) {
  if (!previous_) return;
  // The last frame lasts its own duration, or one output period where the stream does not say.
  int64_t duration = previous_->pkt_duration;
  if (duration <= 0) duration = std::max<int64_t>(1, av_rescale_q(1, period_, source_base_));
  emit_until(previous_->pts + duration, nullptr, false, out);
  previous_.reset();
}

// Source timestamps are only as fine as their time base (Matroska: 1 ms): output times are placed
// among the source frames by the source tick they round to, so that a source frame falls on an
// output time when the two round to the same tick.
int64_t FrameRateConverter::tick_of(int64_t output) const { return av_rescale_q(output, period_, source_base_); }

void FrameRateConverter::emit_until(int64_t end, const AVFrame* next, bool cut, std::vector<FramePtr>& out) {
  const int64_t start = previous_->pts;
  while (tick_of(next_output_) < end) {
    FramePtr frame;
    if (tick_of(next_output_) == start || !next || cut) {
      // A source frame falls on this time; or there is nothing to interpolate towards; or the next
      // frame is another scene: repeat.
      frame.reset(av_frame_clone(previous_.get()));
      if (!frame) throw Error("out of memory repeating a frame");
      if (cut && next) ++repeated_at_cuts_;
    } else {
      const double a = seconds(start, source_base_), b = seconds(next->pts, source_base_);
      const double t = (seconds(next_output_, period_) - a) / (b - a);
      frame = make_frame();
      frame->format = previous_->format;
      frame->width = previous_->width;
      frame->height = previous_->height;
      av_check(av_frame_get_buffer(frame.get(), 0), "allocating an interpolated frame");
      av_check(av_frame_copy_props(frame.get(), previous_.get()), "copying frame properties");
      interpolation_.interpolate(wrap_frame(*previous_, colour_), wrap_frame(*next, colour_), t,
                                 wrap_frame(*frame, colour_));
      ++interpolated_;
    }
    frame->pts = frame->best_effort_timestamp = next_output_;
    frame->pkt_duration = 1;
    frame->key_frame = 0;
    frame->pict_type = AV_PICTURE_TYPE_NONE;
    out.push_back(std::move(frame));
    ++next_output_;
  }
}

}  // namespace vsr::transcode
