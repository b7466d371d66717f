#include "harris.h"

#include <cmath>

namespace vsr::train {
namespace {
namespace F = torch::nn::functional;

// 'same' 2-D filtering of N x 1 x H x W with the edges replicated.
torch::Tensor filter(const torch::Tensor& x, const torch::Tensor& kernel) {
  const int64_t r = kernel.size(-1) / 2;
  return F::conv2d(F::pad(x, F::PadFuncOptions({r, r, r, r}).mode(torch::kReplicate)), kernel);
}

torch::Tensor gaussian5(const torch::TensorOptions& options) {
  auto g = torch::empty({5}, torch::kFloat64);
  for (int i = 0; i < 5; ++i) g[i] = std::exp(-0.5 * (i - 2) * (i - 2));
  g = g / g.sum();
  return torch::outer(g, g).to(options).view({1, 1, 5, 5});
}

}  // namespace

torch::Tensor harris_response(const torch::Tensor& rgb) {
  torch::NoGradGuard no_grad;
  const auto options = rgb.options();
  const auto y = (rgb.select(1, 0) * 0.299 + rgb.select(1, 1) * 0.587 + rgb.select(1, 2) * 0.114).unsqueeze(1);
  const auto sobel_x = torch::tensor({-1.0f, 0.0f, 1.0f, -2.0f, 0.0f, 2.0f, -1.0f, 0.0f, 1.0f}, options).view({1, 1, 3, 3}) / 8.0;
  const auto ix = filter(y, sobel_x), iy = filter(y, sobel_x.transpose(2, 3).contiguous());
  const auto g = gaussian5(options);
  const auto a = filter(ix * ix, g), b = filter(iy * iy, g), c = filter(ix * iy, g);
  return a * b - c * c - 0.04 * (a + b) * (a + b);
}

torch::Tensor harris_components(const torch::Tensor& rgb) {
  torch::NoGradGuard no_grad;
  const auto r = harris_response(rgb);
  const auto threshold = std::get<0>(r.abs().flatten(1).max(1)).mul(0.01).clamp_min(1e-7).view({-1, 1, 1, 1});
  const auto corner = r > threshold, edge = r < -threshold;
  const auto flat = ~(corner | edge);
  return torch::cat({flat, edge, corner}, 1).to(rgb.scalar_type());
}

}  // namespace vsr::train
