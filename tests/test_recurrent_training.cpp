// The recurrent video SR network and its trainer (train/recurrent_net.h, train/video_trainer.h):
// the exported step streamed by vsr::Engine matches LibTorch through time, training lowers the loss,
// resume continues bit for bit, bad settings are named, and the synthetic pans and LR frames are what
// they claim.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "eval/image.h"
#include "eval/imresize.h"
#include "train/recurrent_net.h"
#include "train/window_net.h"
#include "train/synthetic_motion.h"
#include "train/video_sequence_dataset.h"
#include "train/video_trainer.h"
#include "error_text.h"
#include "tiny_models.h"
#include "training_runs.h"
#include "vsr/engine.h"
#include "vsr/error.h"

namespace fs = std::filesystem;

namespace {

// Streams `frames` (N x T x 3 x h x w in [0,1], already on the 8-bit grid) through the engine as RGB
// frames (push() each, then drain() what a window model holds back) and expects every output byte
// within 0.5 + 255e-4 of LibTorch's value: the engine's float result is within 1e-4 of LibTorch's
// before it is rounded, with the state or the window carried the same way.
template <typename Model>
void expect_stream_matches(Model& model, const std::string& onnx, const torch::Tensor& frames, const std::string& temporal) {
  torch::Tensor expected;
  {
    torch::NoGradGuard no_grad;
    expected = model.forward_sequence(frames).clamp(0.0, 1.0).mul(255.0).contiguous();
  }
  auto engine = vsr::Engine::open(onnx);
  ASSERT_EQ(engine->info().temporal, temporal);
  const int s = model.scale(), h = static_cast<int>(frames.size(3)), w = static_cast<int>(frames.size(4));
  int emitted = 0;
  auto check = [&](const tiny_models::RgbFrame& out) {
    const auto want = expected[0][emitted].permute({1, 2, 0}).contiguous();
    const float* e = want.data_ptr<float>();
    double worst = 0.0;
    for (size_t i = 0; i < out.bytes.size(); ++i) worst = std::max(worst, std::abs(out.bytes[i] - double(e[i])));
    EXPECT_LE(worst, 0.5 + 255e-4) << "frame " << emitted << ": the engine's output is off LibTorch's by " << worst << " levels";
    ++emitted;
  };
  for (int t = 0; t < frames.size(1); ++t) {
    tiny_models::RgbFrame in(w, h, 0), out(w * s, h * s, 0);
    const auto bytes = frames[0][t].mul(255.0).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    std::copy(bytes.data_ptr<uint8_t>(), bytes.data_ptr<uint8_t>() + bytes.numel(), in.bytes.begin());
    if (engine->push(in.frame, out.frame)) check(out);
  }
  for (tiny_models::RgbFrame out(w * s, h * s, 0); engine->drain(out.frame);) check(out);
  EXPECT_EQ(emitted, frames.size(1)) << "frames lost or added";
}

// Full-size random weights (the state, or the flows of several pixels, then matter), the export, and
// five odd-sized frames on the 8-bit grid the engine's RGB frames carry, streamed against LibTorch.
template <typename Model>
void expect_random_weights_stream_like_libtorch(Model& model, const std::string& temporal) {
  {
    torch::NoGradGuard no_grad;
    for (auto& p : model.parameters()) p.uniform_(-0.3, 0.3);
  }
  model.eval();
  const auto path = (fs::temp_directory_path() / ("vsr_" + model.arch() + "_parity_x" + std::to_string(model.scale()) + ".onnx")).string();
  model.export_onnx(path, {{"vsr.trained_on", "parity test"}});
  const auto frames = torch::randint(0, 256, {1, 5, 3, 11, 13}).to(torch::kFloat32).div(255.0);
  expect_stream_matches(model, path, frames, temporal);
  fs::remove(path);
}

vsr::Image8 gradient_still(int w, int h) {
  vsr::Image8 img{w, h, 3, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  std::mt19937 rng(5);
  for (size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<uint8_t>(rng() % 256);
  return img;
}

}  // namespace

TEST(RecurrentSr, TheEngineStreamsTheExportLikeLibTorchThroughTime) {
  for (int scale : {2, 4}) {
    torch::manual_seed(77);
    vsr::train::RecurrentSrImpl model(vsr::train::RecurrentSrConfig::from_features(scale, {8, 2, 5}));
    SCOPED_TRACE("scale " + std::to_string(scale));
    expect_random_weights_stream_like_libtorch(model, "recurrent");
  }
}

TEST(RecurrentSr, TheStateCarriesInformationFromEarlierFrames) {
  torch::manual_seed(3);
  vsr::train::RecurrentSrImpl model(vsr::train::RecurrentSrConfig::from_features(2, {8, 1, 4}));
  torch::NoGradGuard no_grad;
  for (auto& p : model.parameters()) p.uniform_(-0.3, 0.3);
  const auto a = torch::rand({1, 3, 3, 8, 8}), b = a.clone();
  b[0][0].fill_(0.5);  // only the first frame differs
  const auto sa = model.forward_sequence(a), sb = model.forward_sequence(b);
  EXPECT_GT((sa[0][2] - sb[0][2]).abs().max().item<float>(), 1e-4) << "frame 2 does not depend on frame 0";
  EXPECT_EQ(model.macs_per_lr_pixel(), 9 * (6 + 4) * 8 + 9 * 8 * 8 + 9 * 8 * 4 + 9 * 8 * 12);
}

TEST(RecurrentSr, FeaturesOutOfRangeAreNamed) {
  EXPECT_THROW(vsr::train::RecurrentSrConfig::from_features(4, {32, 5, 16, 1}), vsr::Error);
  try {
    vsr::train::RecurrentSrConfig::from_features(4, {32, 5, 0});
    FAIL() << "hidden 0 accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("hidden"), std::string::npos) << e.what();
  }
}

TEST(WindowSr, TheEngineRunsTheExportLikeLibTorchOverTheStream) {
  for (int scale : {2, 4}) {
    torch::manual_seed(78);
    vsr::train::WindowSrImpl model(vsr::train::WindowSrConfig::from_features(scale, {8, 2, 6}));
    SCOPED_TRACE("scale " + std::to_string(scale));
    expect_random_weights_stream_like_libtorch(model, "window:3");
  }
}

TEST(WindowSr, NeighboursAreAlignedByTheFlowAndCount) {
  torch::manual_seed(4);
  vsr::train::WindowSrImpl model(vsr::train::WindowSrConfig::from_features(2, {8, 1, 4}));
  torch::NoGradGuard no_grad;
  // A fresh model's flow is zero (the warps start as the identity).
  const auto a = torch::rand({1, 3, 3, 8, 8});
  EXPECT_EQ(model.flow(a[0][0].unsqueeze(0), a[0][1].unsqueeze(0)).abs().max().item<float>(), 0.0f);
  for (auto& p : model.parameters()) p.uniform_(-0.3, 0.3);
  auto b = a.clone();
  b[0][0].fill_(0.5);  // only the previous frame differs
  const auto sa = model.forward_sequence(a), sb = model.forward_sequence(b);
  EXPECT_GT((sa[0][1] - sb[0][1]).abs().max().item<float>(), 1e-4) << "frame 1 does not see frame 0";
  EXPECT_LT((sa[0][2] - sb[0][2]).abs().max().item<float>(), 1e-6) << "frame 2 sees beyond its window";
  EXPECT_THROW(model.forward(torch::rand({1, 3, 8, 8})), vsr::Error);
  EXPECT_THROW(vsr::train::WindowSrConfig::from_features(4, {32, 4, 2}), vsr::Error);
  EXPECT_EQ(model.macs_per_lr_pixel(), 2 * 9 * (6 * 4 + 2 * 4 * 4 + 4 * 2) + 9 * 9 * 8 + 9 * 1 * 8 * 8 + 9 * 8 * 12);
}

TEST(SyntheticSequence, PansMoveAndStayInsideTheStill) {
  const vsr::Image8 still = gradient_still(200, 160);
  std::mt19937_64 rng(11);
  EXPECT_TRUE(vsr::train::fits_synthetic_sequence(still, 32, 6, 4.0));
  EXPECT_FALSE(vsr::train::fits_synthetic_sequence(still, 64, 6, 4.0)) << "64 + 20 px of motion do not fit in 78";
  EXPECT_THROW(vsr::train::synthetic_sequence(still, 64, 6, 4.0, rng), vsr::Error);
  int moving = 0;
  for (int i = 0; i < 8; ++i) {
    const auto seq = vsr::train::synthetic_sequence(still, 32, 6, 4.0, rng);
    ASSERT_EQ(seq.size(), 6u);
    for (const auto& f : seq) {
      ASSERT_EQ(f.size(), 3u * 32 * 32);
      for (float v : f) ASSERT_TRUE(v >= 0.0f && v <= 1.0f);
    }
    double diff = 0;
    for (size_t j = 0; j < seq[0].size(); ++j) diff += std::abs(seq[5][j] - seq[0][j]);
    moving += diff > 1.0;
  }
  EXPECT_GE(moving, 6) << "most pans should move";
}

TEST(VideoSequenceDataset, LrFramesAreTheProtocolsBicubicOnThe8BitGrid) {
  const vsr::Image8 hr = gradient_still(32, 32);
  std::vector<float> planar(3 * 32 * 32), lr(3 * 8 * 8);
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 32 * 32; ++i) planar[c * 1024 + i] = hr.pixels[3 * i + c] / 255.0f;
  vsr::train::bicubic_lr(planar.data(), 32, 4, lr.data());
  const vsr::Image8 want = vsr::imresize_bicubic(hr, 8, 8);
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 64; ++i) {
      const float v = lr[c * 64 + i] * 255.0f;
      EXPECT_NEAR(v, std::round(v), 1e-3) << "not on the 8-bit grid";
      // The float pipeline rounds once at the end, MATLAB's 8-bit one after each pass.
      EXPECT_NEAR(v, want.pixels[3 * i + c], 1.0) << "channel " << c << " pixel " << i;
    }
}

namespace {

vsr::train::VideoTrainOptions tiny_video_run(const fs::path& out) {
  vsr::train::VideoTrainOptions o;
  o.photos = {VSR_TEST_DATA};  // the 127x122 and 128x122 PNGs fit; the small ones are left out
  o.out_dir = out.string();
  o.export_path = (out / "model.onnx").string();
  o.scale = 2;
  o.features = {8, 1, 4};
  o.iterations = 40;
  o.checkpoint_every = 20;
  o.batch = 4;
  o.frames = 3;
  o.patch = 8;
  o.max_step = 2.0;
  o.learning_rate = 3e-3;
  o.threads = 1;
  o.trained_on = "unit test pans";
  return o;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST(VideoTrainer, LossFallsTheExportStreamsAndResumeIsExact) {
  const fs::path root = fs::temp_directory_path() / "vsr_video_trainer";
  fs::remove_all(root);
  // A held-back sequence folder for validation.
  {
    std::mt19937_64 rng(2);
    const vsr::Image8 still = vsr::read_png_rgb(std::string(VSR_TEST_DATA) + "/imresize_hr.png");
    const auto seq = vsr::train::synthetic_sequence(still, 24, 3, 1.0, rng);
    fs::create_directories(root / "val" / "pan");
    for (int k = 0; k < 3; ++k) {
      vsr::Image8 img{24, 24, 3, std::vector<uint8_t>(24 * 24 * 3)};
      for (int i = 0; i < 24 * 24; ++i)
        for (int c = 0; c < 3; ++c) img.pixels[3 * i + c] = static_cast<uint8_t>(std::lround(seq[k][c * 576 + i] * 255));
      vsr::write_png((root / "val" / "pan" / ("f" + std::to_string(k) + ".png")).string(), img);
    }
  }
  vsr::train::VideoTrainOptions straight = tiny_video_run(root / "straight");
  straight.validate = {(root / "val").string()};
  const double psnr = vsr::train::train_video(straight);
  EXPECT_TRUE(std::isfinite(psnr));
  const std::vector<double> losses = csv_losses(root / "straight" / "train.csv");
  ASSERT_GE(losses.size(), 2u);
  EXPECT_LT(losses.back(), losses.front()) << "the loss did not fall";

  auto engine = vsr::Engine::open(straight.export_path);
  EXPECT_EQ(engine->info().temporal, "recurrent");
  EXPECT_EQ(engine->info().arch, "recurrent");
  EXPECT_EQ(engine->info().trained_on, "unit test pans");

  // 20 iterations, stop, resume to 40: the same weights as the straight run.
  vsr::train::VideoTrainOptions resumed = tiny_video_run(root / "resumed");
  resumed.validate = straight.validate;
  resumed.stop_after = 20;
  vsr::train::train_video(resumed);
  resumed.stop_after = 0;
  EXPECT_EQ(vsr::train::train_video(resumed), psnr);
  EXPECT_EQ(read_file(root / "resumed" / "model.onnx"), read_file(root / "straight" / "model.onnx"))
      << "the resumed run's export differs from the uninterrupted run's";
  fs::remove_all(root);
}

TEST(VideoTrainer, TheSingleFrameControlTrainsOnTheSameSequences) {
  const fs::path out = fs::temp_directory_path() / "vsr_video_trainer_srvgg";
  fs::remove_all(out);
  vsr::train::VideoTrainOptions o = tiny_video_run(out);
  o.arch = "srvgg";
  o.features = {8, 2};
  o.iterations = 20;
  vsr::train::train_video(o);
  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_EQ(engine->info().temporal, "none");
  EXPECT_EQ(engine->info().arch, "srvgg");
  fs::remove_all(out);
}

// The window model trains through vsr-train-video too (windows cut from each run of frames, edges
// repeated), its loss falls and its export is a window:3 model.
TEST(VideoTrainer, TheWindowModelTrainsAndExportsAWindowModel) {
  const fs::path out = fs::temp_directory_path() / "vsr_video_trainer_window";
  fs::remove_all(out);
  vsr::train::VideoTrainOptions o = tiny_video_run(out);
  o.arch = "window";
  o.features = {8, 1, 6};
  o.iterations = 40;
  o.checkpoint_every = 20;
  vsr::train::train_video(o);
  const std::vector<double> losses = csv_losses(out / "train.csv");
  ASSERT_GE(losses.size(), 2u);
  EXPECT_LT(losses.back(), losses.front()) << "the loss did not fall";
  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_EQ(engine->info().temporal, "window:3");
  EXPECT_EQ(engine->info().arch, "window");
  EXPECT_EQ(engine->info().latency_frames, 1);
  fs::remove_all(out);
}

// The shipped video configs load through vsr-train-video's loader and pass its checks.
TEST(VideoTrainerConfig, ShippedConfigsLoad) {
  const fs::path configs = fs::path(VSR_TEST_DATA).parent_path().parent_path() / "train" / "configs";
  for (const std::string arch : {"recurrent", "window"}) {
    vsr::train::VideoTrainOptions o;
    ASSERT_NO_THROW(vsr::train::load_video_config((configs / (arch + "_x4.json")).string(), o)) << arch;
    EXPECT_NO_THROW(vsr::train::check_video_options(o));
    EXPECT_EQ(o.arch, arch);
    EXPECT_EQ(o.scale, 4);
  }
}

TEST(VideoTrainerConfig, BadSettingsAreNamed) {
  const fs::path cfg = fs::temp_directory_path() / "vsr_video_config.json";
  std::ofstream(cfg) << R"({"videos": ["a.mp4"], "frame": 6})";
  vsr::train::VideoTrainOptions o;
  try {
    vsr::train::load_video_config(cfg.string(), o);
    FAIL() << "unknown key accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'frame'"), std::string::npos) << e.what();
  }
  o = tiny_video_run(fs::temp_directory_path() / "unused");
  o.frames = 1;
  try {
    vsr::train::check_video_options(o);
    FAIL() << "frames 1 accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'frames'"), std::string::npos) << e.what();
  }
  o = tiny_video_run(fs::temp_directory_path() / "unused");
  o.arch = "resnet9000";
  try {
    vsr::train::train_video(o);
    FAIL() << "unknown architecture accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'arch'"), std::string::npos) << e.what();
  }
  o = tiny_video_run(fs::temp_directory_path() / "unused");
  o.device = "gpu";
  EXPECT_NE(error_of([&] { vsr::train::check_video_options(o); }).find("setting 'device' is 'gpu'"), std::string::npos);
  o.device = "cpu";
  o.precision = "fp16";  // fp16 autocast is CUDA's
  EXPECT_NE(error_of([&] { vsr::train::check_video_options(o); }).find("setting 'precision'"), std::string::npos);
  if (!torch::cuda::is_available()) {
    o.precision = "fp32";
    o.device = "cuda";
    EXPECT_NE(error_of([&] { vsr::train::train_video(o); }).find("this LibTorch has no CUDA"), std::string::npos);
  }
  fs::remove(cfg);
  fs::remove_all(fs::temp_directory_path() / "unused");
}

// precision bf16 runs the recurrent forward under CPU autocast (the GPU path is the same code with
// device 'cuda'): it trains, validates and exports an fp32 model the engine streams.
TEST(VideoTrainer, ABf16RunOnTheCpuTrainsAndExports) {
  const fs::path out = fs::temp_directory_path() / "vsr_video_trainer_bf16";
  fs::remove_all(out);
  vsr::train::VideoTrainOptions o = tiny_video_run(out);
  o.precision = "bf16";
  o.iterations = 10;
  o.checkpoint_every = 10;
  vsr::train::train_video(o);
  const std::string log = read_file(out / "train.log");
  EXPECT_NE(log.find("cpu, bf16"), std::string::npos) << log;
  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_EQ(engine->info().temporal, "recurrent");
  fs::remove_all(out);
}
