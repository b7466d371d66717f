#include "losses.h"

#include <cmath>

namespace vsr::train {
namespace F = torch::nn::functional;

torch::Tensor reduce(const torch::Tensor& terms, const LossWeight& w) {
  return (w.reduction == Reduction::Sum ? terms.sum() : terms.mean()) * w.weight;
}

torch::Tensor pixel_mse_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w) {
  return reduce((pred - target).pow(2), w);
}

torch::Tensor pixel_l1_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w) {
  return reduce((pred - target).abs(), w);
}

torch::Tensor charbonnier_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w, double eps) {
  return reduce(torch::sqrt((pred - target).pow(2) + eps * eps), w);
}

torch::Tensor ssim_map(const torch::Tensor& a, const torch::Tensor& b) {
  const int64_t channels = a.size(1);
  const auto x = torch::arange(11, a.options()) - 5.0;
  auto g = torch::exp(-x.pow(2) / (2 * 1.5 * 1.5));
  g = g / g.sum();
  // One depthwise 11x11 Gaussian per channel, 'valid' as the metric (eval/metrics.h) computes it.
  const auto window = torch::outer(g, g).expand({channels, 1, 11, 11}).contiguous();
  auto blur = [&](const torch::Tensor& t) { return F::conv2d(t, window, F::Conv2dFuncOptions().groups(channels)); };
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  const auto mu_a = blur(a), mu_b = blur(b);
  const auto var_a = blur(a * a) - mu_a * mu_a, var_b = blur(b * b) - mu_b * mu_b, cov = blur(a * b) - mu_a * mu_b;
  return ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a * mu_a + mu_b * mu_b + c1) * (var_a + var_b + c2));
}

torch::Tensor ssim_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w) {
  return reduce(1.0 - ssim_map(pred, target), w);
}

torch::Tensor gradient_magnitude(const torch::Tensor& image) {
  const auto padded = F::pad(image, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate));
  const int64_t h = image.size(2), w = image.size(3);
  const auto dx = (padded.slice(3, 2, w + 2) - padded.slice(3, 0, w)).slice(2, 1, h + 1) * 0.5;
  const auto dy = (padded.slice(2, 2, h + 2) - padded.slice(2, 0, h)).slice(3, 1, w + 1) * 0.5;
  return torch::sqrt(dx * dx + dy * dy + 1e-6);
}

torch::Tensor gradient_profile_loss(const torch::Tensor& pred, const torch::Tensor& target, const LossWeight& w) {
  return reduce((gradient_magnitude(pred) - gradient_magnitude(target)).abs(), w);
}

torch::Tensor gram_matrix(const torch::Tensor& features) {
  const int64_t n = features.size(0), c = features.size(1), hw = features.size(2) * features.size(3);
  const auto f = features.reshape({n, c, hw});
  return torch::bmm(f, f.transpose(1, 2)) / static_cast<double>(c * hw);
}

torch::Tensor gram_loss(const torch::Tensor& pred_features, const torch::Tensor& target_features, const LossWeight& w) {
  return reduce((gram_matrix(pred_features) - gram_matrix(target_features)).pow(2), w);
}

namespace {
// Binary cross-entropy of logits against an all-ones or all-zeros label, per element.
torch::Tensor bce(const torch::Tensor& logits, bool label) {
  return F::binary_cross_entropy_with_logits(logits, label ? torch::ones_like(logits) : torch::zeros_like(logits),
                                             F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
}
}  // namespace

torch::Tensor ragan_discriminator_loss(const torch::Tensor& real_logits, const torch::Tensor& fake_logits, const LossWeight& w) {
  const auto real_vs_fake = real_logits - fake_logits.mean(), fake_vs_real = fake_logits - real_logits.mean();
  return reduce((bce(real_vs_fake, true) + bce(fake_vs_real, false)) * 0.5, w);
}

torch::Tensor ragan_generator_loss(const torch::Tensor& real_logits, const torch::Tensor& fake_logits, const LossWeight& w) {
  const auto real_vs_fake = real_logits - fake_logits.mean(), fake_vs_real = fake_logits - real_logits.mean();
  return reduce((bce(real_vs_fake, false) + bce(fake_vs_real, true)) * 0.5, w);
}

torch::Tensor dual_regression_loss(const torch::Tensor& dual_lr, const torch::Tensor& lr, const LossWeight& w) {
  return pixel_l1_loss(dual_lr, lr, w);
}

torch::Tensor warp(const torch::Tensor& image, const torch::Tensor& flow) {
  const int64_t h = image.size(2), w = image.size(3);
  const auto ys = torch::arange(h, image.options()).view({1, h, 1}).expand({1, h, w});
  const auto xs = torch::arange(w, image.options()).view({1, 1, w}).expand({1, h, w});
  // grid_sample's normalised coordinates with align_corners: -1 and 1 are the outer pixel centres.
  const auto gx = (xs + flow.select(1, 0)) * (2.0 / std::max<int64_t>(w - 1, 1)) - 1.0;
  const auto gy = (ys + flow.select(1, 1)) * (2.0 / std::max<int64_t>(h - 1, 1)) - 1.0;
  return F::grid_sample(image, torch::stack({gx, gy}, 3),
                        F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(true));
}

torch::Tensor temporal_warp_loss(const torch::Tensor& current, const torch::Tensor& previous, const torch::Tensor& flow,
                                 const LossWeight& w) {
  const int64_t h = current.size(2), wd = current.size(3);
  const auto sx = torch::arange(wd, current.options()).view({1, 1, wd}) + flow.select(1, 0);
  const auto sy = torch::arange(h, current.options()).view({1, h, 1}) + flow.select(1, 1);
  const auto inside = ((sx >= 0) & (sx <= wd - 1) & (sy >= 0) & (sy <= h - 1)).unsqueeze(1).to(current.dtype());
  const auto error = (warp(previous, flow) - current).abs() * inside;
  // The mean counts only the pixels that have a source; a sum is a sum either way.
  if (w.reduction == Reduction::Sum) return error.sum() * w.weight;
  const auto counted = (inside.sum() * current.size(1)).clamp_min(1.0);
  return error.sum() / counted * w.weight;
}

}  // namespace vsr::train
