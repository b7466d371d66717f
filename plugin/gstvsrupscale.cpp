/**
 * SECTION:element-vsrupscale
 *
 * Upscales raw video by the model's factor (x2 with the default shipped model) with a
 * super-resolution network run by the vsr engine on the CPU.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 filesrc location=in.mp4 ! decodebin ! videoconvert ! vsrupscale ! videoconvert ! x264enc ! mp4mux ! filesink location=out.mp4
 * gst-launch-1.0 videotestsrc num-buffers=30 ! video/x-raw,format=NV12,width=320,height=240 ! vsrupscale model=espcn_x2 ! fakesink
 * ]|
 * Output caps are the input caps with width and height multiplied by the model's scale; format,
 * framerate, pixel aspect ratio and colorimetry pass through unchanged.
 */
#include "gstvsrupscale.h"

#include <gst/video/video.h>

#include <memory>
#include <string>

#include "caps_scaling.h"
#include "gstvsrupscale_private.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

GST_DEBUG_CATEGORY(gst_vsr_upscale_debug);
#define GST_CAT_DEFAULT gst_vsr_upscale_debug

G_DEFINE_TYPE(GstVsrUpscale, gst_vsr_upscale, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE(vsrupscale, "vsrupscale", GST_RANK_NONE, GST_TYPE_VSR_UPSCALE);

enum { PROP_0, PROP_MODEL, PROP_THREADS, PROP_SCALE, PROP_TILE_SIZE, PROP_TILE_OVERLAP, PROP_LATENCY_FRAMES };

#define VSR_FORMATS "{ RGB, BGR, RGBA, BGRA, RGBx, BGRx, I420, YV12, NV12, Y444, GRAY8, I420_10LE, P010_10LE }"
static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE(
    "sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS(GST_VIDEO_CAPS_MAKE(VSR_FORMATS)));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE(
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS(GST_VIDEO_CAPS_MAKE(VSR_FORMATS)));

// Loads the configured model if it is not loaded yet. Call with `lock` held. Returns the scale, or
// 0 on failure, after posting an element error naming the model and the cause when `post_error`.
int ensure_engine_locked(GstVsrUpscale* self, bool post_error) {
  State& st = *self->state;
  const Settings& set = *self->settings;
  if (st.engine && st.loaded_model == set.model) return st.engine->info().scale;
  st.engine.reset();
  try {
    const std::string path = vsr::resolve_model(set.model);
    vsr::EngineOptions options;
    options.threads = set.threads;
    options.tile_size = set.tile_size;
    options.tile_overlap = set.tile_overlap;
    st.engine = vsr::Engine::open(path, options);
    st.loaded_model = set.model;
    GST_INFO_OBJECT(self, "loaded model %s:\n%s", path.c_str(), st.engine->describe().c_str());
    return st.engine->info().scale;
  } catch (const std::exception& e) {
    if (!post_error) return 0;
    GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS, ("vsrupscale: cannot use model '%s'", set.model.c_str()),
                      ("property model='%s': %s", set.model.c_str(), e.what()));
    return 0;
  }
}

static void gst_vsr_upscale_set_property(GObject* object, guint id, const GValue* value, GParamSpec* pspec) {
  auto* self = GST_VSR_UPSCALE(object);
  g_mutex_lock(&self->lock);
  switch (id) {
    case PROP_MODEL: {
      const gchar* s = g_value_get_string(value);
      self->settings->model = s ? s : vsr::kDefaultModel;
      break;
    }
    case PROP_THREADS:
      self->settings->threads = g_value_get_int(value);
      self->state->engine.reset();  // engine options apply when the engine is built
      break;
    case PROP_TILE_SIZE:
      self->settings->tile_size = g_value_get_int(value);
      self->state->engine.reset();
      break;
    case PROP_TILE_OVERLAP:
      self->settings->tile_overlap = g_value_get_int(value);
      self->state->engine.reset();
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  g_mutex_unlock(&self->lock);
}

static void gst_vsr_upscale_get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  auto* self = GST_VSR_UPSCALE(object);
  g_mutex_lock(&self->lock);
  switch (id) {
    case PROP_MODEL: g_value_set_string(value, self->settings->model.c_str()); break;
    case PROP_THREADS: g_value_set_int(value, self->settings->threads); break;
    case PROP_SCALE:
      g_value_set_int(value, self->state->engine ? self->state->engine->info().scale : 0);
      break;
    case PROP_TILE_SIZE: g_value_set_int(value, self->settings->tile_size); break;
    case PROP_TILE_OVERLAP: g_value_set_int(value, self->settings->tile_overlap); break;
    case PROP_LATENCY_FRAMES:
      g_value_set_int(value, self->state->engine ? self->state->engine->info().latency_frames : 0);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  g_mutex_unlock(&self->lock);
}

static void gst_vsr_upscale_finalize(GObject* object) {
  auto* self = GST_VSR_UPSCALE(object);
  delete self->state;
  delete self->settings;
  g_mutex_clear(&self->lock);
  G_OBJECT_CLASS(gst_vsr_upscale_parent_class)->finalize(object);
}

static gboolean gst_vsr_upscale_start(GstBaseTransform* trans) {
  auto* self = GST_VSR_UPSCALE(trans);
  g_mutex_lock(&self->lock);
  const int scale = ensure_engine_locked(self, true);
  self->state->frames = 0;
  self->state->timing.clear();
  if (self->state->engine) self->state->engine->reset();
  g_mutex_unlock(&self->lock);
  return scale > 0;
}

static GstCaps* gst_vsr_upscale_transform_caps(GstBaseTransform* trans, GstPadDirection direction, GstCaps* caps,
                                               GstCaps* filter) {
  auto* self = GST_VSR_UPSCALE(trans);
  g_mutex_lock(&self->lock);
  // Caps queries also come while linking, before there is a bus to report to: a model that fails to
  // load here leaves the caps alone, and start() reports the failure as an element error.
  const int scale = ensure_engine_locked(self, /*post_error=*/false);
  g_mutex_unlock(&self->lock);
  if (scale <= 0) return filter ? gst_caps_intersect_full(filter, caps, GST_CAPS_INTERSECT_FIRST) : gst_caps_ref(caps);
  GstCaps* out = vsr::gst::scale_caps(caps, scale, direction);
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
// generate_output instead); an upscaler never works in place, so switch back after it.
static gboolean gst_vsr_upscale_set_caps(GstBaseTransform* trans, GstCaps* incaps, GstCaps* outcaps) {
  auto* parent = GST_BASE_TRANSFORM_CLASS(gst_vsr_upscale_parent_class);
  if (!parent->set_caps(trans, incaps, outcaps)) return FALSE;
  gst_base_transform_set_in_place(trans, FALSE);
  return TRUE;
}

static gboolean gst_vsr_upscale_set_info(GstVideoFilter* filter, GstCaps*, GstVideoInfo* in_info, GstCaps*,
                                         GstVideoInfo* out_info) {
  auto* self = GST_VSR_UPSCALE(filter);
  g_mutex_lock(&self->lock);
  const int scale = ensure_engine_locked(self, true);
  g_mutex_unlock(&self->lock);
  if (scale <= 0) return FALSE;
  if (GST_VIDEO_INFO_WIDTH(out_info) != GST_VIDEO_INFO_WIDTH(in_info) * scale ||
      GST_VIDEO_INFO_HEIGHT(out_info) != GST_VIDEO_INFO_HEIGHT(in_info) * scale) {
    GST_ELEMENT_ERROR(self, CORE, NEGOTIATION, ("vsrupscale: output size must be x%d the input size", scale),
                      ("got %dx%d -> %dx%d", GST_VIDEO_INFO_WIDTH(in_info), GST_VIDEO_INFO_HEIGHT(in_info),
                       GST_VIDEO_INFO_WIDTH(out_info), GST_VIDEO_INFO_HEIGHT(out_info)));
    return FALSE;
  }
  return TRUE;
}

static void gst_vsr_upscale_class_init(GstVsrUpscaleClass* klass) {
  auto* gobject_class = G_OBJECT_CLASS(klass);
  auto* element_class = GST_ELEMENT_CLASS(klass);
  auto* trans_class = GST_BASE_TRANSFORM_CLASS(klass);
  auto* filter_class = GST_VIDEO_FILTER_CLASS(klass);

  gobject_class->set_property = gst_vsr_upscale_set_property;
  gobject_class->get_property = gst_vsr_upscale_get_property;
  gobject_class->finalize = gst_vsr_upscale_finalize;

  const auto mutable_ready =
      static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  g_object_class_install_property(
      gobject_class, PROP_MODEL,
      g_param_spec_string("model", "Model",
                          "ONNX model: a file path or a shipped model name (e.g. espcn_x2; searched in "
                          "$VSR_MODEL_PATH, the installed share/vsr/models and the source tree's models/zoo)",
                          vsr::kDefaultModel, mutable_ready));
  g_object_class_install_property(
      gobject_class, PROP_THREADS,
      g_param_spec_int("threads", "Threads", "CPU threads for the engine (0 = all cores)", 0, 256, 0, mutable_ready));
  g_object_class_install_property(
      gobject_class, PROP_SCALE,
      g_param_spec_int("scale", "Scale", "Upscaling factor of the loaded model (0 before it is loaded)", 0, 16, 0,
                       static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)));

  g_object_class_install_property(
      gobject_class, PROP_TILE_SIZE,
      g_param_spec_int("tile-size", "Tile size",
                       "Tile core side in input pixels (0 = chosen from a 1 GiB memory budget, -1 = never tile); "
                       "tiles overlap so the output has no seams",
                       -1, 65536, 0, mutable_ready));
  g_object_class_install_property(
      gobject_class, PROP_TILE_OVERLAP,
      g_param_spec_int("tile-overlap", "Tile overlap",
                       "Context pixels around each tile (-1 = the model's receptive field, which makes tiled "
                       "output equal to untiled output)",
                       -1, 1024, -1, mutable_ready));
  g_object_class_install_property(
      gobject_class, PROP_LATENCY_FRAMES,
      g_param_spec_int("latency-frames", "Latency frames",
                       "Frames the loaded model holds back ((N-1)/2 for window:N models, 0 otherwise)", 0, 16, 0,
                       static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)));

  gst_element_class_set_static_metadata(element_class, "Video super-resolution upscaler", "Filter/Effect/Video",
                                        "Upscales video with a super-resolution network (vsr engine)",
                                        "vsr developers");
  gst_element_class_add_static_pad_template(element_class, &sink_template);
  gst_element_class_add_static_pad_template(element_class, &src_template);

  trans_class->start = GST_DEBUG_FUNCPTR(gst_vsr_upscale_start);
  trans_class->transform_caps = GST_DEBUG_FUNCPTR(gst_vsr_upscale_transform_caps);
  trans_class->passthrough_on_same_caps = FALSE;
  filter_class->set_info = GST_DEBUG_FUNCPTR(gst_vsr_upscale_set_info);
  // The data path (upscale_stream.cpp) replaces GstVideoFilter's 1:1 transform: window models hold
  // frames back, and EOS, flushes, discontinuities and caps changes drain or reset them.
  trans_class->set_caps = GST_DEBUG_FUNCPTR(gst_vsr_upscale_set_caps);
  trans_class->generate_output = GST_DEBUG_FUNCPTR(vsr_upscale_generate_output);
  trans_class->sink_event = GST_DEBUG_FUNCPTR(vsr_upscale_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR(vsr_upscale_query);

  GST_DEBUG_CATEGORY_INIT(gst_vsr_upscale_debug, "vsrupscale", 0, "vsr super-resolution upscaler");
}

static void gst_vsr_upscale_init(GstVsrUpscale* self) {
  g_mutex_init(&self->lock);
  self->settings = new Settings();
  self->state = new State();
}
