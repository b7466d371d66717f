// The loss library (train/losses.h, feature_net.h, discriminators.h, loss_mix.h) against hand-computed
// cases, and vsr-train with every extra term on: it trains, checkpoints the extra networks and resumes.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "eval/metrics.h"
#include "train/discriminators.h"
#include "train/feature_net.h"
#include "train/harris.h"
#include "train/irn.h"
#include "train/loss_mix.h"
#include "train/losses.h"
#include "train/optimisation.h"
#include "train/sr_model.h"
#include "train/trainer.h"
#include "vsr/engine.h"
#include "vsr/error.h"

namespace fs = std::filesystem;
using namespace vsr::train;

namespace {
double value(const torch::Tensor& t) { return t.item<double>(); }
double softplus(double x) { return std::log1p(std::exp(x)); }
}  // namespace

TEST(Losses, WeightAndReductionAreOneContract) {
  const auto a = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}), b = torch::zeros({4});
  EXPECT_DOUBLE_EQ(value(pixel_l1_loss(a, b)), 2.5);
  EXPECT_DOUBLE_EQ(value(pixel_l1_loss(a, b, {2.0, Reduction::Sum})), 20.0);
  EXPECT_DOUBLE_EQ(value(pixel_mse_loss(a, b)), 7.5);
  EXPECT_NEAR(value(charbonnier_loss(b, b)), 1e-3, 1e-9) << "Charbonnier of no error is eps";
  EXPECT_NEAR(value(charbonnier_loss(a, b, {1.0, Reduction::Sum}, 0.0)), 10.0, 1e-6);
}

TEST(Losses, SsimMatchesTheMetricOfTheProtocol) {
  torch::manual_seed(1);
  const auto a = torch::rand({1, 1, 24, 20}), b = (a + 0.1 * torch::randn({1, 1, 24, 20})).clamp(0, 1);
  EXPECT_NEAR(value(ssim_loss(a, a)), 0.0, 1e-6) << "identical images";
  // eval/metrics.h computes SSIM on a 0-255 plane with the same window and constants scaled by 255.
  auto plane = [](const torch::Tensor& t) {
    vsr::LumaPlane p{static_cast<int>(t.size(3)), static_cast<int>(t.size(2)), {}};
    const auto c = t.contiguous();
    for (int64_t i = 0; i < c.numel(); ++i) p.values.push_back(c.data_ptr<float>()[i] * 255.0);
    return p;
  };
  EXPECT_NEAR(value(ssim_map(a, b).mean()), vsr::ssim(plane(a), plane(b), 0), 1e-4);
}

TEST(Losses, GradientProfileOfARamp) {
  // f(x) = 0.1 x: central differences give 0.1 inside and 0.05 at the replicated edges; no dy.
  const auto ramp = (torch::arange(6, torch::kFloat32) * 0.1f).view({1, 1, 1, 6}).expand({1, 1, 3, 6}).contiguous();
  const auto g = gradient_magnitude(ramp);
  EXPECT_NEAR(g[0][0][1][2].item<float>(), std::sqrt(0.01 + 1e-6), 1e-6);
  EXPECT_NEAR(g[0][0][1][0].item<float>(), std::sqrt(0.0025 + 1e-6), 1e-6);
  EXPECT_NEAR(value(gradient_profile_loss(ramp, ramp)), 0.0, 1e-9);
  EXPECT_GT(value(gradient_profile_loss(ramp, torch::zeros_like(ramp))), 0.05);
}

// The component (0 flat, 1 edge, 2 corner) harris_components() gives pixel (y, x) of image 0.
int component_at(const torch::Tensor& masks, int y, int x) {
  for (int c = 0; c < 3; ++c)
    if (masks[0][c][y][x].item<float>() > 0.5f) return c;
  return -1;
}

TEST(HarrisComponents, FlatEdgeAndCornerOfASquare) {
  // A bright 8x8 square on black: its corners are corners, the middles of its sides edges, its
  // centre and the far background flat (more than the 3-pixel reach of Sobel plus the 5x5 window).
  auto image = torch::zeros({1, 3, 24, 24});
  image.slice(2, 8, 16).slice(3, 8, 16).fill_(1.0f);
  const auto masks = harris_components(image);
  ASSERT_EQ(masks.sizes(), (std::vector<int64_t>{1, 3, 24, 24}));
  EXPECT_TRUE(torch::allclose(masks.sum(1), torch::ones({1, 24, 24}))) << "one component per pixel";
  for (auto [y, x] : {std::pair{8, 8}, std::pair{8, 15}, std::pair{15, 8}, std::pair{15, 15}})
    EXPECT_EQ(component_at(masks, y, x), 2) << "corner (" << y << ", " << x << ")";
  for (auto [y, x] : {std::pair{8, 12}, std::pair{12, 8}, std::pair{15, 11}, std::pair{11, 15}})
    EXPECT_EQ(component_at(masks, y, x), 1) << "side (" << y << ", " << x << ")";
  for (auto [y, x] : {std::pair{12, 12}, std::pair{0, 0}, std::pair{23, 2}})
    EXPECT_EQ(component_at(masks, y, x), 0) << "flat (" << y << ", " << x << ")";
  // Response by hand at the middle of the left side (Sobel/8 of a unit step is 0.5 on both columns
  // beside it; no dy): R = det - 0.04 trace^2 = -0.04 (sum of the Gaussian-weighted 0.25s)^2 < 0.
  EXPECT_LT(harris_response(image)[0][0][12][8].item<float>(), 0.0f);
}

TEST(HarrisComponents, AStraightEdgeHasNoCornersAndAFlatImageIsFlat) {
  auto step = torch::zeros({1, 3, 16, 16});
  step.slice(3, 8, 16).fill_(0.8f);
  const auto masks = harris_components(step);
  EXPECT_EQ(masks[0][2].sum().item<float>(), 0.0f) << "a straight edge has no corners";
  EXPECT_EQ(component_at(masks, 5, 7), 1);
  EXPECT_EQ(component_at(masks, 5, 8), 1);
  EXPECT_EQ(component_at(masks, 5, 1), 0);
  const auto flat = harris_components(torch::full({2, 3, 8, 8}, 0.4f) + 1e-4 * torch::rand({2, 3, 8, 8}));
  EXPECT_EQ(flat.select(1, 0).sum().item<float>(), 2 * 64.0f) << "sensor-level noise stays flat";
}

TEST(ArchitectureSupervision, EachBranchOrLoopIsSupervisedInTraining) {
  // SPSR's gradient branch, CDC's component branches and DRN's dual loop add a finite, positive,
  // differentiable term after a training forward; the plain architectures add none.
  torch::manual_seed(3);
  const auto lr = torch::rand({2, 3, 12, 12}), hr = torch::rand({2, 3, 24, 24});
  for (const std::string arch : {"spsr", "cdc", "drn", "irn"}) {
    SrModel model = make_model({arch, 2, {8, 2}});
    model->train();
    model->forward(lr);
    const auto own = model->auxiliary_loss(hr);
    ASSERT_TRUE(own.defined()) << arch;
    EXPECT_TRUE(std::isfinite(value(own)) && value(own) > 0.0) << arch;
    own.backward();
    double grad = 0.0;
    for (const auto& p : model->parameters())
      if (p.grad().defined()) grad += p.grad().abs().sum().item<double>();
    EXPECT_GT(grad, 0.0) << arch << ": the term reaches no weight";
  }
  SrModel plain = make_model({"edsr", 2, {8, 1}});
  plain->forward(lr);
  EXPECT_FALSE(plain->auxiliary_loss(hr).defined());
}

TEST(InvertibleRescaling, HaarAndTheWholeNetworkInvertExactly) {
  torch::manual_seed(5);
  const auto x = torch::rand({2, 3, 8, 12});
  const auto h = haar_forward(x);
  ASSERT_EQ(h.sizes(), (std::vector<int64_t>{2, 12, 4, 6}));
  // The means of each 2x2 block come first: the LR part is the box-downscaled image.
  EXPECT_NEAR(h[0][1][2][3].item<float>(), x[0][1].slice(0, 4, 6).slice(1, 6, 8).mean().item<float>(), 1e-6);
  EXPECT_TRUE(torch::allclose(haar_inverse(h), x, 1e-6, 1e-6));
  // Down then up with the exact z gives the HR back (the coupling blocks invert exactly), at x2 and x4;
  // the down-scaled image is N x 3 x H/s x W/s in front of the latent.
  for (int scale : {2, 4}) {
    auto irn = std::dynamic_pointer_cast<IrnImpl>(make_model({"irn", scale, {8, 2}}));
    {
      torch::NoGradGuard no_grad;
      for (auto& p : irn->parameters()) p.uniform_(-0.3, 0.3);
    }
    const auto down = irn->downscale(x.slice(2, 0, 8).slice(3, 0, 8));
    ASSERT_EQ(down.sizes(), (std::vector<int64_t>{2, 3 * scale * scale, 8 / scale, 8 / scale}));
    EXPECT_LE((irn->upscale(down) - x.slice(2, 0, 8).slice(3, 0, 8)).abs().max().item<float>(), 1e-4) << "x" << scale;
  }
}

TEST(Losses, GramMatrixByHand) {
  // Features [[1, 2], [3, 4]] (2 channels of 1 x 2): F F^T = [[5, 11], [11, 25]], over C*H*W = 4.
  const auto f = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({1, 2, 1, 2});
  const auto g = gram_matrix(f);
  EXPECT_FLOAT_EQ(g[0][0][0].item<float>(), 1.25f);
  EXPECT_FLOAT_EQ(g[0][0][1].item<float>(), 2.75f);
  EXPECT_FLOAT_EQ(g[0][1][1].item<float>(), 6.25f);
  // Against zero features: the mean of the squared Gram entries.
  EXPECT_NEAR(value(gram_loss(f, torch::zeros_like(f))), (1.25 * 1.25 + 2 * 2.75 * 2.75 + 6.25 * 6.25) / 4, 1e-5);
}

TEST(Losses, RelativisticAverageGanByHand) {
  const auto real = torch::full({4}, 2.0f), fake = torch::full({4}, -1.0f);
  // D_Ra(real) = 3, D_Ra(fake) = -3: the critic's loss is softplus(-3), the generator's softplus(3).
  EXPECT_NEAR(value(ragan_discriminator_loss(real, fake)), softplus(-3.0), 1e-6);
  EXPECT_NEAR(value(ragan_generator_loss(real, fake)), softplus(3.0), 1e-6);
  EXPECT_NEAR(value(ragan_discriminator_loss(real, real)), std::log(2.0), 1e-6) << "indistinguishable";
}

TEST(Losses, WarpAndTemporalConsistencyOfAShift) {
  // current(x) = previous(x + 1): the flow from current to previous is +1 in x everywhere.
  const auto previous = torch::arange(20, torch::kFloat32).view({1, 1, 4, 5});
  const auto current = torch::cat({previous.slice(3, 1), torch::zeros({1, 1, 4, 1})}, 3);
  auto flow = torch::zeros({1, 2, 4, 5});
  flow.select(1, 0).fill_(1.0f);
  const auto warped = warp(previous, flow);
  EXPECT_TRUE(torch::allclose(warped.slice(3, 0, 4), previous.slice(3, 1), 1e-5, 1e-5));
  // The last column's source lies outside the previous frame and is not counted.
  EXPECT_NEAR(value(temporal_warp_loss(current, previous, flow)), 0.0, 1e-5);
  EXPECT_GT(value(temporal_warp_loss(current, previous, torch::zeros_like(flow))), 0.5);
  EXPECT_NEAR(value(dual_regression_loss(previous, previous + 1, {0.5})), 0.5, 1e-6);
}

TEST(FeatureNet, LayersShapesAndWeightsFromAFile) {
  torch::manual_seed(2);
  VggFeatures net(4);
  const auto x = torch::rand({1, 3, 16, 16});
  const auto f = net->features(x, {2, 4});
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].sizes(), (std::vector<int64_t>{1, 64, 16, 16}));
  EXPECT_EQ(f[1].sizes(), (std::vector<int64_t>{1, 128, 8, 8}));
  EXPECT_THROW(net->features(x, {5}), vsr::Error);
  const auto path = (fs::temp_directory_path() / "vsr_vgg_features.pt").string();
  torch::save(net, path);
  torch::manual_seed(3);
  VggFeatures other(4);
  EXPECT_FALSE(torch::allclose(other->features(x, {4})[0], f[1]));
  other->load_weights(path);
  EXPECT_TRUE(torch::allclose(other->features(x, {4})[0], f[1]));
  VggFeatures deeper(6);
  try {
    deeper->load_weights(path);
    FAIL() << "a file without conv 5 and 6 accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_GT(value(perceptual_loss(*net, x, torch::zeros_like(x), {2}, 1.0)), 0.0);
  EXPECT_NEAR(value(texture_loss(*net, x, x, {2, 4}, 1.0)), 0.0, 1e-9);
  fs::remove(path);
}

TEST(Discriminators, ShapesAndSpectralNorm) {
  torch::manual_seed(4);
  auto vgg = make_discriminator("vgg", 8);
  EXPECT_EQ(vgg->forward(torch::rand({2, 3, 64, 48})).sizes(), (std::vector<int64_t>{2, 1}));
  auto unet = make_discriminator("unet", 8);
  EXPECT_EQ(unet->forward(torch::rand({1, 3, 32, 24})).sizes(), (std::vector<int64_t>{1, 1, 32, 24}));
  EXPECT_THROW(unet->forward(torch::rand({1, 3, 30, 24})), vsr::Error);
  EXPECT_THROW(make_discriminator("patchgan"), vsr::Error);
  // Power iteration, one step per training forward, converges to the largest singular value.
  SpectralConv conv(4, 6, 3, 1, 1, false);
  conv->train();
  const auto x = torch::rand({1, 4, 8, 8});
  for (int i = 0; i < 200; ++i) conv->forward(x);
  const auto w = conv->named_parameters()["conv.weight"].flatten(1);
  EXPECT_NEAR(conv->sigma(), torch::linalg_svdvals(w)[0].item<double>(), 1e-3);
  // RaGAN runs the critic on real and fake, then takes one backward through both graphs: the second
  // forward's power-iteration step must leave the first graph differentiable.
  for (const std::string kind : {"vgg", "unet"}) {
    auto critic = make_discriminator(kind, 8);
    critic->train();
    const auto real = critic->forward(torch::rand({2, 3, 32, 32})), fake = critic->forward(torch::rand({2, 3, 32, 32}));
    EXPECT_NO_THROW(ragan_discriminator_loss(real, fake).backward()) << kind;
  }
}

TEST(LossMix, WithoutExtrasItIsThePixelLossAndEachTermCounts) {
  torch::manual_seed(5);
  const auto lr = torch::rand({2, 3, 8, 8}), hr = torch::rand({2, 3, 16, 16}), sr = torch::rand({2, 3, 16, 16});
  LossMixOptions plain;
  plain.scale = 2;
  EXPECT_EQ(value(LossMix(plain).generator_loss(sr, hr, lr)), value(pixel_loss("l1", sr, hr)));
  LossMixOptions all = plain;
  all.ssim_weight = all.gradient_weight = all.perceptual_weight = all.texture_weight = all.gan_weight = all.dual_weight = 0.5;
  all.perceptual_layers = {2};
  all.discriminator_width = 8;
  LossMix mix(all);
  mix.generator_loss(sr, hr, lr);
  for (const char* term : {"l1", "ssim", "gradient", "perceptual", "texture", "gan", "dual"})
    EXPECT_EQ(mix.last_terms().count(term), 1u) << term;
  EXPECT_EQ(mix.describe(), "l1+0.5*ssim+0.5*gradient+0.5*perceptual+0.5*texture+0.5*gan(unet)+0.5*dual");
  all.discriminator = "patchgan";
  try {
    check_loss_mix(all);
    FAIL() << "an unknown discriminator accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'discriminator'"), std::string::npos) << e.what();
  }
}

TEST(LossMix, VsrTrainWithEveryTermTrainsCheckpointsAndResumes) {
  const fs::path out = fs::temp_directory_path() / "vsr_trainer_loss_mix";
  fs::remove_all(out);
  TrainOptions o;
  o.data = {VSR_TEST_DATA};
  o.out_dir = out.string();
  o.export_path = (out / "model.onnx").string();
  o.arch = "srvgg";
  o.features = {8, 2};
  o.iterations = 8;
  o.checkpoint_every = 4;
  o.batch = 2;
  o.lr_patch = 16;
  o.threads = 1;
  auto& x = o.extra_losses;
  x.ssim_weight = 0.1;
  x.gradient_weight = 0.1;
  x.perceptual_weight = 0.01;
  x.texture_weight = 0.01;
  x.perceptual_layers = {2, 4};
  x.gan_weight = 0.005;
  x.discriminator = "vgg";
  x.discriminator_width = 8;
  x.dual_weight = 0.1;
  train(o);
  for (const char* f : {"discriminator.pt", "discriminator_optimizer.pt", "dual.pt", "dual_optimizer.pt"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  o.iterations = 12;  // resumes at 8 with the critic and the dual model restored
  train(o);
  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_NE(engine->info().metrics.find("gan(vgg)"), std::string::npos) << engine->info().metrics;
  EXPECT_NE(engine->info().metrics.find("iterations=12"), std::string::npos) << engine->info().metrics;
  fs::remove_all(out);
}
