// Engines built from vsrupscale's settings, and switched while PLAYING without a glitch: the new
// engine loads in the thread that set the property while the streaming thread keeps running the old
// one; between two frames the old engine's held frames go out at the caps they were negotiated for,
// the new engine takes over, and a new output size renegotiates before the next frame. No frame is
// dropped and the streaming thread never waits for a model to load.
#include "cuda_memory.h"
#include "gstvsrupscale_private.h"

#define GST_CAT_DEFAULT gst_vsr_upscale_debug

namespace {

vsr::EngineOptions options_for(const Settings& s) {
  vsr::EngineOptions o;
  o.threads = s.threads;
  o.tile_size = s.tile_size;
  o.tile_overlap = s.tile_overlap;
  o.backend = engine_backend(s.backend);
  o.device_id = s.device_id;
  o.precision = engine_precision(s.precision);
  return o;
}

// With the element's CUDA context current, so that a CUDA engine's memory, streams and cuDNN
// handles live where the CUDA buffers of the pipeline live.
std::unique_ptr<vsr::Engine> load_engine(GstVsrUpscale* self, const Settings& s) {
  CudaContextScope scope(self);
  return vsr::Engine::open(vsr::resolve_model(s.model), options_for(s));
}

// The scale property takes 0 (the model's), 1 (passthrough) or the model's own factor.
void check_scale_setting(const Settings& s, const vsr::Engine& engine) {
  const int model_scale = engine.info().scale;
  if (s.scale != 0 && s.scale != 1 && s.scale != model_scale)
    throw vsr::Error("property scale=" + std::to_string(s.scale) + " but model '" + s.model + "' upscales by " +
                     std::to_string(model_scale) + " (use 0 for the model's scale or 1 for passthrough)");
}

}  // namespace

int effective_scale_locked(const State& st) {
  if (!st.engine) return 0;
  return st.applied.scale == 1 ? 1 : st.engine->info().scale;
}

int ensure_engine_locked(GstVsrUpscale* self, bool post_error) {
  State& st = *self->state;
  if (st.engine) return effective_scale_locked(st);
  const Settings& set = *self->settings;
  try {
    auto engine = load_engine(self, set);
    check_scale_setting(set, *engine);
    st.engine = std::move(engine);
    st.applied = set;
    GST_INFO_OBJECT(self, "loaded model %s:\n%s", set.model.c_str(), st.engine->describe().c_str());
    return effective_scale_locked(st);
  } catch (const std::exception& e) {
    if (post_error)
      GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS, ("vsrupscale: cannot use model '%s'", set.model.c_str()),
                        ("property model='%s': %s", set.model.c_str(), e.what()));
    return 0;
  }
}

void settings_changed(GstVsrUpscale* self, bool engine_affected) {
  g_mutex_lock(&self->lock);
  State& st = *self->state;
  if (!st.started) {  // nothing streams: the next negotiation or start() loads what is set
    if (engine_affected) {
      CudaContextScope scope(self);  // a CUDA engine is released in its own context
      st.engine.reset();
    }
    if (!engine_affected) st.applied.scale = self->settings->scale;
    g_mutex_unlock(&self->lock);
    return;
  }
  const Settings wanted = *self->settings;
  g_mutex_unlock(&self->lock);

  std::unique_ptr<vsr::Engine> next;
  try {
    if (engine_affected) next = load_engine(self, wanted);  // slow: outside the lock, frames keep flowing
    g_mutex_lock(&self->lock);
    const vsr::Engine* target = next ? next.get() : st.next ? st.next.get() : st.engine.get();
    try {
      if (target) check_scale_setting(wanted, *target);
    } catch (...) {
      g_mutex_unlock(&self->lock);
      throw;
    }
  } catch (const std::exception& e) {
    // The running configuration stays; the properties read back what still applies.
    g_mutex_lock(&self->lock);
    const Settings kept = st.switch_pending ? st.next_settings : st.applied;
    *self->settings = kept;
    g_mutex_unlock(&self->lock);
    GST_ELEMENT_WARNING(self, RESOURCE, SETTINGS,
                        ("vsrupscale: cannot switch to model '%s' (scale %d); keeping model '%s'", wanted.model.c_str(),
                         wanted.scale, kept.model.c_str()),
                        ("%s", e.what()));
    return;
  }
  if (next) st.next = std::move(next);  // a scale-only change keeps an engine still waiting
  st.next_settings = wanted;
  st.switch_pending = true;
  g_mutex_unlock(&self->lock);
  GST_INFO_OBJECT(self, "switch to model %s (scale setting %d) queued", wanted.model.c_str(), wanted.scale);
}

GstFlowReturn apply_pending_switch(GstVsrUpscale* self) {
  auto* trans = GST_BASE_TRANSFORM(self);
  g_mutex_lock(&self->lock);
  State& st = *self->state;
  if (!st.switch_pending) {
    g_mutex_unlock(&self->lock);
    return GST_FLOW_OK;
  }
  // Frames a window model still holds go out first, at the size they were negotiated for.
  const GstFlowReturn drained = drain_locked(self);
  const int scale_before = effective_scale_locked(st);
  const bool passthrough_before = st.applied.scale == 1;
  if (st.next) {
    CudaContextScope scope(self);
    st.engine = std::move(st.next);
  }
  st.applied = st.next_settings;
  st.switch_pending = false;
  const int scale_after = effective_scale_locked(st);
  const bool passthrough_after = st.applied.scale == 1;
  const std::string model = st.applied.model;
  g_mutex_unlock(&self->lock);
  GST_INFO_OBJECT(self, "switched to model %s, x%d%s", model.c_str(), scale_after,
                  passthrough_after ? " (passthrough)" : "");
  if (drained != GST_FLOW_OK) return drained;
  gst_base_transform_set_passthrough(trans, passthrough_after);
  if (scale_after == scale_before && passthrough_after == passthrough_before) return GST_FLOW_OK;
  // A new output size: negotiate it now, before the next frame is written.
  gst_base_transform_reconfigure_src(trans);
  if (!gst_base_transform_reconfigure(trans)) {
    GST_ELEMENT_ERROR(self, CORE, NEGOTIATION,
                      ("vsrupscale: downstream refused the x%d output after switching to model '%s'", scale_after,
                       model.c_str()),
                      (nullptr));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  return GST_FLOW_OK;
}
