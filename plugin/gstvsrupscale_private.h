// vsrupscale's instance data, shared by the element file (properties, negotiation, metas), the
// engine switching (engine_switch.cpp) and the data path (upscale_stream.cpp).
#pragma once
#include <gst/video/video.h>

#include <atomic>
#include <deque>
#include <memory>
#include <string>

#include "backend_properties.h"
#include "gstvsrupscale.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

GST_DEBUG_CATEGORY_EXTERN(gst_vsr_upscale_debug);

// Properties, behind the element's lock. Any of them may change while PLAYING: the change is
// applied between two frames (engine_switch.cpp).
struct Settings {
  std::string model = vsr::kDefaultModel;
  int threads = 0;
  int tile_size = 0;      // as vsr::EngineOptions: 0 = from the memory budget, -1 = never tile
  int tile_overlap = -1;  // -1 = the model's receptive field
  Backend backend = Backend::Auto;
  int device_id = 0;
  Precision precision = Precision::Auto;
  int scale = 0;          // 0 = the model's scale; 1 = passthrough (the model is not run)
};

// What the streaming thread runs with. Replaced as a whole by a switch.
struct State {
  std::unique_ptr<vsr::Engine> engine;
  Settings applied;                     // the settings `engine` and the negotiated caps follow
  bool started = false;                 // between start() and stop(): switches wait for a frame boundary
  std::unique_ptr<vsr::Engine> next;    // a switch loaded in the background, applied before the next frame
  bool switch_pending = false;          // `next` (or a new scale setting alone) waits to be applied
  Settings next_settings;
  guint64 frames = 0;                   // frames written downstream since start()
  guint64 qos_dropped = 0;              // input frames QoS dropped since start()
  bool gap = false;                     // QoS dropped a frame since the last one the model saw
  // Per frame pushed into the engine and not yet written: a buffer holding its timestamps, flags
  // and metas (the input itself, or a memory-less copy of its metadata while a window model holds
  // it, so upstream's buffer pool is not starved).
  std::deque<GstBuffer*> held;
  // The zero-copy GPU path (cuda_memory.h): the GstCudaContext shared with the neighbours (a
  // GstCudaContext*; null without one), and whether the negotiated caps are CUDA memory.
  GstObject* cuda_context = nullptr;
  bool cuda_memory = false;
  // Frames held back, for a latency query that comes while the lock is taken (a query from an
  // element downstream, in this very thread, while a frame is pushed).
  std::atomic<int> reported_latency_frames{0};
  int latency_frames_locked() const { return engine && applied.scale != 1 ? engine->info().latency_frames : 0; }
};

struct _GstVsrUpscale {
  GstVideoFilter parent;
  GMutex lock;  // guards settings and state
  Settings* settings;
  State* state;
};

// engine_switch.cpp. Call with `lock` held unless said otherwise.
// Loads the engine for the current settings if none is loaded. Returns the effective scale (1 in
// passthrough), or 0 on failure after posting an element error naming the model when `post_error`.
int ensure_engine_locked(GstVsrUpscale* self, bool post_error);
// The factor output sizes have now: 1 in passthrough, else the loaded model's scale (0 if none).
int effective_scale_locked(const State& st);
// After a property changed: rebuilds the engine now when not streaming, or (called WITHOUT the lock
// held) loads the new one in the caller's thread and queues it for the streaming thread.
void settings_changed(GstVsrUpscale* self, bool engine_affected);
// Streaming thread, before a frame: drains the old engine's held frames, swaps in the queued
// engine and renegotiates when the scale changed. Takes and releases the lock itself.
GstFlowReturn apply_pending_switch(GstVsrUpscale* self);

// upscale_stream.cpp.
GstFlowReturn vsr_upscale_generate_output(GstBaseTransform* trans, GstBuffer** outbuf);
GstFlowReturn vsr_upscale_submit_input_buffer(GstBaseTransform* trans, gboolean is_discont, GstBuffer* input);
gboolean vsr_upscale_sink_event(GstBaseTransform* trans, GstEvent* event);
gboolean vsr_upscale_query(GstBaseTransform* trans, GstPadDirection direction, GstQuery* query);
// Writes every held frame downstream, then resets the engine's stream. Call with the lock held (it is
// released while each frame is pushed).
GstFlowReturn drain_locked(GstVsrUpscale* self);
// Forgets held frames (flush) and resets the engine's stream. Call with the lock held.
void forget_held_locked(State& st);
