#include "frame_rate_converter.h"

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>
#include <cstring>

#include "vsr/error.h"
#include "vsr/interpolator.h"

namespace vsr::transcode {

namespace {

// Each sample (1 or 2 bytes) of every plane: (1 - t) a + t b, rounded.
class BlendInterpolation : public FrameInterpolation {
 public:
  void interpolate(const AVFrame& a, const AVFrame& b, double t, AVFrame& out, const ColourTags&) override {
    const auto format = static_cast<AVPixelFormat>(a.format);
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
    const bool wide = d->comp[0].depth > 8;
    for (int p = 0; p < 4 && a.data[p]; ++p) {
      const int row_bytes = av_image_get_linesize(format, a.width, p);
      const bool chroma = p == 1 || p == 2;
      const int rows = chroma ? AV_CEIL_RSHIFT(a.height, d->log2_chroma_h) : a.height;
      for (int y = 0; y < rows; ++y) {
        const uint8_t* ra = a.data[p] + static_cast<ptrdiff_t>(y) * a.linesize[p];
        const uint8_t* rb = b.data[p] + static_cast<ptrdiff_t>(y) * b.linesize[p];
        uint8_t* ro = out.data[p] + static_cast<ptrdiff_t>(y) * out.linesize[p];
        if (!wide) {
          for (int x = 0; x < row_bytes; ++x) ro[x] = static_cast<uint8_t>(std::lround((1 - t) * ra[x] + t * rb[x]));
        } else {
          for (int x = 0; x < row_bytes / 2; ++x) {
            uint16_t va, vb;
            std::memcpy(&va, ra + 2 * x, 2);
            std::memcpy(&vb, rb + 2 * x, 2);
            const auto v = static_cast<uint16_t>(std::lround((1 - t) * va + t * vb));
            std::memcpy(ro + 2 * x, &v, 2);
          }
        }
      }
    }
  }
  std::string name() const override { return "blend"; }
};

class ModelInterpolation : public FrameInterpolation {
 public:
  ModelInterpolation(const std::string& model, const EngineOptions& options)
      : interpolator_(Interpolator::open(model, options)) {}
  void interpolate(const AVFrame& a, const AVFrame& b, double t, AVFrame& out, const ColourTags& colour) override {
    interpolator_->interpolate(wrap_frame(a, colour), wrap_frame(b, colour), t, wrap_frame(out, colour));
  }
  std::string name() const override { return interpolator_->info().path; }

 private:
  std::unique_ptr<Interpolator> interpolator_;
};

double seconds(int64_t ts, AVRational base) { return static_cast<double>(ts) * av_q2d(base); }

}  // namespace

std::unique_ptr<FrameInterpolation> FrameInterpolation::make(const std::string& what, const EngineOptions& options) {
  if (what == "blend") return std::make_unique<BlendInterpolation>();
  return std::make_unique<ModelInterpolation>(what, options);
}

FrameRateConverter::FrameRateConverter(FrameInterpolation& interpolation, AVRational rate, AVRational source_time_base,
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
      interpolation_.interpolate(*previous_, *next, t, *frame, colour_);
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
