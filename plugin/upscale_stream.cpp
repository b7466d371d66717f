// vsrupscale's data path. Every input buffer goes into Engine::push(); an output comes back at once
// for single-frame and recurrent models and (N-1)/2 frames later for window:N models. Each output
// buffer takes the timestamps, flags and metas (ROI and crop scaled) of the input frame it shows.
// EOS, caps changes, discontinuities and QoS gaps drain the held frames downstream first and reset
// the model's stream (frames in = frames out); a flush drops them, as a flush means to.
#include "cuda_memory.h"
#include "frame_view.h"
#include "gstvsrupscale_private.h"

#define GST_CAT_DEFAULT gst_vsr_upscale_debug

namespace {
// How buffers are mapped: CUDA memory gives device pointers (no copy through the host).
GstMapFlags map_flags(const State& st, GstMapFlags access) {
  return static_cast<GstMapFlags>(access | (st.cuda_memory ? vsr_cuda_map_flag() : 0));
}

void post_frame_error(GstVsrUpscale* self, const State& st, const std::exception& e) {
  GST_ELEMENT_ERROR(self, STREAM, FAILED, ("vsrupscale: frame %" G_GUINT64_FORMAT " failed", st.frames), ("%s", e.what()));
}

// The parent's prepare_output_buffer: a buffer from the negotiated pool carrying `source`'s
// timestamps, flags and metas (through vsrupscale's transform_meta).
GstFlowReturn new_output_for(GstBaseTransform* trans, GstBuffer* source, GstBuffer** out) {
  auto* parent = GST_BASE_TRANSFORM_CLASS(g_type_class_peek_parent(G_OBJECT_GET_CLASS(trans)));
  *out = nullptr;
  const GstFlowReturn ret = parent->prepare_output_buffer(trans, source, out);
  if (ret == GST_FLOW_OK && *out && gst_buffer_get_size(*out) < GST_VIDEO_INFO_SIZE(&GST_VIDEO_FILTER(trans)->out_info)) {
    gst_buffer_unref(*out);
    *out = nullptr;
    return GST_FLOW_ERROR;
  }
  return ret;
}

}  // namespace

void forget_held_locked(State& st) {
  for (GstBuffer* b : st.held) gst_buffer_unref(b);
  st.held.clear();
  if (st.engine) st.engine->reset();
}

GstFlowReturn drain_locked(GstVsrUpscale* self) {
  State& st = *self->state;
  CudaContextScope scope(self);
  auto* trans = GST_BASE_TRANSFORM(self);
  GstVideoInfo* out_info = &GST_VIDEO_FILTER(self)->out_info;
  GstFlowReturn ret = GST_FLOW_OK;
  while (st.engine && !st.held.empty() && ret == GST_FLOW_OK) {
    GstBuffer* out = nullptr;
    ret = new_output_for(trans, st.held.front(), &out);
    if (ret != GST_FLOW_OK) break;
    GstVideoFrame of;
    if (!gst_video_frame_map(&of, out_info, out, map_flags(st, GST_MAP_WRITE))) {
      gst_buffer_unref(out);
      ret = GST_FLOW_ERROR;
      break;
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
      if (ret == GST_FLOW_OK) {  // the engine holds fewer frames than we have buffers for: a bug
        GST_ELEMENT_ERROR(self, STREAM, FAILED, ("vsrupscale: %zu held frames were lost", st.held.size()), (nullptr));
        ret = GST_FLOW_ERROR;
      }
      break;
    }
    gst_buffer_unref(st.held.front());
    st.held.pop_front();
    ++st.frames;
    // Pushed without the lock: downstream may block here (a sink prerolling) while the application
    // sets a property, or call back into this element from this thread.
    g_mutex_unlock(&self->lock);
    ret = gst_pad_push(GST_BASE_TRANSFORM_SRC_PAD(self), out);
    g_mutex_lock(&self->lock);
  }
  forget_held_locked(st);  // a new stream starts: a recurrent model's state returns to zero too
  st.gap = false;
  return ret;
}

GstFlowReturn vsr_upscale_submit_input_buffer(GstBaseTransform* trans, gboolean is_discont, GstBuffer* input) {
  auto* self = GST_VSR_UPSCALE(trans);
  auto* parent = GST_BASE_TRANSFORM_CLASS(g_type_class_peek_parent(G_OBJECT_GET_CLASS(trans)));
  // The parent drops late buffers here when QoS is on (and posts the QoS message).
  const GstFlowReturn ret = parent->submit_input_buffer(trans, is_discont, input);
  if (ret == GST_BASE_TRANSFORM_FLOW_DROPPED) {
    g_mutex_lock(&self->lock);
    ++self->state->qos_dropped;
    self->state->gap = true;  // the model must not blend the frames either side of the gap
    g_mutex_unlock(&self->lock);
  }
  return ret;
}

GstFlowReturn vsr_upscale_generate_output(GstBaseTransform* trans, GstBuffer** outbuf) {
  auto* self = GST_VSR_UPSCALE(trans);
  auto* filter = GST_VIDEO_FILTER(trans);
  *outbuf = nullptr;
  GstBuffer* in = trans->queued_buf;
  trans->queued_buf = nullptr;
  if (!in) return GST_FLOW_OK;
  GstFlowReturn ret = apply_pending_switch(self);
  if (ret != GST_FLOW_OK) {
    gst_buffer_unref(in);
    return ret;
  }
  if (gst_base_transform_is_passthrough(trans)) {  // scale=1: the frame goes through untouched
    *outbuf = in;
    return GST_FLOW_OK;
  }

  g_mutex_lock(&self->lock);
  State& st = *self->state;
  CudaContextScope scope(self);
  // A discontinuity or a QoS gap starts a new stream for the model: frames either side must not mix.
  if (GST_BUFFER_IS_DISCONT(in) || st.gap) ret = drain_locked(self);
  const bool holds_frames = st.engine && st.engine->info().latency_frames > 0;
  GstBuffer* carrier = in;  // what the output takes timestamps and metas from
  if (holds_frames) {
    carrier = gst_buffer_new();
    gst_buffer_copy_into(carrier, in, GST_BUFFER_COPY_METADATA, 0, static_cast<gsize>(-1));
  } else {
    gst_buffer_ref(carrier);
  }
  GstBuffer* out = nullptr;
  if (ret == GST_FLOW_OK) {
    st.held.push_back(carrier);
    carrier = nullptr;
    ret = new_output_for(trans, st.held.front(), &out);
  }
  if (carrier) gst_buffer_unref(carrier);
  if (ret == GST_FLOW_OK) {
    GstVideoFrame inf, outf;
    if (!gst_video_frame_map(&inf, &filter->in_info, in, map_flags(st, GST_MAP_READ))) {
      gst_buffer_unref(st.held.back());  // the engine never saw the frame
      st.held.pop_back();
      GST_ELEMENT_ERROR(self, STREAM, FORMAT, ("vsrupscale: input frame %" G_GUINT64_FORMAT " does not match the caps", st.frames),
                        ("the buffer holds %" G_GSIZE_FORMAT " bytes; %s %dx%d needs %" G_GSIZE_FORMAT,
                         gst_buffer_get_size(in), gst_video_format_to_string(GST_VIDEO_INFO_FORMAT(&filter->in_info)),
                         GST_VIDEO_INFO_WIDTH(&filter->in_info), GST_VIDEO_INFO_HEIGHT(&filter->in_info),
                         static_cast<gsize>(GST_VIDEO_INFO_SIZE(&filter->in_info))));
      ret = GST_FLOW_ERROR;
    } else {
      if (!gst_video_frame_map(&outf, &filter->out_info, out, map_flags(st, GST_MAP_WRITE))) {
        ret = GST_FLOW_ERROR;
      } else {
        try {
          if (!st.engine) throw vsr::Error("no model loaded");
          const bool written = st.engine->push(frame_view(&inf), frame_view(&outf));
          gst_video_frame_unmap(&outf);
          if (written) {
            gst_buffer_unref(st.held.front());
            st.held.pop_front();
            ++st.frames;
            *outbuf = out;
            out = nullptr;
          }
        } catch (const std::exception& e) {
          gst_video_frame_unmap(&outf);
          gst_buffer_unref(st.held.back());  // the engine did not take the frame
          st.held.pop_back();
          post_frame_error(self, st, e);
          ret = GST_FLOW_ERROR;
        }
      }
      gst_video_frame_unmap(&inf);
    }
  }
  if (out) gst_buffer_unref(out);  // held back (window model) or failed
  st.reported_latency_frames = st.latency_frames_locked();
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
      forget_held_locked(*self->state);
      self->state->gap = false;
      g_mutex_unlock(&self->lock);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS(g_type_class_peek_parent(G_OBJECT_GET_CLASS(self)))->sink_event(trans, event);
}

gboolean vsr_upscale_query(GstBaseTransform* trans, GstPadDirection direction, GstQuery* query) {
  auto* self = GST_VSR_UPSCALE(trans);
  if (vsr_cuda_handle_context_query(self, query)) return TRUE;  // share the CUDA context both ways
  gboolean ok = GST_BASE_TRANSFORM_CLASS(g_type_class_peek_parent(G_OBJECT_GET_CLASS(self)))->query(trans, direction, query);
  if (!ok || direction != GST_PAD_SRC || GST_QUERY_TYPE(query) != GST_QUERY_LATENCY) return ok;
  // A window:N model holds (N-1)/2 frames back: add that many frame durations to upstream's latency.
  // Never wait for the lock here: the query may come from downstream while this thread pushes a
  // frame with the lock held.
  State& st = *self->state;
  int held = st.reported_latency_frames;
  if (g_mutex_trylock(&self->lock)) {
    st.reported_latency_frames = held = st.latency_frames_locked();
    g_mutex_unlock(&self->lock);
  }
  const GstVideoInfo* info = &GST_VIDEO_FILTER(self)->in_info;
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
