/**
 * SECTION:element-vsrupscale
 *
 * Upscales raw video by the model's factor (x2 with the default shipped model) with a
 * super-resolution network run by the vsr engine on the CPU.
 *
 * Output caps are the input caps with width and height multiplied by the model's scale; format,
 * framerate, pixel aspect ratio, interlace mode, colorimetry and chroma siting pass through. Each
 * output buffer keeps the timestamps, flags and metas of the frame it shows; region-of-interest and
 * crop metas are scaled. scale=1 is passthrough: buffers go through untouched and the model is not run.
 *
 * Multi-frame models: window:N models hold (N-1)/2 frames back and add them to the latency query;
 * recurrent models carry a state from frame to frame with no added latency. Flushes, discontinuities,
 * caps changes and stream-start reset the model's stream; EOS drains every held frame.
 *
 * Every property may change in PLAYING: a new model loads in the background while the old one keeps
 * running, and takes over between two frames (held frames are drained first; a new scale renegotiates).
 *
 * QoS (qos=true; off by default, so nothing is ever dropped in file pipelines): frames that arrive
 * too late are dropped before the model and reported in QoS messages; the next frame then starts a new
 * stream for multi-frame models (held frames are drained, a recurrent state is reset), so a model
 * never blends frames across a gap.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 filesrc location=in.mp4 ! decodebin ! videoconvert ! vsrupscale ! videoconvert ! x264enc ! mp4mux ! filesink location=out.mp4
 * gst-launch-1.0 videotestsrc num-buffers=30 ! video/x-raw,format=NV12,width=320,height=240 ! vsrupscale model=espcn_x2 ! fakesink
 * gst-launch-1.0 v4l2src ! videoconvert ! queue leaky=downstream max-size-buffers=2 ! vsrupscale qos=true threads=4 ! videoconvert ! autovideosink
 * gst-launch-1.0 videotestsrc is-live=true ! video/x-raw,width=320,height=240 ! vsrupscale scale=1 ! autovideosink
 * ]|
 * The pipelines/ folder of the source tree has ready scripts for files, cameras and RTSP streams.
 */
#include "gstvsrupscale.h"

#include <gst/video/video.h>

#include <memory>
#include <string>

#include "caps_scaling.h"
#include "cuda_memory.h"
#include "gstvsrupscale_private.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

GST_DEBUG_CATEGORY(gst_vsr_upscale_debug);
#define GST_CAT_DEFAULT gst_vsr_upscale_debug

G_DEFINE_TYPE(GstVsrUpscale, gst_vsr_upscale, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE(vsrupscale, "vsrupscale", GST_RANK_NONE, GST_TYPE_VSR_UPSCALE);

enum {
  PROP_0,
  PROP_MODEL,
  PROP_THREADS,
  PROP_SCALE,
  PROP_TILE_SIZE,
  PROP_TILE_OVERLAP,
  PROP_LATENCY_FRAMES,
  PROP_BACKEND,
  PROP_DEVICE_ID,
  PROP_PRECISION
};

#define VSR_FORMATS "{ RGB, BGR, RGBA, BGRA, RGBx, BGRx, I420, YV12, NV12, Y444, GRAY8, I420_10LE, P010_10LE }"

// System memory always; memory:CUDAMemory first where the build has gst-cuda (cuda_memory.h).
static GstCaps* template_caps() {
  GstCaps* caps = gst_caps_from_string(GST_VIDEO_CAPS_MAKE(VSR_FORMATS));
  if (vsr_cuda_memory_built()) {
    GstCaps* cuda = gst_caps_from_string(GST_VIDEO_CAPS_MAKE(VSR_FORMATS));
    gst_caps_set_features(cuda, 0, gst_caps_features_new(vsr_cuda_caps_feature(), nullptr));
    caps = gst_caps_merge(cuda, caps);
  }
  return caps;
}

static void gst_vsr_upscale_set_property(GObject* object, guint id, const GValue* value, GParamSpec* pspec) {
  auto* self = GST_VSR_UPSCALE(object);
  bool engine_affected = true;
  g_mutex_lock(&self->lock);
  Settings& set = *self->settings;
  switch (id) {
    case PROP_MODEL: {
      const gchar* s = g_value_get_string(value);
      set.model = s ? s : vsr::kDefaultModel;
      break;
    }
    case PROP_THREADS: set.threads = g_value_get_int(value); break;
    case PROP_TILE_SIZE: set.tile_size = g_value_get_int(value); break;
    case PROP_TILE_OVERLAP: set.tile_overlap = g_value_get_int(value); break;
    case PROP_BACKEND: set.backend = static_cast<Backend>(g_value_get_enum(value)); break;
    case PROP_DEVICE_ID: set.device_id = g_value_get_int(value); break;
    case PROP_PRECISION: set.precision = static_cast<Precision>(g_value_get_enum(value)); break;
    case PROP_SCALE:
      set.scale = g_value_get_int(value);
      engine_affected = false;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
      g_mutex_unlock(&self->lock);
      return;
  }
  g_mutex_unlock(&self->lock);
  settings_changed(self, engine_affected);
}

static void gst_vsr_upscale_get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  auto* self = GST_VSR_UPSCALE(object);
  g_mutex_lock(&self->lock);
  const Settings& set = *self->settings;
  const State& st = *self->state;
  switch (id) {
    case PROP_MODEL: g_value_set_string(value, set.model.c_str()); break;
    case PROP_THREADS: g_value_set_int(value, set.threads); break;
    case PROP_SCALE: g_value_set_int(value, st.engine ? effective_scale_locked(st) : set.scale); break;
    case PROP_TILE_SIZE: g_value_set_int(value, set.tile_size); break;
    case PROP_TILE_OVERLAP: g_value_set_int(value, set.tile_overlap); break;
    case PROP_LATENCY_FRAMES: g_value_set_int(value, st.engine ? st.engine->info().latency_frames : 0); break;
    case PROP_BACKEND: g_value_set_enum(value, static_cast<gint>(set.backend)); break;
    case PROP_DEVICE_ID: g_value_set_int(value, set.device_id); break;
    case PROP_PRECISION: g_value_set_enum(value, static_cast<gint>(set.precision)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  g_mutex_unlock(&self->lock);
}

static void gst_vsr_upscale_finalize(GObject* object) {
  auto* self = GST_VSR_UPSCALE(object);
  forget_held_locked(*self->state);
  {
    CudaContextScope scope(self);  // CUDA engines are released in their own context
    self->state->engine.reset();
    self->state->next.reset();
  }
  vsr_cuda_release_context(self);
  delete self->state;
  delete self->settings;
  g_mutex_clear(&self->lock);
  G_OBJECT_CLASS(gst_vsr_upscale_parent_class)->finalize(object);
}

// A switch that was still waiting when streaming stopped applies now, with nothing in flight.
static void apply_waiting_switch_locked(State& st) {
  if (!st.switch_pending) return;
  if (st.next) st.engine = std::move(st.next);
  st.applied = st.next_settings;
  st.switch_pending = false;
}

static gboolean gst_vsr_upscale_start(GstBaseTransform* trans) {
  auto* self = GST_VSR_UPSCALE(trans);
  g_mutex_lock(&self->lock);
  const Settings wanted = *self->settings;
  const bool had_context = self->state->cuda_context != nullptr;
  g_mutex_unlock(&self->lock);
  // backend=cuda: share the pipeline's CUDA context (or make one) before the engine is built in it.
  if (wanted.backend == Backend::Cuda && !had_context && vsr_cuda_ensure_context(self, wanted.device_id)) {
    g_mutex_lock(&self->lock);
    CudaContextScope scope(self);
    self->state->engine.reset();  // one loaded by a caps query before there was a context
    g_mutex_unlock(&self->lock);
  }
  g_mutex_lock(&self->lock);
  State& st = *self->state;
  apply_waiting_switch_locked(st);
  const int scale = ensure_engine_locked(self, true);
  st.frames = 0;
  st.qos_dropped = 0;
  st.gap = false;
  forget_held_locked(st);
  st.started = scale > 0;
  g_mutex_unlock(&self->lock);
  return scale > 0;
}

static gboolean gst_vsr_upscale_stop(GstBaseTransform* trans) {
  auto* self = GST_VSR_UPSCALE(trans);
  g_mutex_lock(&self->lock);
  State& st = *self->state;
  forget_held_locked(st);
  apply_waiting_switch_locked(st);
  st.started = false;
  if (st.qos_dropped > 0)
    GST_INFO_OBJECT(self, "QoS dropped %" G_GUINT64_FORMAT " late frames, %" G_GUINT64_FORMAT " went out",
                    st.qos_dropped, st.frames);
  g_mutex_unlock(&self->lock);
  return TRUE;
}

static GstCaps* gst_vsr_upscale_transform_caps(GstBaseTransform* trans, GstPadDirection direction, GstCaps* caps,
                                               GstCaps* filter) {
  auto* self = GST_VSR_UPSCALE(trans);
  g_mutex_lock(&self->lock);
  // Caps queries also come while linking, before there is a bus to report to: a model that fails to
  // load here leaves the caps alone, and start() reports the failure as an element error.
  const int scale = ensure_engine_locked(self, /*post_error=*/false);
  // CUDA memory only for an engine on the GPU that shares the pipeline's CUDA context.
  const bool gpu = self->state->engine && self->state->engine->backend() == "cuda" && self->state->cuda_context;
  g_mutex_unlock(&self->lock);
  GstCaps* out = scale > 1 ? vsr::gst::scale_caps(caps, scale, direction) : gst_caps_ref(caps);
  if (!gpu) out = vsr_caps_without_cuda_memory(out);
  if (filter) {
    GstCaps* tmp = gst_caps_intersect_full(filter, out, GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref(out);
    out = tmp;
  }
  GST_DEBUG_OBJECT(self, "x%d %s: %" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT, scale,
                   direction == GST_PAD_SINK ? "sink->src" : "src->sink", caps, out);
  return out;
}

// GstVideoFilter switches to in-place mode when a subclass has no transform_frame (ours goes through
// generate_output instead); an upscaler never works in place, so switch back after it. scale=1 is
// passthrough.
static gboolean gst_vsr_upscale_set_caps(GstBaseTransform* trans, GstCaps* incaps, GstCaps* outcaps) {
  auto* self = GST_VSR_UPSCALE(trans);
  auto* parent = GST_BASE_TRANSFORM_CLASS(gst_vsr_upscale_parent_class);
  if (!parent->set_caps(trans, incaps, outcaps)) return FALSE;
  gst_base_transform_set_in_place(trans, FALSE);
  g_mutex_lock(&self->lock);
  const bool passthrough = self->state->applied.scale == 1;
  self->state->cuda_memory = vsr_caps_are_cuda_memory(incaps);
  g_mutex_unlock(&self->lock);
  gst_base_transform_set_passthrough(trans, passthrough);
  return TRUE;
}

static gboolean gst_vsr_upscale_set_info(GstVideoFilter* filter, GstCaps*, GstVideoInfo* in_info, GstCaps*,
                                         GstVideoInfo* out_info) {
  auto* self = GST_VSR_UPSCALE(filter);
  g_mutex_lock(&self->lock);
  const int scale = ensure_engine_locked(self, true);
  const vsr::ModelInfo info = scale > 0 ? self->state->engine->info() : vsr::ModelInfo{};
  g_mutex_unlock(&self->lock);
  if (scale <= 0) return FALSE;
  const int w = GST_VIDEO_INFO_WIDTH(in_info), h = GST_VIDEO_INFO_HEIGHT(in_info);
  if (scale > 1 && ((info.input_width > 0 && w != info.input_width) || (info.input_height > 0 && h != info.input_height))) {
    GST_ELEMENT_ERROR(self, CORE, NEGOTIATION, ("vsrupscale: model '%s' does not fit the caps", info.path.c_str()),
                      ("the model takes only %dx%d frames (its input size is fixed); the caps are %dx%d",
                       info.input_width, info.input_height, w, h));
    return FALSE;
  }
  if (GST_VIDEO_INFO_WIDTH(out_info) != w * scale || GST_VIDEO_INFO_HEIGHT(out_info) != h * scale) {
    GST_ELEMENT_ERROR(self, CORE, NEGOTIATION, ("vsrupscale: output size must be x%d the input size", scale),
                      ("got %dx%d -> %dx%d", w, h, GST_VIDEO_INFO_WIDTH(out_info), GST_VIDEO_INFO_HEIGHT(out_info)));
    return FALSE;
  }
  return TRUE;
}

// Metas follow the frame they describe: size-dependent ones (region of interest, crop) are scaled
// with the frame through their own transform function; the buffer's own video meta describes the
// input's memory and never travels; metas that do not depend on the picture's size are copied.
static gboolean gst_vsr_upscale_transform_meta(GstBaseTransform* trans, GstBuffer* outbuf, GstMeta* meta,
                                               GstBuffer* inbuf) {
  const GstMetaInfo* info = meta->info;
  if (info->api == GST_VIDEO_META_API_TYPE) return FALSE;
  static const GQuark size_tag = g_quark_from_static_string(GST_META_TAG_VIDEO_SIZE_STR);
  static const GQuark orientation_tag = g_quark_from_static_string(GST_META_TAG_VIDEO_ORIENTATION_STR);
  if (!gst_meta_api_type_has_tag(info->api, size_tag) && !gst_meta_api_type_has_tag(info->api, orientation_tag))
    return TRUE;
  if (info->transform_func) {
    auto* filter = GST_VIDEO_FILTER(trans);
    GstVideoMetaTransform scale = {&filter->in_info, &filter->out_info};
    if (!info->transform_func(outbuf, meta, inbuf, gst_video_meta_transform_scale_get_quark(), &scale))
      GST_DEBUG_OBJECT(trans, "meta %s cannot be scaled; dropped", g_type_name(info->api));
  }
  return FALSE;
}

static gboolean gst_vsr_upscale_propose_allocation(GstBaseTransform* trans, GstQuery* decide, GstQuery* query) {
  if (vsr_cuda_propose_allocation(GST_VSR_UPSCALE(trans), query)) return TRUE;
  return GST_BASE_TRANSFORM_CLASS(gst_vsr_upscale_parent_class)->propose_allocation(trans, decide, query);
}

static gboolean gst_vsr_upscale_decide_allocation(GstBaseTransform* trans, GstQuery* query) {
  if (vsr_cuda_decide_allocation(GST_VSR_UPSCALE(trans), query)) return TRUE;
  return GST_BASE_TRANSFORM_CLASS(gst_vsr_upscale_parent_class)->decide_allocation(trans, query);
}

static void gst_vsr_upscale_set_context(GstElement* element, GstContext* context) {
  auto* self = GST_VSR_UPSCALE(element);
  g_mutex_lock(&self->lock);
  const int device = self->settings->device_id;
  g_mutex_unlock(&self->lock);
  vsr_cuda_set_context(self, context, device);
  GST_ELEMENT_CLASS(gst_vsr_upscale_parent_class)->set_context(element, context);
}

static void gst_vsr_upscale_class_init(GstVsrUpscaleClass* klass) {
  auto* gobject_class = G_OBJECT_CLASS(klass);
  auto* element_class = GST_ELEMENT_CLASS(klass);
  auto* trans_class = GST_BASE_TRANSFORM_CLASS(klass);
  auto* filter_class = GST_VIDEO_FILTER_CLASS(klass);

  gobject_class->set_property = gst_vsr_upscale_set_property;
  gobject_class->get_property = gst_vsr_upscale_get_property;
  gobject_class->finalize = gst_vsr_upscale_finalize;

  // Every setting may change while PLAYING (applied between two frames, see engine_switch.cpp).
  const auto mutable_playing =
      static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);
  const auto read_only = static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property(
      gobject_class, PROP_MODEL,
      g_param_spec_string("model", "Model",
                          "ONNX model: a file path or a shipped model name (e.g. espcn_x2; searched in "
                          "$VSR_MODEL_PATH, the installed share/vsr/models and the source tree's models/zoo). "
                          "Changing it while PLAYING loads the new model in the background and switches between "
                          "two frames",
                          vsr::kDefaultModel, mutable_playing));
  install_engine_properties(gobject_class, PROP_BACKEND, PROP_DEVICE_ID, PROP_PRECISION, mutable_playing);
  g_object_class_install_property(
      gobject_class, PROP_THREADS,
      g_param_spec_int("threads", "Threads", "CPU threads for the engine (0 = all cores)", 0, 256, 0, mutable_playing));
  g_object_class_install_property(
      gobject_class, PROP_SCALE,
      g_param_spec_int("scale", "Scale",
                       "Output size factor: 0 = the model's scale, 1 = passthrough (buffers go through untouched, the "
                       "model is not run), or the model's own scale. Reads give the factor in effect once a model is "
                       "loaded",
                       0, 16, 0, mutable_playing));
  g_object_class_install_property(
      gobject_class, PROP_TILE_SIZE,
      g_param_spec_int("tile-size", "Tile size",
                       "Tile core side in input pixels (0 = chosen from a 1 GiB memory budget, -1 = never tile); "
                       "tiles overlap so the output has no seams",
                       -1, 65536, 0, mutable_playing));
  g_object_class_install_property(
      gobject_class, PROP_TILE_OVERLAP,
      g_param_spec_int("tile-overlap", "Tile overlap",
                       "Context pixels around each tile (-1 = the model's receptive field, which makes tiled "
                       "output equal to untiled output)",
                       -1, 1024, -1, mutable_playing));
  g_object_class_install_property(
      gobject_class, PROP_LATENCY_FRAMES,
      g_param_spec_int("latency-frames", "Latency frames",
                       "Frames the loaded model holds back ((N-1)/2 for window:N models, 0 for single-frame and "
                       "recurrent ones)",
                       0, 16, 0, read_only));

  gst_element_class_set_static_metadata(element_class, "Video super-resolution upscaler", "Filter/Effect/Video",
                                        "Upscales video with a super-resolution network (vsr engine)",
                                        "vsr developers");
  GstCaps* caps = template_caps();
  gst_element_class_add_pad_template(element_class, gst_pad_template_new("sink", GST_PAD_SINK, GST_PAD_ALWAYS, caps));
  gst_element_class_add_pad_template(element_class, gst_pad_template_new("src", GST_PAD_SRC, GST_PAD_ALWAYS, caps));
  gst_caps_unref(caps);
  element_class->set_context = GST_DEBUG_FUNCPTR(gst_vsr_upscale_set_context);

  trans_class->start = GST_DEBUG_FUNCPTR(gst_vsr_upscale_start);
  trans_class->stop = GST_DEBUG_FUNCPTR(gst_vsr_upscale_stop);
  trans_class->transform_caps = GST_DEBUG_FUNCPTR(gst_vsr_upscale_transform_caps);
  trans_class->transform_meta = GST_DEBUG_FUNCPTR(gst_vsr_upscale_transform_meta);
  trans_class->propose_allocation = GST_DEBUG_FUNCPTR(gst_vsr_upscale_propose_allocation);
  trans_class->decide_allocation = GST_DEBUG_FUNCPTR(gst_vsr_upscale_decide_allocation);
  trans_class->passthrough_on_same_caps = FALSE;
  filter_class->set_info = GST_DEBUG_FUNCPTR(gst_vsr_upscale_set_info);
  // The data path (upscale_stream.cpp) replaces GstVideoFilter's 1:1 transform: window models hold
  // frames back, and EOS, flushes, discontinuities, QoS gaps and caps changes drain or reset them.
  trans_class->set_caps = GST_DEBUG_FUNCPTR(gst_vsr_upscale_set_caps);
  trans_class->submit_input_buffer = GST_DEBUG_FUNCPTR(vsr_upscale_submit_input_buffer);
  trans_class->generate_output = GST_DEBUG_FUNCPTR(vsr_upscale_generate_output);
  trans_class->sink_event = GST_DEBUG_FUNCPTR(vsr_upscale_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR(vsr_upscale_query);

  GST_DEBUG_CATEGORY_INIT(gst_vsr_upscale_debug, "vsrupscale", 0, "vsr super-resolution upscaler");
}

static void gst_vsr_upscale_init(GstVsrUpscale* self) {
  g_mutex_init(&self->lock);
  // GstVideoFilter turns QoS on; vsrupscale leaves it off unless asked, so file pipelines never lose
  // a frame to a slow sink (see the QoS policy above).
  gst_base_transform_set_qos_enabled(GST_BASE_TRANSFORM(self), FALSE);
  self->settings = new Settings();
  self->state = new State();
}
