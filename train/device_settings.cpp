#include "device_settings.h"

#include <regex>

#include "vsr/error.h"

namespace vsr::train {

void check_device_settings(const std::string& device, const std::string& precision) {
  if (!std::regex_match(device, std::regex("cpu|cuda(:[0-9]+)?")))
    throw Error("setting 'device' is '" + device + "'; expected cpu, cuda or cuda:N");
  if (precision != "fp32" && precision != "bf16" && precision != "fp16")
    throw Error("setting 'precision' is '" + precision + "'; expected fp32, bf16 or fp16");
  if (precision == "fp16" && device == "cpu")
    throw Error("setting 'precision' fp16 autocast runs on CUDA GPUs; on the CPU use bf16 (or device 'cuda')");
}

}  // namespace vsr::train
