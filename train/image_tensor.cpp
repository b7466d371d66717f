#include "image_tensor.h"

namespace vsr::train {

torch::Tensor image_to_tensor(const Image8& image, const torch::Device& device) {
  auto t = torch::from_blob(const_cast<uint8_t*>(image.pixels.data()), {image.height, image.width, 3}, torch::kUInt8);
  return t.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div(255.0).contiguous().to(device);
}

Image8 tensor_to_image(const torch::Tensor& tensor) {
  auto u = tensor.to(torch::kCPU, torch::kFloat32).squeeze(0).clamp(0.0, 1.0).mul(255.0).round().to(torch::kUInt8)
               .permute({1, 2, 0}).contiguous();
  Image8 image{static_cast<int>(u.size(1)), static_cast<int>(u.size(0)), 3, {}};
  image.pixels.assign(u.data_ptr<uint8_t>(), u.data_ptr<uint8_t>() + u.numel());
  return image;
}

}  // namespace vsr::train
