// Fuzz entry point for the model loader: bytes -> Graph (protobuf parse, ONNX checker, vsr's own
// bounds) -> ExecutionPlan (op builders, constant folding) -> the load-time probe Engine::open runs.
// Every input must end in a model that ran the probe or in a vsr::Error. Anything else is a finding:
// a crash, a sanitizer report, another exception type (it escapes and aborts), an allocation over
// libFuzzer's -malloc_limit_mb, or a run over -timeout.
#include "fuzz_model_loader.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "kernels/cpu/tensor.h"
#include "model_mutator.h"
#include "models/execution_plan.h"
#include "models/graph.h"
#include "vsr/error.h"

namespace {

// Fixed inputs larger than this skip the probe (3 x 52 x 52 still runs): the loader and plan still
// run on them, but a legitimate network at a large fixed size takes seconds under ASan, which
// libFuzzer reports as a timeout without finding anything.
constexpr int64_t kMaxFuzzProbeValues = int64_t(1) << 13;

// The probe of Engine::open (models/engine.cpp): 1 x C x H x W at the input's fixed size, 16 where
// H or W is symbolic, filled with a ramp.
void run_probe(vsr::ExecutionPlan& plan, const vsr::Graph& g) {
  const int64_t c = g.input_shape[1];
  if (c < 1 || c > 45) return;  // Engine::open refuses these channel counts before its probe
  const int64_t h = g.input_shape[2] > 0 ? g.input_shape[2] : 16, w = g.input_shape[3] > 0 ? g.input_shape[3] : 16;
  if (c * h * w > kMaxFuzzProbeValues) return;  // no overflow: the loader bounds C x H x W by 2^26
  vsr::cpu::Tensor probe;
  probe.resize({1, c, h, w});
  for (size_t i = 0; i < probe.data.size(); ++i) probe.data[i] = static_cast<float>(i % 97) / 97.0f;
  const vsr::cpu::Tensor& out = plan.run(probe);
  // The frame path reads numel() values from the output: storage that disagrees with the shape is a
  // bug even when nothing crashed yet.
  const size_t stored = out.is_int ? out.ints.size() : out.data.size();
  if (static_cast<int64_t>(stored) != out.numel()) {
    std::fprintf(stderr, "probe output %s holds %zu values\n", vsr::cpu::shape_string(out.shape).c_str(), stored);
    std::abort();
  }
}

}  // namespace

std::string vsr::fuzz::load_and_probe(const uint8_t* data, size_t size) {
  try {
    const Graph g = load_onnx_graph_from_memory(data, size, "fuzz-input.onnx");
    // Both backends: the last byte picks (the fuzzer can steer it; it rarely matters to the parse).
    const bool use_onednn = (data[size - 1] & 1) != 0;
    ExecutionPlan plan(g, use_onednn);
    run_probe(plan, g);
  } catch (const Error& e) {
    return e.what();  // the expected way for a bad model to end
  }
  return "";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vsr::fuzz::load_and_probe(data, size);
  return 0;
}

#ifdef VSR_FUZZ_LIBFUZZER
// libFuzzer's own byte-level mutations, and ours on the parsed model half of the time (they keep the
// protobuf framing intact, so the input gets past the parser to the checks worth fuzzing).
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::mt19937 rng(seed);
  std::string out;
  if (rng() % 2 &&
      vsr::fuzz::mutate_model(std::string(reinterpret_cast<const char*>(data), size), rng, out) &&
      out.size() <= max_size) {
    std::memcpy(data, out.data(), out.size());
    return out.size();
  }
  return LLVMFuzzerMutate(data, size, max_size);
}
#endif
