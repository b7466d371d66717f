// What both trainers (trainer.cpp, interp_trainer.cpp) do at each iteration: the pixel loss named in
// their options, and Adam's learning rate on a cosine decay to 1% of the initial rate over the run.
#pragma once
#include <torch/torch.h>

#include <string>

namespace vsr::train {

// "mse", "charbonnier" (eps 1e-3), otherwise L1; the caller's options check has refused other names.
torch::Tensor pixel_loss(const std::string& name, const torch::Tensor& pred, const torch::Tensor& target);

// The cosine-decayed rate at `iteration` of `iterations`, set on every parameter group; returned.
double set_cosine_learning_rate(torch::optim::Adam& optimizer, double initial, int iteration, int iterations);

}  // namespace vsr::train
