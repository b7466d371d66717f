#include "cuda_memory.h"

#define GST_CAT_DEFAULT gst_vsr_upscale_debug

#ifdef VSR_WITH_GST_CUDA
#define GST_USE_UNSTABLE_API
#include <gst/cuda/gstcudabufferpool.h>
#include <gst/cuda/gstcudacontext.h>
#include <gst/cuda/gstcudaloader.h>
#include <gst/cuda/gstcudamemory.h>
#include <gst/cuda/gstcudautils.h>

namespace {
GstCudaContext** context_slot(GstVsrUpscale* self) {
  return reinterpret_cast<GstCudaContext**>(&self->state->cuda_context);
}
}  // namespace

const char* vsr_cuda_caps_feature() { return GST_CAPS_FEATURE_MEMORY_CUDA_MEMORY; }
GstMapFlags vsr_cuda_map_flag() { return static_cast<GstMapFlags>(GST_MAP_CUDA); }
bool vsr_cuda_memory_built() { return true; }

bool vsr_cuda_ensure_context(GstVsrUpscale* self, int device_id) {
  if (!gst_cuda_load_library()) {
    GST_INFO_OBJECT(self, "no CUDA driver: the CUDA memory path is off");
    return false;
  }
  GstCudaContext* ctx = *context_slot(self);
  if (!gst_cuda_ensure_element_context(GST_ELEMENT(self), device_id, &ctx)) {
    GST_INFO_OBJECT(self, "no CUDA context for device %d", device_id);
    return false;
  }
  *context_slot(self) = ctx;
  return true;
}

void vsr_cuda_release_context(GstVsrUpscale* self) { gst_clear_object(context_slot(self)); }

void vsr_cuda_set_context(GstVsrUpscale* self, GstContext* context, int device_id) {
  if (gst_cuda_load_library()) gst_cuda_handle_set_context(GST_ELEMENT(self), context, device_id, context_slot(self));
}

bool vsr_cuda_handle_context_query(GstVsrUpscale* self, GstQuery* query) {
  return GST_QUERY_TYPE(query) == GST_QUERY_CONTEXT && *context_slot(self) &&
         gst_cuda_handle_context_query(GST_ELEMENT(self), query, *context_slot(self));
}

CudaContextScope::CudaContextScope(GstVsrUpscale* self) {
  GstCudaContext* ctx = *context_slot(self);
  pushed_ = ctx && gst_cuda_context_push(ctx);
}

CudaContextScope::~CudaContextScope() {
  if (pushed_) gst_cuda_context_pop(nullptr);
}

bool vsr_caps_are_cuda_memory(GstCaps* caps) {
  if (!caps || gst_caps_is_empty(caps)) return false;
  GstCapsFeatures* f = gst_caps_get_features(caps, 0);
  return f && gst_caps_features_contains(f, GST_CAPS_FEATURE_MEMORY_CUDA_MEMORY);
}

GstCaps* vsr_caps_without_cuda_memory(GstCaps* caps) {
  caps = gst_caps_make_writable(caps);
  for (guint i = gst_caps_get_size(caps); i-- > 0;) {
    GstCapsFeatures* f = gst_caps_get_features(caps, i);
    if (f && gst_caps_features_contains(f, GST_CAPS_FEATURE_MEMORY_CUDA_MEMORY)) gst_caps_remove_structure(caps, i);
  }
  return caps;
}

namespace {

// A CUDA pool for `caps` in the element's context, with the video meta (planes' strides).
GstBufferPool* cuda_pool_for(GstVsrUpscale* self, GstCaps* caps, guint* size) {
  GstCudaContext* ctx = *context_slot(self);
  GstVideoInfo info;
  if (!ctx || !gst_video_info_from_caps(&info, caps)) return nullptr;
  GstBufferPool* pool = gst_cuda_buffer_pool_new(ctx);
  GstStructure* config = gst_buffer_pool_get_config(pool);
  *size = static_cast<guint>(GST_VIDEO_INFO_SIZE(&info));
  gst_buffer_pool_config_set_params(config, caps, *size, 0, 0);
  gst_buffer_pool_config_add_option(config, GST_BUFFER_POOL_OPTION_VIDEO_META);
  if (!gst_buffer_pool_set_config(pool, config)) {
    gst_object_unref(pool);
    return nullptr;
  }
  // The pool may round the size up (pitch alignment): read it back.
  config = gst_buffer_pool_get_config(pool);
  gst_buffer_pool_config_get_params(config, nullptr, size, nullptr, nullptr);
  gst_structure_free(config);
  return pool;
}

}  // namespace

bool vsr_cuda_propose_allocation(GstVsrUpscale* self, GstQuery* query) {
  GstCaps* caps = nullptr;
  gst_query_parse_allocation(query, &caps, nullptr);
  if (!vsr_caps_are_cuda_memory(caps)) return false;
  if (gst_query_get_n_allocation_pools(query) == 0) {
    guint size = 0;
    if (GstBufferPool* pool = cuda_pool_for(self, caps, &size)) {
      gst_query_add_allocation_pool(query, pool, size, 0, 0);
      gst_object_unref(pool);
    }
  }
  gst_query_add_allocation_meta(query, GST_VIDEO_META_API_TYPE, nullptr);
  return true;
}

bool vsr_cuda_decide_allocation(GstVsrUpscale* self, GstQuery* query) {
  GstCaps* caps = nullptr;
  gst_query_parse_allocation(query, &caps, nullptr);
  if (!vsr_caps_are_cuda_memory(caps)) return false;
  GstBufferPool* pool = nullptr;
  guint size = 0, min = 0, max = 0;
  if (gst_query_get_n_allocation_pools(query) > 0) gst_query_parse_nth_allocation_pool(query, 0, &pool, &size, &min, &max);
  // Only a CUDA pool of our own context gives buffers the engine can write in place.
  if (pool && (!GST_IS_CUDA_BUFFER_POOL(pool) || GST_CUDA_BUFFER_POOL(pool)->context != *context_slot(self)))
    gst_clear_object(&pool);
  if (!pool) pool = cuda_pool_for(self, caps, &size);
  if (!pool) return false;
  if (gst_query_get_n_allocation_pools(query) > 0)
    gst_query_set_nth_allocation_pool(query, 0, pool, size, min, max);
  else
    gst_query_add_allocation_pool(query, pool, size, min, max);
  gst_object_unref(pool);
  return true;
}

#else  // no gst-cuda in this build: system memory only

const char* vsr_cuda_caps_feature() { return ""; }
GstMapFlags vsr_cuda_map_flag() { return static_cast<GstMapFlags>(0); }
bool vsr_cuda_memory_built() { return false; }
bool vsr_cuda_ensure_context(GstVsrUpscale*, int) { return false; }
void vsr_cuda_release_context(GstVsrUpscale*) {}
void vsr_cuda_set_context(GstVsrUpscale*, GstContext*, int) {}
bool vsr_cuda_handle_context_query(GstVsrUpscale*, GstQuery*) { return false; }
CudaContextScope::CudaContextScope(GstVsrUpscale*) {}
CudaContextScope::~CudaContextScope() {}
bool vsr_caps_are_cuda_memory(GstCaps*) { return false; }
GstCaps* vsr_caps_without_cuda_memory(GstCaps* caps) { return caps; }
bool vsr_cuda_propose_allocation(GstVsrUpscale*, GstQuery*) { return false; }
bool vsr_cuda_decide_allocation(GstVsrUpscale*, GstQuery*) { return false; }

#endif
