// The backend, device-id and precision properties vsrupscale and vsrinterpolate share: their GEnum
// types (what gst-inspect-1.0 lists), their installation, and how each value is spelt in
// vsr::EngineOptions.
#pragma once
#include <glib-object.h>

enum class Backend { Auto, Cpu, Cuda };
enum class Precision { Auto, Fp32, Fp16 };

GType vsr_backend_get_type();
GType vsr_precision_get_type();

// Installs "backend", "device-id" and "precision" under the given property ids with `flags`, and marks
// the two enum types as plugin API (gst-inspect documents them).
void install_engine_properties(GObjectClass* klass, guint backend_id, guint device_id, guint precision_id,
                               GParamFlags flags);

const char* engine_backend(Backend backend);        // "auto", "cpu", "cuda"
const char* engine_precision(Precision precision);  // "auto", "fp32", "fp16"
