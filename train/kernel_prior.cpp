#include "kernel_prior.h"

#include <cmath>
#include <filesystem>
#include <iostream>

#include "checkpoint_io.h"
#include "optimisation.h"
#include "train/degrade/pipeline.h"
#include "vsr/error.h"

namespace vsr::train {
namespace {

// Kernel taps are 0 in the tails: the flow works on log(tap + floor), which the inverse undoes.
constexpr double kTapFloor = 1e-4;

torch::Tensor kernels_tensor(const std::vector<degrade::Kernel>& kernels) {
  const int64_t d = static_cast<int64_t>(kernels.front().w.size());
  torch::Tensor t = torch::empty({static_cast<int64_t>(kernels.size()), d});
  for (size_t i = 0; i < kernels.size(); ++i)
    t[static_cast<int64_t>(i)].copy_(torch::from_blob(const_cast<float*>(kernels[i].w.data()), {d}, torch::kFloat32));
  return t;
}

torch::Tensor family_batch(const KernelPriorOptions& o, std::mt19937_64& rng, int n) {
  std::vector<degrade::Kernel> kernels;
  for (int i = 0; i < n; ++i) kernels.push_back(sample_family_kernel(o, rng));
  return kernels_tensor(kernels);
}

}  // namespace

KernelPriorOptions kernel_prior_for_scale(int scale) {
  KernelPriorOptions o;
  o.size = 4 * scale + 3;
  o.max_sigma = (o.size - 1) / 5.0;
  return o;
}

degrade::Kernel sample_family_kernel(const KernelPriorOptions& o, std::mt19937_64& rng) {
  return degrade::random_blur_kernel(o.size, o.max_sigma, rng);
}

KernelFlowImpl::KernelFlowImpl(const KernelPriorOptions& o) : options_(o) {
  const int64_t d = static_cast<int64_t>(o.size) * o.size;
  mean_ = register_buffer("mean", torch::zeros({d}));
  log_std_ = register_buffer("log_std", torch::zeros({d}));
  scale_ = register_parameter("scale", torch::ones({o.couplings}));
  const torch::Tensor parity = torch::arange(d).remainder(2).to(torch::kFloat32);
  for (int i = 0; i < o.couplings; ++i) {
    auto last = torch::nn::Linear(o.hidden, 2 * d);
    // Zero output: every coupling starts as the identity, so training starts from the standardised data.
    torch::nn::init::zeros_(last->weight);
    torch::nn::init::zeros_(last->bias);
    nets_.push_back(register_module("coupling" + std::to_string(i),
                                    torch::nn::Sequential(torch::nn::Linear(d, o.hidden), torch::nn::ReLU(),
                                                          torch::nn::Linear(o.hidden, o.hidden), torch::nn::ReLU(), last)));
    masks_.push_back(i % 2 == 0 ? parity : 1.0 - parity);  // alternate which half is transformed
  }
}

torch::Tensor KernelFlowImpl::to_input(const torch::Tensor& kernels) const { return torch::log(kernels + kTapFloor); }

torch::Tensor KernelFlowImpl::to_kernel(const torch::Tensor& input) const {
  const torch::Tensor taps = torch::relu(torch::exp(input) - kTapFloor);
  return taps / taps.sum(1, true).clamp_min(1e-12);
}

void KernelFlowImpl::standardise_from(const torch::Tensor& inputs) {
  torch::NoGradGuard no_grad;
  mean_.copy_(inputs.mean(0));
  log_std_.copy_(torch::log(inputs.std(0).clamp_min(1e-3)));
}

std::pair<torch::Tensor, torch::Tensor> KernelFlowImpl::forward(const torch::Tensor& x) {
  torch::Tensor h = (x - mean_) * torch::exp(-log_std_);
  torch::Tensor log_det = (-log_std_.sum()).expand({x.size(0)}).clone();
  const int64_t d = x.size(1);
  for (size_t i = 0; i < nets_.size(); ++i) {
    const torch::Tensor& m = masks_[i];
    const auto st = nets_[i]->forward(h * m);
    const torch::Tensor s = torch::tanh(st.slice(1, 0, d)) * scale_[static_cast<int64_t>(i)] * (1 - m), t = st.slice(1, d) * (1 - m);
    h = h * m + (1 - m) * (h * torch::exp(s) + t);
    log_det = log_det + s.sum(1);
  }
  return {h, log_det};
}

torch::Tensor KernelFlowImpl::inverse(const torch::Tensor& z) {
  torch::Tensor h = z;
  const int64_t d = z.size(1);
  for (size_t i = nets_.size(); i-- > 0;) {
    const torch::Tensor& m = masks_[i];
    const auto st = nets_[i]->forward(h * m);  // the untouched half is the same on both sides
    const torch::Tensor s = torch::tanh(st.slice(1, 0, d)) * scale_[static_cast<int64_t>(i)] * (1 - m), t = st.slice(1, d) * (1 - m);
    h = h * m + (1 - m) * ((h - t) * torch::exp(-s));
  }
  return h * torch::exp(log_std_) + mean_;
}

torch::Tensor KernelFlowImpl::log_likelihood(const torch::Tensor& kernels) {
  const auto [z, log_det] = forward(to_input(kernels));
  return -0.5 * z.pow(2).sum(1) - 0.5 * static_cast<double>(z.size(1)) * std::log(2 * M_PI) + log_det;
}

void train_kernel_prior(KernelFlow& flow, std::ostream* log) {
  const KernelPriorOptions& o = flow->options();
  std::mt19937_64 rng(o.seed);
  torch::manual_seed(o.seed);
  flow->standardise_from(flow->to_input(family_batch(o, rng, 2048)));
  torch::optim::Adam optimizer(flow->parameters(), torch::optim::AdamOptions(1e-3));
  double sum = 0.0;
  int count = 0;
  for (int step = 0; step < o.steps; ++step) {
    const torch::Tensor nll = -flow->log_likelihood(family_batch(o, rng, o.batch)).mean();
    optimizer.zero_grad();
    nll.backward();
    optimizer.step();
    sum += nll.item<double>();
    ++count;
    if (log && ((step + 1) % 250 == 0 || step + 1 == o.steps)) {
      *log << "kernel prior step " << step + 1 << "/" << o.steps << ": negative log likelihood " << sum / count << std::endl;
      sum = 0.0;
      count = 0;
    }
  }
}

KernelFlow cached_kernel_prior(const KernelPriorOptions& o, const std::string& cache) {
  KernelFlow flow(o);
  if (std::filesystem::exists(cache)) {
    try {
      load_module(*flow, cache);
      return flow;
    } catch (const std::exception& e) {
      std::cout << "the kernel prior in " << cache << " is not one of these options (" << e.what() << "); training a new one" << std::endl;
      flow = KernelFlow(o);
    }
  }
  std::cout << "training the kernel prior (" << o.size << "x" << o.size << " kernels, " << o.steps << " steps)" << std::endl;
  train_kernel_prior(flow, &std::cout);
  save_atomically(cache, [&](const std::string& p) { save_module(*flow, p); });
  return flow;
}

torch::Tensor kernel_covariance(const torch::Tensor& kernels, int size) {
  const torch::Tensor coords = torch::arange(size, kernels.options()) - (size - 1) / 2.0;
  const torch::Tensor x = coords.repeat({size}), y = coords.repeat_interleave(size);  // row-major: x = column
  const torch::Tensor mx = (kernels * x).sum(1, true), my = (kernels * y).sum(1, true);
  const torch::Tensor dx = x - mx, dy = y - my;
  return torch::stack({(kernels * dx * dx).sum(1), (kernels * dx * dy).sum(1), (kernels * dy * dy).sum(1)}, 1);
}

degrade::Kernel fit_kernel_to_blur(KernelFlow& flow, const degrade::OrientedBlur& target, int steps) {
  const int size = flow->options().size;
  const int64_t d = static_cast<int64_t>(size) * size;
  std::vector<double> rows, values, weights;
  for (int b = 0; b < degrade::kOrientations; ++b) {
    if (target.edges[b] == 0) continue;
    const std::array<double, 3> row = degrade::orientation_row(b);
    rows.insert(rows.end(), row.begin(), row.end());
    values.push_back(target.variance[b]);
    weights.push_back(std::sqrt(static_cast<double>(target.edges[b])));
  }
  if (values.empty()) throw Error("kernel prior: no measured edge orientation to fit a kernel to");
  const int64_t n = static_cast<int64_t>(values.size());
  const torch::Tensor projection = torch::tensor(rows, torch::kFloat64).to(torch::kFloat32).view({n, 3});
  const torch::Tensor wanted = torch::tensor(values, torch::kFloat64).to(torch::kFloat32);
  torch::Tensor w = torch::tensor(weights, torch::kFloat64).to(torch::kFloat32);
  w = w / w.sum();
  for (auto& p : flow->parameters()) p.set_requires_grad(false);
  torch::Tensor z = torch::zeros({1, d}, torch::requires_grad());
  torch::optim::Adam optimizer({z}, torch::optim::AdamOptions(0.05));
  // A light prior term: at 1e-2 it outweighed misses of 0.05 px^2 in the variances, so where the fit
  // stopped depended on the prior's last bits (which differ run to run when it trains on several
  // threads), and two loaded runs in twelve missed the measured covariance by 0.1 to 0.2.
  constexpr double kPriorWeight = 1e-3;  // per latent dimension: -log p(z) = |z|^2 / 2 + const
  for (int step = 0; step < steps; ++step) {
    // Cosine decay: the last steps settle on the minimum instead of circling it at the full step size.
    set_cosine_learning_rate(optimizer, 0.05, step, steps);
    const torch::Tensor kernel = flow->to_kernel(flow->inverse(z));
    const torch::Tensor predicted = projection.matmul(kernel_covariance(kernel, size).squeeze(0));
    const torch::Tensor loss = (w * (predicted - wanted).pow(2)).sum() + kPriorWeight * 0.5 * z.pow(2).mean();
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  for (auto& p : flow->parameters()) p.set_requires_grad(true);
  torch::NoGradGuard no_grad;
  const torch::Tensor kernel = flow->to_kernel(flow->inverse(z)).squeeze(0).contiguous();
  degrade::Kernel out;
  out.size = size;
  out.w.assign(kernel.data_ptr<float>(), kernel.data_ptr<float>() + d);
  return out;
}

}  // namespace vsr::train
