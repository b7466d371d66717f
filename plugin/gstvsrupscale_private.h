// vsrupscale's instance data, shared by the element file (properties, negotiation) and its data path
// (upscale_stream.cpp).
#pragma once
#include <gst/video/video.h>

#include <deque>
#include <memory>
#include <string>

#include "gstvsrupscale.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

GST_DEBUG_CATEGORY_EXTERN(gst_vsr_upscale_debug);

// Properties, behind the element's lock; may change in NULL/READY only.
struct Settings {
  std::string model = vsr::kDefaultModel;
  int threads = 0;
  int tile_size = 0;      // as vsr::EngineOptions: 0 = from the memory budget, -1 = never tile
  int tile_overlap = -1;  // -1 = the model's receptive field
};

// Timestamps of an input buffer whose output is still held back by a window model.
struct BufferTiming {
  GstClockTime pts, dts, duration;
  guint64 offset, offset_end;
};

// Built when the model is first needed (caps negotiation or start), dropped when settings change.
struct State {
  std::unique_ptr<vsr::Engine> engine;
  std::string loaded_model;
  guint64 frames = 0;                // frames written downstream since start()
  std::deque<BufferTiming> timing;   // one per frame pushed into the engine and not yet written
};

struct _GstVsrUpscale {
  GstVideoFilter parent;
  GMutex lock;  // guards settings and state
  Settings* settings;
  State* state;
};

// Loads the configured model if it is not loaded yet. Call with `lock` held. Returns the scale, or
// 0 on failure, after posting an element error naming the model and the cause when `post_error`.
int ensure_engine_locked(GstVsrUpscale* self, bool post_error);

// The data path (upscale_stream.cpp).
GstFlowReturn vsr_upscale_generate_output(GstBaseTransform* trans, GstBuffer** outbuf);
gboolean vsr_upscale_sink_event(GstBaseTransform* trans, GstEvent* event);
gboolean vsr_upscale_query(GstBaseTransform* trans, GstPadDirection direction, GstQuery* query);
