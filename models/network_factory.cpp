// Which backend runs a model: the options are checked here, by name, and everything this build or
// machine cannot do is refused with the reason.
#include "execution_plan.h"
#include "network.h"
#include "vsr/error.h"
#ifdef VSR_WITH_CUDA
#include "cuda_network.h"
#include "kernels/cuda/cuda_runtime.h"
#endif

namespace vsr {

bool out_of_device_memory(const std::exception& e) {
  const std::string m = e.what();
  return m.find("cudaErrorMemoryAllocation") != std::string::npos || m.find("CUDNN_STATUS_ALLOC_FAILED") != std::string::npos;
}

std::unique_ptr<Network> make_network(const Graph& g, const EngineOptions& o) {
  const std::string where = "model '" + g.path + "': ";
  if (o.backend != "auto" && o.backend != "cpu" && o.backend != "cuda")
    throw Error(where + "backend '" + o.backend + "' is not one of auto, cpu, cuda");
  if (o.device_id < 0) throw Error(where + "device id " + std::to_string(o.device_id) + " is negative");
  if (o.precision != "auto" && o.precision != "fp32" && o.precision != "fp16")
    throw Error(where + "precision '" + o.precision + "' is not one of auto, fp32, fp16");
  // "auto" stays on the CPU until the CUDA backend has been verified on a GPU (issue 11): a pipeline
  // that works today must not move to an unverified path by itself. backend=cuda asks for it.
  if (o.backend == "cuda") {
    const std::string unavailable = where + "backend 'cuda' (device " + std::to_string(o.device_id) + ") is not available: ";
#ifdef VSR_WITH_CUDA
    std::string why;
    if (!cuda::device_available(&why)) throw Error(unavailable + why);
    return make_cuda_network(g, o);
#else
    throw Error(unavailable + "this build of vsr has no CUDA engine (nvcc was not found when it was built)");
#endif
  }
  if (o.precision == "fp16")
    throw Error(where + "precision fp16 needs the CUDA backend; the CPU engine computes in fp32 (use precision auto or fp32)");
  return std::make_unique<ExecutionPlan>(g, o.use_onednn);
}

}  // namespace vsr
