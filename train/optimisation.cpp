#include "optimisation.h"

#include <cmath>

namespace vsr::train {

torch::Tensor pixel_loss(const std::string& name, const torch::Tensor& pred, const torch::Tensor& target) {
  if (name == "mse") return torch::mse_loss(pred, target);
  if (name == "charbonnier") return torch::sqrt((pred - target).pow(2) + 1e-6).mean();  // eps = 1e-3
  return torch::l1_loss(pred, target);
}

double set_cosine_learning_rate(torch::optim::Adam& optimizer, double initial, int iteration, int iterations) {
  const double lr = initial * (0.01 + 0.99 * 0.5 * (1.0 + std::cos(M_PI * iteration / iterations)));
  for (auto& g : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
  return lr;
}

}  // namespace vsr::train
