// FKP's learned kernel prior (train/kernel_prior.h): the flow is invertible with the log-determinant
// it reports, a short maximum-likelihood training prefers the family's kernels to others, and the
// per-image fit recovers a kernel whose covariance explains the measured edges.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "train/kernel_prior.h"
#include "train/trainer.h"
#include "vsr/engine.h"
#include "vsr/error.h"

namespace fs = std::filesystem;
using vsr::train::KernelFlow;
using vsr::train::KernelPriorOptions;

namespace {

KernelPriorOptions small_prior() {
  KernelPriorOptions o;
  o.size = 7;
  o.max_sigma = 1.4;
  o.couplings = 4;
  o.hidden = 64;
  o.steps = 600;
  o.batch = 64;
  o.seed = 3;
  return o;
}

// The trained small prior, once for the tests that need one.
KernelFlow& trained_prior() {
  static KernelFlow flow = [] {
    KernelFlow f(small_prior());
    vsr::train::train_kernel_prior(f);
    return f;
  }();
  return flow;
}

TEST(KernelPrior, TheFlowInvertsWithTheLogDeterminantItReports) {
  KernelPriorOptions o = small_prior();
  o.size = 3;  // 9 dimensions: the Jacobian by autograd is cheap
  KernelFlow flow(o);
  torch::manual_seed(1);
  // Random coupling outputs (the zero start would make every coupling the identity).
  for (auto& p : flow->parameters()) {
    torch::NoGradGuard no_grad;
    p.normal_(0.0, 0.3);
  }
  std::mt19937_64 rng(2);
  std::vector<float> taps;
  for (int i = 0; i < 4; ++i) {
    const auto k = vsr::train::sample_family_kernel(o, rng);
    taps.insert(taps.end(), k.w.begin(), k.w.end());
  }
  const torch::Tensor kernels = torch::from_blob(taps.data(), {4, 9}, torch::kFloat32).clone();
  flow->standardise_from(flow->to_input(kernels) + 0.1 * torch::randn({4, 9}));
  const torch::Tensor x = flow->to_input(kernels);
  const auto [z, log_det] = flow->forward(x);
  EXPECT_TRUE(torch::allclose(flow->inverse(z), x, 1e-4, 1e-4)) << "inverse(forward(x)) != x";
  EXPECT_TRUE(torch::allclose(flow->to_kernel(x), kernels, 1e-5, 1e-6)) << "to_kernel(to_input(k)) != k";
  for (int64_t n = 0; n < 4; ++n) {
    // The Jacobian dz/dx row by row, by autograd.
    const torch::Tensor xn = x[n].clone().unsqueeze(0).requires_grad_(true);
    const torch::Tensor zn = flow->forward(xn).first.squeeze(0);
    torch::Tensor jacobian = torch::empty({9, 9});
    for (int64_t i = 0; i < 9; ++i)
      jacobian[i] = torch::autograd::grad({zn[i]}, {xn}, {}, /*retain_graph=*/true)[0].squeeze(0);
    const double expected = std::get<1>(torch::slogdet(jacobian.to(torch::kFloat64))).item<double>();  // log |det|
    EXPECT_NEAR(log_det[n].item<double>(), expected, 1e-3) << "sample " << n;
  }
}

TEST(KernelPrior, TrainingPrefersTheFamilysKernels) {
  KernelFlow& flow = trained_prior();
  const KernelPriorOptions o = flow->options();
  std::mt19937_64 rng(99);  // draws the training never saw
  std::vector<float> family, other;
  for (int i = 0; i < 64; ++i) {
    const auto k = vsr::train::sample_family_kernel(o, rng);
    family.insert(family.end(), k.w.begin(), k.w.end());
    // Off the family: positive noise taps, normalised (a kernel, but no blur any lens or scaler makes).
    std::vector<float> noise(k.w.size());
    double sum = 0;
    for (auto& v : noise) sum += v = std::uniform_real_distribution<float>(0.0f, 1.0f)(rng);
    for (auto& v : noise) v = static_cast<float>(v / sum);
    other.insert(other.end(), noise.begin(), noise.end());
  }
  const int64_t d = o.size * o.size;
  torch::NoGradGuard no_grad;
  const double in = flow->log_likelihood(torch::from_blob(family.data(), {64, d})).mean().item<double>();
  const double out = flow->log_likelihood(torch::from_blob(other.data(), {64, d})).mean().item<double>();
  std::cout << "mean log-likelihood: family " << in << ", noise kernels " << out << std::endl;
  EXPECT_GT(in, out + 50.0);
  // Decoding the latent's centre gives a kernel: non-negative taps summing to 1, roughly centred.
  const torch::Tensor centre = flow->to_kernel(flow->inverse(torch::zeros({1, d})));
  EXPECT_GE(centre.min().item<double>(), 0.0);
  EXPECT_NEAR(centre.sum().item<double>(), 1.0, 1e-5);
}

TEST(KernelPrior, KernelCovarianceByHand) {
  // Two taps of 0.5 at (-1, 0) and (+1, 0) of a 3x3 kernel: variance 1 along x, none along y.
  torch::Tensor k = torch::zeros({1, 9});
  k[0][3] = 0.5;
  k[0][5] = 0.5;
  const torch::Tensor c = vsr::train::kernel_covariance(k, 3);
  EXPECT_NEAR(c[0][0].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(c[0][1].item<double>(), 0.0, 1e-6);
  EXPECT_NEAR(c[0][2].item<double>(), 0.0, 1e-6);
  // A diagonal pair, off centre: (0, 0) and (2, 2) of a 3x3 -> xx = yy = xy = 1.
  k = torch::zeros({1, 9});
  k[0][0] = 0.5;
  k[0][8] = 0.5;
  const torch::Tensor d = vsr::train::kernel_covariance(k, 3);
  EXPECT_NEAR(d[0][0].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(d[0][1].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(d[0][2].item<double>(), 1.0, 1e-6);
}

TEST(KernelPrior, TheFitExplainsTheMeasuredOrientations) {
  KernelFlow& flow = trained_prior();
  // The variances an anisotropic Gaussian 1.2 x 0.5 at 0.7 rad shows per edge orientation.
  const vsr::degrade::Kernel truth = vsr::degrade::anisotropic_gaussian(7, 1.2, 0.5, 0.7);
  const torch::Tensor truth_cov =
      vsr::train::kernel_covariance(torch::from_blob(const_cast<float*>(truth.w.data()), {1, 49}).clone(), 7)[0];
  vsr::degrade::OrientedBlur target;
  for (int b = 0; b < vsr::degrade::kOrientations; ++b) {
    const double t = (b + 0.5) * M_PI / vsr::degrade::kOrientations;
    target.variance[b] = truth_cov[0].item<double>() * std::cos(t) * std::cos(t) +
                         2 * truth_cov[1].item<double>() * std::cos(t) * std::sin(t) + truth_cov[2].item<double>() * std::sin(t) * std::sin(t);
    target.edges[b] = 100;
  }
  const vsr::degrade::Kernel fitted = vsr::train::fit_kernel_to_blur(flow, target);
  ASSERT_EQ(fitted.size, 7);
  double sum = 0;
  for (float v : fitted.w) {
    EXPECT_GE(v, 0.0f);
    sum += v;
  }
  EXPECT_NEAR(sum, 1.0, 1e-4);
  const torch::Tensor cov = vsr::train::kernel_covariance(torch::from_blob(const_cast<float*>(fitted.w.data()), {1, 49}).clone(), 7)[0];
  std::cout << "covariance wanted " << truth_cov << " fitted " << cov << std::endl;
  EXPECT_TRUE(torch::allclose(cov, truth_cov.to(torch::kFloat32), 0.0, 0.02)) << cov << " vs " << truth_cov;
  vsr::degrade::OrientedBlur nothing;
  EXPECT_THROW(vsr::train::fit_kernel_to_blur(flow, nothing), vsr::Error);
}

TEST(KernelPrior, TheCacheIsReusedAndOtherOptionsRetrain) {
  const fs::path cache = fs::temp_directory_path() / "vsr_kernel_prior_cache.pt";
  fs::remove(cache);
  KernelPriorOptions o = small_prior();
  o.steps = 5;
  KernelFlow first = vsr::train::cached_kernel_prior(o, cache.string());
  ASSERT_TRUE(fs::exists(cache));
  KernelFlow again = vsr::train::cached_kernel_prior(o, cache.string());
  const auto a = first->parameters(), b = again->parameters();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "parameter " << i;
  o.size = 5;  // another kernel size: the cached prior does not fit and a new one replaces it
  KernelFlow other = vsr::train::cached_kernel_prior(o, cache.string());
  EXPECT_EQ(other->options().size, 5);
  fs::remove(cache);
}

// vsr-train --blur-from FRAMES --blur-prior gaussian|flow end to end: the fitted kernel drives the
// classic degradation and the export records which prior fitted it. (The flow prior is pre-trained a
// few steps into the run folder's cache, so the test does not spend a minute training it.)
TEST(KernelPrior, VsrTrainFixesTheClassicKernelFromFootage) {
  for (const std::string prior : {"gaussian", "flow"}) {
    const fs::path out = fs::temp_directory_path() / ("vsr_blur_from_" + prior);
    fs::remove_all(out);
    fs::create_directories(out);
    if (prior == "flow") {
      KernelPriorOptions o = vsr::train::kernel_prior_for_scale(2);
      o.steps = 5;
      vsr::train::cached_kernel_prior(o, (out / "kernel_prior.pt").string());
    }
    vsr::train::TrainOptions o;
    o.data = {VSR_TEST_DATA};
    o.out_dir = out.string();
    o.export_path = (out / "model.onnx").string();
    o.degradation = "classic";
    o.blur_from = std::string(VSR_TEST_DATA) + "/zoo";
    o.blur_prior = prior;
    o.features = {8, 8};
    o.iterations = 2;
    o.checkpoint_every = 2;
    o.batch = 2;
    o.lr_patch = 12;
    o.threads = 1;
    vsr::train::train(o);
    const std::string metrics = vsr::Engine::open(o.export_path)->info().metrics;
    EXPECT_NE(metrics.find("degradation=classic(" + prior + " sigma "), std::string::npos) << metrics;
    fs::remove_all(out);
  }
}

}  // namespace
