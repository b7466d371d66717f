// CDC's component masks (Wei et al. 2020): each HR pixel is flat, edge or corner by the Harris
// response R = det(M) - 0.04 trace(M)^2 of its structure tensor M (Sobel gradients of BT.601 luma,
// products smoothed by a 5x5 Gaussian of sigma 1, edges replicated). R above the threshold is a
// corner, below minus the threshold an edge, the rest flat; the threshold is 1% of the image's largest
// |R| (Harris's usual relative rule) but never under 1e-7, so sensor-level noise in a flat image stays
// flat. The masks supervise CDC's component branches (cdc.h).
#pragma once
#include <torch/torch.h>

namespace vsr::train {

// rgb: N x 3 x H x W in [0, 1]. Returns the response R, N x 1 x H x W.
torch::Tensor harris_response(const torch::Tensor& rgb);
// Returns N x 3 x H x W one-hot masks (channel 0 flat, 1 edge, 2 corner), no gradient.
torch::Tensor harris_components(const torch::Tensor& rgb);

}  // namespace vsr::train
