// 8-bit RGB images to and from the trainers' tensors (1 x 3 x H x W, float in [0, 1]), for
// validation: the tensor goes to the model's device, the image comes back from any device and dtype.
#pragma once
#include <torch/torch.h>

#include "eval/image.h"

namespace vsr::train {

torch::Tensor image_to_tensor(const Image8& image, const torch::Device& device = torch::kCPU);
// Clamped to [0, 1] and rounded, as the engine writes 8-bit output.
Image8 tensor_to_image(const torch::Tensor& tensor);

}  // namespace vsr::train
