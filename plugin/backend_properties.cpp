#include "backend_properties.h"

#include <gst/gst.h>

GType vsr_backend_get_type() {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(Backend::Auto), "The best backend this build and machine have", "auto"},
      {static_cast<gint>(Backend::Cpu), "The CPU (oneDNN)", "cpu"},
      {static_cast<gint>(Backend::Cuda), "CUDA/cuDNN on an NVIDIA GPU (refused, by name, where the build or machine has none)",
       "cuda"},
      {0, nullptr, nullptr}};
  if (g_once_init_enter(&type)) g_once_init_leave(&type, g_enum_register_static("GstVsrBackend", values));
  return type;
}

GType vsr_precision_get_type() {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(Precision::Auto), "fp16 on CUDA, fp32 on the CPU", "auto"},
      {static_cast<gint>(Precision::Fp32), "32-bit float", "fp32"},
      {static_cast<gint>(Precision::Fp16), "16-bit float (CUDA only)", "fp16"},
      {0, nullptr, nullptr}};
  if (g_once_init_enter(&type)) g_once_init_leave(&type, g_enum_register_static("GstVsrPrecision", values));
  return type;
}

void install_engine_properties(GObjectClass* klass, guint backend_id, guint device_id, guint precision_id,
                               GParamFlags flags) {
  g_object_class_install_property(klass, backend_id,
                                  g_param_spec_enum("backend", "Backend", "Where the network runs", vsr_backend_get_type(),
                                                    static_cast<gint>(Backend::Auto), flags));
  g_object_class_install_property(
      klass, device_id, g_param_spec_int("device-id", "Device id", "CUDA device index (backend cuda or auto)", 0, 63, 0, flags));
  g_object_class_install_property(klass, precision_id,
                                  g_param_spec_enum("precision", "Precision", "Arithmetic the network runs in",
                                                    vsr_precision_get_type(), static_cast<gint>(Precision::Auto), flags));
  gst_type_mark_as_plugin_api(vsr_backend_get_type(), static_cast<GstPluginAPIFlags>(0));
  gst_type_mark_as_plugin_api(vsr_precision_get_type(), static_cast<GstPluginAPIFlags>(0));
}

const char* engine_backend(Backend backend) {
  return backend == Backend::Cpu ? "cpu" : backend == Backend::Cuda ? "cuda" : "auto";
}

const char* engine_precision(Precision precision) {
  return precision == Precision::Fp32 ? "fp32" : precision == Precision::Fp16 ? "fp16" : "auto";
}
