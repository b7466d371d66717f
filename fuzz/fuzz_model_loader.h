// The model loader's fuzz entry point (fuzz_model_loader.cpp), shared by the libFuzzer binary and
// vsr_fuzz_replay.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace vsr::fuzz {

// Loads the bytes as a model, builds its plan and runs the engine's load-time probe. Returns "" when
// the probe ran (or was skipped for a large fixed input), else the vsr::Error's message. Any other
// exception escapes: that is a finding.
std::string load_and_probe(const uint8_t* data, size_t size);

}  // namespace vsr::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
