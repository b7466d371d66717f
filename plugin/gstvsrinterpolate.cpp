/**
 * SECTION:element-vsrinterpolate
 *
 * Raises the frame rate of raw video (2x by default, or any rate at or above the input's) with a
 * vsr frame-interpolation model: each output frame is either an input frame (where one falls on its
 * time), the frame the model makes between the two input frames around it, or, across a scene cut,
 * the earlier frame repeated, never a morph of two scenes.
 *
 * Output timestamps lie on the exact grid of the output rate from the first frame of the segment
 * (frame p at first + p / rate, computed in integers), each lasting until the next. One input frame
 * is held to know the next one: the latency query reports it. EOS repeats the last frame until its
 * own end; flushes and stream starts begin a new grid.
 *
 * The model runs where the backend, device-id and precision properties say (as vsrupscale's); frames
 * stay in system memory. The model and those properties are read when caps are set.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 filesrc location=in.mp4 ! decodebin ! videoconvert ! vsrupscale ! vsrinterpolate ! videoconvert ! x264enc ! mp4mux ! filesink location=out.mp4
 * gst-launch-1.0 videotestsrc ! video/x-raw,framerate=24/1 ! vsrinterpolate framerate=60/1 ! autovideosink
 * ]|
 */
#include "gstvsrinterpolate.h"

#include <gst/video/video.h>

#include <deque>
#include <memory>
#include <string>

#include "backend_properties.h"
#include "frame_view.h"
#include "rate_caps.h"
#include "models/scene_cut.h"
#include "vsr/interpolator.h"
#include "vsr/model_zoo.h"

GST_DEBUG_CATEGORY_STATIC(gst_vsr_interpolate_debug);
#define GST_CAT_DEFAULT gst_vsr_interpolate_debug

namespace {

// What the streaming thread works with (behind the element's lock).
struct Stream {
  std::unique_ptr<vsr::Interpolator> interpolator;
  std::string loaded;                // the model and engine options `interpolator` was opened with
  GstVideoInfo info;                 // both pads: only the frame rate differs
  gint out_n = 0, out_d = 1;         // the output rate
  gint in_n = 0, in_d = 1;           // the input rate (0/1: variable)
  bool passthrough = false;
  GstBuffer* previous = nullptr;     // the last input frame, held until the next one comes
  GstClockTime origin = GST_CLOCK_TIME_NONE;  // time of output frame 0 (the segment's first frame)
  guint64 next = 0;                  // index of the next output frame
  vsr::SceneCutDetector detector;
  std::deque<GstBuffer*> ready;      // made, waiting for generate_output
  guint64 interpolated = 0, repeated_at_cuts = 0;

  GstClockTime time_of(guint64 p) const {
    return origin + gst_util_uint64_scale(p, static_cast<guint64>(out_d) * GST_SECOND, static_cast<guint64>(out_n));
  }
  void clear() {
    if (previous) gst_buffer_unref(previous);
    previous = nullptr;
    for (GstBuffer* b : ready) gst_buffer_unref(b);
    ready.clear();
    origin = GST_CLOCK_TIME_NONE;
    next = 0;
    detector.reset();
  }
};

}  // namespace

struct _GstVsrInterpolate {
  GstBaseTransform parent;
  GMutex lock;
  std::string* model;            // property "model"
  gint rate_n, rate_d;           // property "framerate" (0/1 = twice the input's)
  gdouble scene_threshold;
  gint threads;
  gint ensemble;                 // property "ensemble": passes per made frame (1, 2 or 4)
  Backend backend;               // properties "backend", "device-id", "precision"
  gint device_id;
  Precision precision;
  Stream* stream;
};

G_DEFINE_TYPE(GstVsrInterpolate, gst_vsr_interpolate, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE(vsrinterpolate, "vsrinterpolate", GST_RANK_NONE, GST_TYPE_VSR_INTERPOLATE);

enum {
  PROP_0,
  PROP_MODEL,
  PROP_FRAMERATE,
  PROP_SCENE_THRESHOLD,
  PROP_THREADS,
  PROP_ENSEMBLE,
  PROP_BACKEND,
  PROP_DEVICE_ID,
  PROP_PRECISION
};

#define VSR_INTERPOLATE_CAPS \
  GST_VIDEO_CAPS_MAKE("{ RGB, BGR, RGBA, BGRA, RGBx, BGRx, I420, YV12, NV12, Y444, GRAY8, I420_10LE, P010_10LE }")

namespace {

// A writable copy of `source`'s metadata (flags, metas) sharing its memory, timed as output frame p.
GstBuffer* timed_copy(Stream& s, GstBuffer* source, guint64 p) {
  GstBuffer* b = gst_buffer_copy(source);
  GST_BUFFER_PTS(b) = s.time_of(p);
  GST_BUFFER_DTS(b) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION(b) = s.time_of(p + 1) - s.time_of(p);
  GST_BUFFER_OFFSET(b) = p;
  GST_BUFFER_OFFSET_END(b) = p + 1;
  GST_BUFFER_FLAG_UNSET(b, GST_BUFFER_FLAG_DISCONT);
  return b;
}

GstBuffer* interpolate(Stream& s, GstBuffer* a, GstBuffer* b, double t, guint64 p) {
  GstBuffer* out = gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&s.info), nullptr);
  gst_buffer_copy_into(out, a, static_cast<GstBufferCopyFlags>(GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_META), 0, -1);
  GstVideoFrame fa, fb, fo;
  if (!gst_video_frame_map(&fa, &s.info, a, GST_MAP_READ)) {
    gst_buffer_unref(out);
    throw vsr::Error("cannot map an input frame");
  }
  if (!gst_video_frame_map(&fb, &s.info, b, GST_MAP_READ)) {
    gst_video_frame_unmap(&fa);
    gst_buffer_unref(out);
    throw vsr::Error("cannot map an input frame");
  }
  gst_video_frame_map(&fo, &s.info, out, GST_MAP_WRITE);
  try {
    s.interpolator->interpolate(frame_view(&fa), frame_view(&fb), t, frame_view(&fo));
  } catch (...) {
    gst_video_frame_unmap(&fo);
    gst_video_frame_unmap(&fb);
    gst_video_frame_unmap(&fa);
    gst_buffer_unref(out);
    throw;
  }
  gst_video_frame_unmap(&fo);
  gst_video_frame_unmap(&fb);
  gst_video_frame_unmap(&fa);
  GST_BUFFER_PTS(out) = s.time_of(p);
  GST_BUFFER_DTS(out) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION(out) = s.time_of(p + 1) - s.time_of(p);
  GST_BUFFER_OFFSET(out) = p;
  GST_BUFFER_OFFSET_END(out) = p + 1;
  GST_BUFFER_FLAG_UNSET(out, GST_BUFFER_FLAG_DISCONT);
  return out;
}

bool is_cut(Stream& s, GstBuffer* buffer) {
  GstVideoFrame f;
  if (!gst_video_frame_map(&f, &s.info, buffer, GST_MAP_READ)) throw vsr::Error("cannot map an input frame");
  const bool cut = s.detector.is_cut(frame_view(&f));
  gst_video_frame_unmap(&f);
  return cut;
}

// Output frames from the held frame up to (not including) `end`, towards `next` (null: the stream
// ends, repeat). Called with the lock held.
void emit_until(Stream& s, GstClockTime end, GstBuffer* next, bool cut) {
  const GstClockTime start = GST_BUFFER_PTS(s.previous);
  while (s.time_of(s.next) < end) {
    const GstClockTime at = s.time_of(s.next);
    if (at == start || !next || cut) {
      s.ready.push_back(timed_copy(s, s.previous, s.next));
      if (cut && next && at != start) ++s.repeated_at_cuts;
    } else {
      const double t = static_cast<double>(at - start) / static_cast<double>(GST_BUFFER_PTS(next) - start);
      s.ready.push_back(interpolate(s, s.previous, next, t, s.next));
      ++s.interpolated;
    }
    ++s.next;
  }
}

// The end of the held frame when no frame follows: its duration, else one input frame.
GstClockTime end_of_last(const Stream& s) {
  const GstClockTime pts = GST_BUFFER_PTS(s.previous);
  if (GST_BUFFER_DURATION_IS_VALID(s.previous)) return pts + GST_BUFFER_DURATION(s.previous);
  if (s.in_n > 0) return pts + gst_util_uint64_scale(GST_SECOND, s.in_d, s.in_n);
  return s.time_of(s.next) + 1;  // unknown: just the next output frame
}

}  // namespace

static void gst_vsr_interpolate_set_property(GObject* object, guint id, const GValue* value, GParamSpec* pspec) {
  auto* self = GST_VSR_INTERPOLATE(object);
  g_mutex_lock(&self->lock);
  switch (id) {
    case PROP_MODEL: *self->model = g_value_get_string(value) ? g_value_get_string(value) : vsr::kDefaultInterpolationModel; break;
    case PROP_FRAMERATE:
      self->rate_n = gst_value_get_fraction_numerator(value);
      self->rate_d = gst_value_get_fraction_denominator(value);
      break;
    case PROP_SCENE_THRESHOLD: self->scene_threshold = g_value_get_double(value); break;
    case PROP_THREADS: self->threads = g_value_get_int(value); break;
    case PROP_ENSEMBLE: self->ensemble = g_value_get_int(value); break;
    case PROP_BACKEND: self->backend = static_cast<Backend>(g_value_get_enum(value)); break;
    case PROP_DEVICE_ID: self->device_id = g_value_get_int(value); break;
    case PROP_PRECISION: self->precision = static_cast<Precision>(g_value_get_enum(value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  g_mutex_unlock(&self->lock);
}

static void gst_vsr_interpolate_get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  auto* self = GST_VSR_INTERPOLATE(object);
  g_mutex_lock(&self->lock);
  switch (id) {
    case PROP_MODEL: g_value_set_string(value, self->model->c_str()); break;
    case PROP_FRAMERATE: gst_value_set_fraction(value, self->rate_n, self->rate_d); break;
    case PROP_SCENE_THRESHOLD: g_value_set_double(value, self->scene_threshold); break;
    case PROP_THREADS: g_value_set_int(value, self->threads); break;
    case PROP_ENSEMBLE: g_value_set_int(value, self->ensemble); break;
    case PROP_BACKEND: g_value_set_enum(value, static_cast<gint>(self->backend)); break;
    case PROP_DEVICE_ID: g_value_set_int(value, self->device_id); break;
    case PROP_PRECISION: g_value_set_enum(value, static_cast<gint>(self->precision)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  g_mutex_unlock(&self->lock);
}

// Sink -> src: the frame rate becomes the output rate; src -> sink: any input rate (rate_caps.h).
static GstCaps* gst_vsr_interpolate_transform_caps(GstBaseTransform* trans, GstPadDirection direction, GstCaps* caps,
                                                   GstCaps* filter) {
  auto* self = GST_VSR_INTERPOLATE(trans);
  g_mutex_lock(&self->lock);
  const gint rate_n = self->rate_n, rate_d = self->rate_d;
  g_mutex_unlock(&self->lock);
  GstCaps* out = vsr::gst::rate_caps(caps, direction, rate_n, rate_d);
  if (filter) {
    GstCaps* both = gst_caps_intersect_full(filter, out, GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref(out);
    out = both;
  }
  return out;
}

static gboolean gst_vsr_interpolate_set_caps(GstBaseTransform* trans, GstCaps* incaps, GstCaps* outcaps) {
  auto* self = GST_VSR_INTERPOLATE(trans);
  GstVideoInfo in, out;
  if (!gst_video_info_from_caps(&in, incaps) || !gst_video_info_from_caps(&out, outcaps)) return FALSE;
  g_mutex_lock(&self->lock);
  Stream& s = *self->stream;
  s.clear();
  s.info = in;
  s.in_n = GST_VIDEO_INFO_FPS_N(&in);
  s.in_d = GST_VIDEO_INFO_FPS_D(&in);
  s.out_n = GST_VIDEO_INFO_FPS_N(&out);
  s.out_d = GST_VIDEO_INFO_FPS_D(&out);
  bool ok = true;
  if (s.out_n <= 0) {
    GST_ELEMENT_ERROR(self, CORE, NEGOTIATION, ("vsrinterpolate: no output frame rate"),
                      ("the input's frame rate is variable (0/1): set the framerate property"));
    ok = false;
  } else if (s.in_n > 0 && gst_util_fraction_compare(s.out_n, s.out_d, s.in_n, s.in_d) < 0) {
    GST_ELEMENT_ERROR(self, CORE, NEGOTIATION, ("vsrinterpolate: framerate %d/%d is below the input's %d/%d", s.out_n,
                                                s.out_d, s.in_n, s.in_d),
                      ("it raises frame rates; use videorate to lower one"));
    ok = false;
  }
  s.passthrough = ok && s.in_n > 0 && gst_util_fraction_compare(s.out_n, s.out_d, s.in_n, s.in_d) == 0;
  s.detector = vsr::SceneCutDetector(self->scene_threshold);
  vsr::EngineOptions options;
  options.threads = self->threads;
  options.backend = engine_backend(self->backend);
  options.device_id = self->device_id;
  options.precision = engine_precision(self->precision);
  const std::string wanted = *self->model + " threads=" + std::to_string(options.threads) + " backend=" + options.backend +
                             " device-id=" + std::to_string(options.device_id) + " precision=" + options.precision;
  if (ok && !s.passthrough && (!s.interpolator || s.loaded != wanted)) {
    try {
      s.interpolator = vsr::Interpolator::open(*self->model, options);
      s.loaded = wanted;
    } catch (const std::exception& e) {
      GST_ELEMENT_ERROR(self, RESOURCE, NOT_FOUND,
                        ("vsrinterpolate: cannot load model '%s' (%s)", self->model->c_str(), wanted.c_str()),
                        ("%s", e.what()));
      ok = false;
    }
  }
  if (ok && s.interpolator) {
    try {
      s.interpolator->set_ensemble(self->ensemble);
    } catch (const std::exception& e) {
      GST_ELEMENT_ERROR(self, LIBRARY, SETTINGS, ("vsrinterpolate: property ensemble=%d", self->ensemble), ("%s", e.what()));
      ok = false;
    }
  }
  const bool passthrough = s.passthrough;
  g_mutex_unlock(&self->lock);
  gst_base_transform_set_passthrough(trans, passthrough);
  return ok;
}

static GstFlowReturn gst_vsr_interpolate_generate_output(GstBaseTransform* trans, GstBuffer** outbuf) {
  auto* self = GST_VSR_INTERPOLATE(trans);
  GstBuffer* in = trans->queued_buf;
  trans->queued_buf = nullptr;
  *outbuf = nullptr;
  g_mutex_lock(&self->lock);
  Stream& s = *self->stream;
  if (in && s.passthrough) {
    g_mutex_unlock(&self->lock);
    *outbuf = in;
    return GST_FLOW_OK;
  }
  GstFlowReturn ret = GST_FLOW_OK;
  if (in) {
    try {
      if (!GST_BUFFER_PTS_IS_VALID(in)) throw vsr::Error("an input frame has no timestamp");
      const bool cut = is_cut(s, in);
      if (!s.previous) {
        s.origin = GST_BUFFER_PTS(in);
        s.next = 0;
      } else if (GST_BUFFER_PTS(in) <= GST_BUFFER_PTS(s.previous)) {
        throw vsr::Error("timestamps go backwards");
      } else {
        emit_until(s, GST_BUFFER_PTS(in), in, cut);
        gst_buffer_unref(s.previous);
      }
      s.previous = in;
      in = nullptr;
    } catch (const std::exception& e) {
      GST_ELEMENT_ERROR(self, STREAM, FAILED,
                        ("vsrinterpolate: the frame at %" GST_TIME_FORMAT " failed",
                         GST_TIME_ARGS(in ? GST_BUFFER_PTS(in) : GST_CLOCK_TIME_NONE)),
                        ("%s", e.what()));
      ret = GST_FLOW_ERROR;
    }
  }
  if (in) gst_buffer_unref(in);
  if (ret == GST_FLOW_OK && !s.ready.empty()) {
    *outbuf = s.ready.front();
    s.ready.pop_front();
  }
  g_mutex_unlock(&self->lock);
  return ret;
}

static gboolean gst_vsr_interpolate_sink_event(GstBaseTransform* trans, GstEvent* event) {
  auto* self = GST_VSR_INTERPOLATE(trans);
  switch (GST_EVENT_TYPE(event)) {
    case GST_EVENT_EOS: {
      // The last frame lasts until its own end: repeat it there, then everything made goes out.
      std::deque<GstBuffer*> out;
      g_mutex_lock(&self->lock);
      Stream& s = *self->stream;
      if (s.previous && !s.passthrough) emit_until(s, end_of_last(s), nullptr, false);
      out.swap(s.ready);
      s.clear();
      g_mutex_unlock(&self->lock);
      for (GstBuffer* b : out) gst_pad_push(GST_BASE_TRANSFORM_SRC_PAD(trans), b);
      break;
    }
    case GST_EVENT_FLUSH_STOP:
    case GST_EVENT_STREAM_START:
      g_mutex_lock(&self->lock);
      self->stream->clear();
      g_mutex_unlock(&self->lock);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS(gst_vsr_interpolate_parent_class)->sink_event(trans, event);
}

// Upstream's latency plus the one input frame held back to know the next.
static gboolean gst_vsr_interpolate_query(GstBaseTransform* trans, GstPadDirection direction, GstQuery* query) {
  if (!GST_BASE_TRANSFORM_CLASS(gst_vsr_interpolate_parent_class)->query(trans, direction, query)) return FALSE;
  if (direction != GST_PAD_SRC || GST_QUERY_TYPE(query) != GST_QUERY_LATENCY) return TRUE;
  auto* self = GST_VSR_INTERPOLATE(trans);
  g_mutex_lock(&self->lock);
  const Stream& s = *self->stream;
  const GstClockTime frame = s.passthrough || s.in_n <= 0 ? 0 : gst_util_uint64_scale(GST_SECOND, s.in_d, s.in_n);
  g_mutex_unlock(&self->lock);
  gboolean live;
  GstClockTime min, max;
  gst_query_parse_latency(query, &live, &min, &max);
  gst_query_set_latency(query, live, min + frame, max == GST_CLOCK_TIME_NONE ? max : max + frame);
  return TRUE;
}

static gboolean gst_vsr_interpolate_stop(GstBaseTransform* trans) {
  auto* self = GST_VSR_INTERPOLATE(trans);
  g_mutex_lock(&self->lock);
  self->stream->clear();
  g_mutex_unlock(&self->lock);
  return TRUE;
}

static void gst_vsr_interpolate_finalize(GObject* object) {
  auto* self = GST_VSR_INTERPOLATE(object);
  self->stream->clear();
  delete self->stream;
  delete self->model;
  g_mutex_clear(&self->lock);
  G_OBJECT_CLASS(gst_vsr_interpolate_parent_class)->finalize(object);
}

static void gst_vsr_interpolate_class_init(GstVsrInterpolateClass* klass) {
  GObjectClass* gobject = G_OBJECT_CLASS(klass);
  GstElementClass* element = GST_ELEMENT_CLASS(klass);
  GstBaseTransformClass* trans = GST_BASE_TRANSFORM_CLASS(klass);
  gobject->set_property = gst_vsr_interpolate_set_property;
  gobject->get_property = gst_vsr_interpolate_get_property;
  gobject->finalize = gst_vsr_interpolate_finalize;

  g_object_class_install_property(
      gobject, PROP_MODEL,
      g_param_spec_string("model", "Model",
                          "Interpolation model: a path, a shipped name, or blend (the linear mix, no model); read when "
                          "caps are set",
                          vsr::kDefaultInterpolationModel, static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)));
  g_object_class_install_property(
      gobject, PROP_FRAMERATE,
      gst_param_spec_fraction("framerate", "Frame rate", "Output frame rate, at or above the input's (0/1 = twice the input's)",
                              0, 1, G_MAXINT, 1, 0, 1, static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)));
  g_object_class_install_property(
      gobject, PROP_SCENE_THRESHOLD,
      g_param_spec_double("scene-threshold", "Scene threshold",
                          "Scene-cut sensitivity (lower finds more cuts); across a cut the earlier frame is repeated",
                          0.01, 1.0, 0.3, static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)));
  g_object_class_install_property(
      gobject, PROP_THREADS,
      g_param_spec_int("threads", "Threads", "Engine threads (0 = all cores)", 0, 1024, 0,
                       static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)));
  g_object_class_install_property(
      gobject, PROP_ENSEMBLE,
      g_param_spec_int("ensemble", "Ensemble",
                       "Model passes per made frame, averaged: 1, 2 (frames also swapped) or 4 (also mirrored); "
                       "n times the time, a little sharper motion; read when caps are set",
                       1, 4, 1, static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)));
  install_engine_properties(gobject, PROP_BACKEND, PROP_DEVICE_ID, PROP_PRECISION,
                            static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  gst_element_class_set_static_metadata(element, "vsr frame interpolation", "Filter/Effect/Video",
                                        "Raises the frame rate with a learned frame-interpolation model", "vsr project");
  gst_element_class_add_pad_template(element, gst_pad_template_new("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
                                                                   gst_caps_from_string(VSR_INTERPOLATE_CAPS)));
  gst_element_class_add_pad_template(element, gst_pad_template_new("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                                                                   gst_caps_from_string(VSR_INTERPOLATE_CAPS)));
  trans->transform_caps = gst_vsr_interpolate_transform_caps;
  trans->set_caps = gst_vsr_interpolate_set_caps;
  trans->generate_output = gst_vsr_interpolate_generate_output;
  trans->sink_event = gst_vsr_interpolate_sink_event;
  trans->query = gst_vsr_interpolate_query;
  trans->stop = gst_vsr_interpolate_stop;
  trans->passthrough_on_same_caps = FALSE;
  GST_DEBUG_CATEGORY_INIT(gst_vsr_interpolate_debug, "vsrinterpolate", 0, "vsr frame interpolation");
}

static void gst_vsr_interpolate_init(GstVsrInterpolate* self) {
  g_mutex_init(&self->lock);
  self->model = new std::string(vsr::kDefaultInterpolationModel);
  self->rate_n = 0;
  self->rate_d = 1;
  self->scene_threshold = 0.3;
  self->threads = 0;
  self->ensemble = 1;
  self->backend = Backend::Auto;
  self->device_id = 0;
  self->precision = Precision::Auto;
  self->stream = new Stream();
}
