// The backend and precision properties vsrupscale and vsrinterpolate share: their GEnum types (what
// gst-inspect-1.0 lists) and how each value is spelt in vsr::EngineOptions.
#pragma once
#include <glib-object.h>

enum class Backend { Auto, Cpu, Cuda };
enum class Precision { Auto, Fp32, Fp16 };

GType vsr_backend_get_type();
GType vsr_precision_get_type();

const char* engine_backend(Backend backend);        // "auto", "cpu", "cuda"
const char* engine_precision(Precision precision);  // "auto", "fp32", "fp16"
