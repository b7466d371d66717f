// The `device` and `precision` settings that every vsr-train trainer (images, video, interpolation)
// takes, checked with the rest of a config before anything is loaded. Torch-free, as the config
// checks are; the run resolves the device and sets up autocast with mixed_precision.h.
#pragma once
#include <string>

namespace vsr::train {

// device: cpu | cuda | cuda:N; precision: fp32 | bf16 | fp16 (fp16 only on CUDA). Throws vsr::Error
// naming setting 'device' or 'precision'. Whether this LibTorch has CUDA is checked when the run
// starts (training_device), where the answer is known.
void check_device_settings(const std::string& device, const std::string& precision);

}  // namespace vsr::train
