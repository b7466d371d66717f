// vsrupscale's data path. Every input buffer goes into Engine::push(); an output comes back at once
// for single-frame models and (N-1)/2 frames later for window:N models, carrying the timestamps of
// the input frame it shows. EOS, caps changes and discontinuities drain the held frames downstream
// first (frames in = frames out); a flush drops them, as a flush means to.
#include "gstvsrupscale_private.h"

#define GST_CAT_DEFAULT gst_vsr_upscale_debug

namespace {

// Frame planes as the engine sees them (no copy).
vsr::Frame frame_view(GstVideoFrame* f) {
  vsr::Frame out;
  switch (GST_VIDEO_FRAME_FORMAT(f)) {
    case GST_VIDEO_FORMAT_RGB: out.format = vsr::PixelFormat::RGB; break;
    case GST_VIDEO_FORMAT_BGR: out.format = vsr::PixelFormat::BGR; break;
    case GST_VIDEO_FORMAT_RGBA: out.format = vsr::PixelFormat::RGBA; break;
    case GST_VIDEO_FORMAT_BGRA: out.format = vsr::PixelFormat::BGRA; break;
    case GST_VIDEO_FORMAT_RGBx: out.format = vsr::PixelFormat::RGBx; break;
    case GST_VIDEO_FORMAT_BGRx: out.format = vsr::PixelFormat::BGRx; break;
    case GST_VIDEO_FORMAT_I420: out.format = vsr::PixelFormat::I420; break;
    case GST_VIDEO_FORMAT_YV12: out.format = vsr::PixelFormat::YV12; break;
    case GST_VIDEO_FORMAT_NV12: out.format = vsr::PixelFormat::NV12; break;
    case GST_VIDEO_FORMAT_Y444: out.format = vsr::PixelFormat::Y444; break;
    case GST_VIDEO_FORMAT_GRAY8: out.format = vsr::PixelFormat::GRAY8; break;
    case GST_VIDEO_FORMAT_I420_10LE: out.format = vsr::PixelFormat::I420_10LE; break;
    case GST_VIDEO_FORMAT_P010_10LE: out.format = vsr::PixelFormat::P010_10LE; break;
    default: break;  // the pad templates allow nothing else
  }
  out.width = GST_VIDEO_FRAME_WIDTH(f);
  out.height = GST_VIDEO_FRAME_HEIGHT(f);
  for (guint p = 0; p < GST_VIDEO_FRAME_N_PLANES(f) && p < 3; ++p)
    out.planes[p] = {static_cast<uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(f, p)), GST_VIDEO_FRAME_PLANE_STRIDE(f, p)};
  const GstVideoColorimetry& c = GST_VIDEO_INFO_COLORIMETRY(&f->info);
  out.matrix = c.matrix == GST_VIDEO_COLOR_MATRIX_BT601   ? vsr::ColourMatrix::Bt601
               : c.matrix == GST_VIDEO_COLOR_MATRIX_BT2020 ? vsr::ColourMatrix::Bt2020
                                                           : vsr::ColourMatrix::Bt709;
  out.full_range = c.range == GST_VIDEO_COLOR_RANGE_0_255;
  return out;
}

// Gives `out` the timestamps of the oldest held input frame (the one the engine just wrote).
void apply_oldest_timing(State& st, GstBuffer* out) {
  const BufferTiming t = st.timing.front();
  st.timing.pop_front();
  GST_BUFFER_PTS(out) = t.pts;
  GST_BUFFER_DTS(out) = t.dts;
  GST_BUFFER_DURATION(out) = t.duration;
  GST_BUFFER_OFFSET(out) = t.offset;
  GST_BUFFER_OFFSET_END(out) = t.offset_end;
}

void post_frame_error(GstVsrUpscale* self, const State& st, const std::exception& e) {
  GST_ELEMENT_ERROR(self, STREAM, FAILED, ("vsrupscale: frame %" G_GUINT64_FORMAT " failed", st.frames), ("%s", e.what()));
}

// Writes every held frame downstream (EOS, caps change, discontinuity). Call with the lock held.
GstFlowReturn drain_locked(GstVsrUpscale* self) {
  State& st = *self->state;
  if (!st.engine || st.timing.empty()) return GST_FLOW_OK;
  GstVideoInfo* out_info = &GST_VIDEO_FILTER(self)->out_info;
  GstFlowReturn ret = GST_FLOW_OK;
  while (!st.timing.empty() && ret == GST_FLOW_OK) {
    GstBuffer* out = gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(out_info), nullptr);
    GstVideoFrame of;
    if (!gst_video_frame_map(&of, out_info, out, GST_MAP_WRITE)) {
      gst_buffer_unref(out);
      return GST_FLOW_ERROR;
    }
    bool written = false;
    try {
      written = st.engine->drain(frame_view(&of));
    } catch (const std::exception& e) {
      post_frame_error(self, st, e);
      ret = GST_FLOW_ERROR;
    }
    gst_video_frame_unmap(&of);
    if (!written) {
      gst_buffer_unref(out);
      if (ret == GST_FLOW_OK) {  // the engine holds fewer frames than we have timestamps for: a bug
        GST_ELEMENT_ERROR(self, STREAM, FAILED, ("vsrupscale: %zu held frames were lost", st.timing.size()), (nullptr));
        ret = GST_FLOW_ERROR;
      }
      break;
    }
    apply_oldest_timing(st, out);
    ++st.frames;
    ret = gst_pad_push(GST_BASE_TRANSFORM_SRC_PAD(self), out);
  }
  st.engine->reset();
  st.timing.clear();
  return ret;
}

}  // namespace

GstFlowReturn vsr_upscale_generate_output(GstBaseTransform* trans, GstBuffer** outbuf) {
  auto* self = GST_VSR_UPSCALE(trans);
  auto* filter = GST_VIDEO_FILTER(trans);
  *outbuf = nullptr;
  GstBuffer* in = trans->queued_buf;
  trans->queued_buf = nullptr;
  if (!in) return GST_FLOW_OK;

  g_mutex_lock(&self->lock);
  State& st = *self->state;
  GstFlowReturn ret = GST_FLOW_OK;
  // A discontinuity starts a new stream for the model: earlier frames must not mix into later ones.
  if (GST_BUFFER_IS_DISCONT(in) && !st.timing.empty()) ret = drain_locked(self);
  GstBuffer* out = nullptr;
  if (ret == GST_FLOW_OK)
    ret = GST_BASE_TRANSFORM_CLASS(g_type_class_peek_parent(G_OBJECT_GET_CLASS(self)))
              ->prepare_output_buffer(trans, in, &out);
  if (ret == GST_FLOW_OK && out) {
    GstVideoFrame inf, outf;
    if (!gst_video_frame_map(&inf, &filter->in_info, in, GST_MAP_READ)) {
      ret = GST_FLOW_ERROR;
    } else {
      if (!gst_video_frame_map(&outf, &filter->out_info, out, GST_MAP_WRITE)) {
        ret = GST_FLOW_ERROR;
      } else {
        try {
          if (!st.engine) throw vsr::Error("no model loaded");
          st.timing.push_back({GST_BUFFER_PTS(in), GST_BUFFER_DTS(in), GST_BUFFER_DURATION(in), GST_BUFFER_OFFSET(in),
                               GST_BUFFER_OFFSET_END(in)});
          const bool written = st.engine->push(frame_view(&inf), frame_view(&outf));
          gst_video_frame_unmap(&outf);
          if (written) {
            apply_oldest_timing(st, out);
            ++st.frames;
            *outbuf = out;
            out = nullptr;
          }
        } catch (const std::exception& e) {
          gst_video_frame_unmap(&outf);
          post_frame_error(self, st, e);
          ret = GST_FLOW_ERROR;
        }
      }
      gst_video_frame_unmap(&inf);
    }
  }
  if (out) gst_buffer_unref(out);  // held back (window model) or failed
  g_mutex_unlock(&self->lock);
  gst_buffer_unref(in);
  return ret;
}

gboolean vsr_upscale_sink_event(GstBaseTransform* trans, GstEvent* event) {
  auto* self = GST_VSR_UPSCALE(trans);
  switch (GST_EVENT_TYPE(event)) {
    case GST_EVENT_EOS:
    case GST_EVENT_CAPS:  // held frames go out at the old size before the new caps apply
    case GST_EVENT_STREAM_START:
      g_mutex_lock(&self->lock);
      drain_locked(self);
      g_mutex_unlock(&self->lock);
      break;
    case GST_EVENT_FLUSH_STOP:
      g_mutex_lock(&self->lock);
      self->state->timing.clear();
      if (self->state->engine) self->state->engine->reset();
      g_mutex_unlock(&self->lock);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS(g_type_class_peek_parent(G_OBJECT_GET_CLASS(self)))->sink_event(trans, event);
}

gboolean vsr_upscale_query(GstBaseTransform* trans, GstPadDirection direction, GstQuery* query) {
  auto* self = GST_VSR_UPSCALE(trans);
  gboolean ok = GST_BASE_TRANSFORM_CLASS(g_type_class_peek_parent(G_OBJECT_GET_CLASS(self)))->query(trans, direction, query);
  if (!ok || direction != GST_PAD_SRC || GST_QUERY_TYPE(query) != GST_QUERY_LATENCY) return ok;
  // A window:N model holds (N-1)/2 frames back: add that many frame durations to upstream's latency.
  g_mutex_lock(&self->lock);
  const int held = self->state->engine ? self->state->engine->info().latency_frames : 0;
  const GstVideoInfo* info = &GST_VIDEO_FILTER(self)->in_info;
  g_mutex_unlock(&self->lock);
  if (held == 0 || GST_VIDEO_INFO_FPS_N(info) <= 0) return ok;
  gboolean live;
  GstClockTime min, max;
  gst_query_parse_latency(query, &live, &min, &max);
  const GstClockTime extra = gst_util_uint64_scale(held * GST_SECOND, GST_VIDEO_INFO_FPS_D(info), GST_VIDEO_INFO_FPS_N(info));
  min += extra;
  if (GST_CLOCK_TIME_IS_VALID(max)) max += extra;
  gst_query_set_latency(query, live, min, max);
  return ok;
}
