// vsr-train's loop end to end on a few shippable images: checkpoints, resume, ONNX export the engine loads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "train/checkpoint_io.h"
#include "train/curves.h"
#include "train/crop.h"
#include "train/interp_net.h"
#include "train/interp_trainer.h"
#include "train/synthetic_motion.h"
#include "train/sr_model.h"
#include "train/trainer.h"
#include "vsr/engine.h"
#include "vsr/error.h"
#include "vsr/interpolator.h"
#include "error_text.h"
#include "training_runs.h"

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ModelSpecText, NameOrNameWithFeaturesAndABadFeatureIsNamed) {
  const vsr::train::ModelSpec plain = vsr::train::parse_model_spec("espcn", 3);
  EXPECT_EQ(plain.arch, "espcn");
  EXPECT_EQ(plain.scale, 3);
  EXPECT_TRUE(plain.features.empty());
  const vsr::train::ModelSpec wide = vsr::train::parse_model_spec("rcan:64,4,4,16", 2);
  EXPECT_EQ(wide.arch, "rcan");
  EXPECT_EQ(wide.features, (std::vector<int>{64, 4, 4, 16}));
  const std::string error = error_of([] { vsr::train::parse_model_spec("srvgg:32,6x", 2); });
  EXPECT_NE(error.find("feature '6x' is not a number"), std::string::npos) << error;
}

TEST(Trainer, CheckpointsResumesAndExportsALoadableModel) {
  const fs::path out = fs::temp_directory_path() / "vsr_trainer_test";
  fs::remove_all(out);
  vsr::train::TrainOptions o;
  o.data = {VSR_TEST_DATA};
  o.validate = VSR_TEST_DATA;
  o.out_dir = out.string();
  o.export_path = (out / "model.onnx").string();
  o.features = {8, 8};
  o.iterations = 20;
  o.checkpoint_every = 10;
  o.batch = 4;
  o.lr_patch = 12;
  o.threads = 1;
  o.trained_on = "unit test images";
  const double first_psnr = vsr::train::train(o);
  EXPECT_TRUE(std::isfinite(first_psnr));
  EXPECT_EQ(read_file(out / "state.txt"), "20\n");
  ASSERT_TRUE(fs::exists(out / "model.onnx"));
  EXPECT_FALSE(fs::exists(out / "model.onnx.partial"));

  // A second run with a larger budget continues from iteration 20 instead of starting over.
  o.iterations = 30;
  vsr::train::train(o);
  EXPECT_EQ(read_file(out / "state.txt"), "30\n");
  const std::string log = read_file(out / "train.log");
  EXPECT_NE(log.find("iter 10 "), std::string::npos) << log;
  EXPECT_NE(log.find("iter 20 "), std::string::npos) << log;
  EXPECT_NE(log.find("iter 30 "), std::string::npos) << log;
  EXPECT_EQ(log.find("iter 10 ", log.find("iter 20 ")), std::string::npos) << "resumed run repeated iterations:\n" << log;

  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_EQ(engine->info().scale, 2);
  EXPECT_EQ(engine->info().trained_on, "unit test images");
  EXPECT_NE(engine->info().metrics.find("iterations=30"), std::string::npos) << engine->info().metrics;
  fs::remove_all(out);
}

// A new run with `init` starts from an earlier run's weights (the GAN stage after the L1 stage);
// weights of another shape and a missing file are refused by name.
TEST(Trainer, InitStartsANewRunFromEarlierWeights) {
  const fs::path first = fs::temp_directory_path() / "vsr_trainer_init_a", second = fs::temp_directory_path() / "vsr_trainer_init_b";
  fs::remove_all(first);
  fs::remove_all(second);
  vsr::train::TrainOptions o = tiny_run(first);
  o.export_path = (first / "model.onnx").string();
  vsr::train::train(o);
  o = tiny_run(second);
  o.init = (first / "model.pt").string();
  o.iterations = 1;
  o.checkpoint_every = 1;
  o.learning_rate = 1e-12;  // one step that cannot move the weights measurably
  vsr::train::train(o);
  vsr::train::SrModel a = vsr::train::make_model({o.arch, o.scale, o.features});
  vsr::train::SrModel b = vsr::train::make_model({o.arch, o.scale, o.features});
  vsr::train::load_module(*a, (first / "model.pt").string());
  vsr::train::load_module(*b, (second / "model.pt").string());
  const auto pa = a->parameters(), pb = b->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::allclose(pa[i], pb[i], 0.0, 1e-6)) << "parameter " << i;

  // The same from the first run's ONNX export, all a user of a zoo model has.
  fs::remove_all(second);
  o.init = (first / "model.onnx").string();
  vsr::train::train(o);
  vsr::train::SrModel c = vsr::train::make_model({o.arch, o.scale, o.features});
  vsr::train::load_module(*c, (second / "model.pt").string());
  const auto pc = c->parameters();
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::allclose(pa[i], pc[i], 0.0, 1e-6)) << "parameter " << i << " from ONNX";

  fs::remove_all(second);
  o.features = {16, 8};  // not the shape of the file's weights
  try {
    vsr::train::train(o);
    ADD_FAILURE() << "weights of another shape were accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("setting 'init'"), std::string::npos) << e.what();
  }
  o.init = (first / "no_such.pt").string();
  try {
    vsr::train::train(o);
    ADD_FAILURE() << "a missing init file was accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no_such.pt"), std::string::npos) << e.what();
  }
  fs::remove_all(first);
  fs::remove_all(second);
}

// init_partial starts a model of another scale from the parameters that fit (EDSR's x4 from its x2):
// those load exactly, the scale-specific output layer keeps its initialisation and is named.
TEST(Trainer, PartialInitLoadsWhatFitsFromAnotherScale) {
  const fs::path first = fs::temp_directory_path() / "vsr_trainer_partial_a", second = fs::temp_directory_path() / "vsr_trainer_partial_b";
  fs::remove_all(first);
  fs::remove_all(second);
  vsr::train::TrainOptions o = tiny_run(first);
  vsr::train::train(o);
  vsr::train::SrModel x2 = vsr::train::make_model({o.arch, 2, o.features});
  vsr::train::load_module(*x2, (first / "model.pt").string());

  vsr::train::SrModel x3 = vsr::train::make_model({o.arch, 3, o.features});
  const auto skipped = vsr::train::load_matching(*x3, (first / "model.pt").string());
  ASSERT_FALSE(skipped.empty()) << "the x3 output layer cannot come from an x2 file";
  const auto from = x2->named_parameters();
  size_t loaded = 0;
  for (const auto& p : x3->named_parameters()) {
    if (std::find(skipped.begin(), skipped.end(), p.key()) != skipped.end()) {
      EXPECT_NE(from[p.key()].sizes(), p.value().sizes()) << p.key() << " fits but was not loaded";
      continue;
    }
    EXPECT_TRUE(torch::equal(from[p.key()], p.value())) << p.key();
    ++loaded;
  }
  EXPECT_GT(loaded, 0u);

  o = tiny_run(second);  // the trainer with init_partial: an x3 run from the x2 weights
  o.scale = 3;
  o.init = (first / "model.pt").string();
  o.init_partial = true;
  o.iterations = 2;
  o.checkpoint_every = 2;
  EXPECT_NO_THROW(vsr::train::train(o));
  o.init_partial = false;
  fs::remove_all(second);
  EXPECT_THROW(vsr::train::train(o), vsr::Error) << "without init_partial another scale's weights are refused";
  o.arch = "edsr";  // none of ESPCN's parameter names
  o.features = {8, 1};
  o.init_partial = true;
  fs::remove_all(second);
  EXPECT_THROW(vsr::train::train(o), vsr::Error);
  fs::remove_all(first);
  fs::remove_all(second);
}

class EveryArchitectureTrains : public ::testing::TestWithParam<std::pair<std::string, std::vector<int>>> {};

TEST_P(EveryArchitectureTrains, LossFallsAndTheExportRuns) {
  const auto& [arch, features] = GetParam();
  const fs::path out = fs::temp_directory_path() / ("vsr_trainer_" + arch);
  fs::remove_all(out);
  vsr::train::TrainOptions o = tiny_run(out);
  o.arch = arch;
  o.features = features;
  o.iterations = 60;
  o.checkpoint_every = 20;
  o.export_path = (out / "model.onnx").string();
  vsr::train::train(o);
  const auto losses = csv_losses(out / "train.csv");
  ASSERT_EQ(losses.size(), 3u);
  EXPECT_LT(losses.back(), losses.front()) << arch << ": the loss did not fall";
  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_EQ(engine->info().arch, arch);
  EXPECT_EQ(engine->info().scale, 2);
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Architectures, EveryArchitectureTrains,
                         ::testing::Values(std::make_pair(std::string("espcn"), std::vector<int>{16, 8}),
                                           std::make_pair(std::string("fsrcnn"), std::vector<int>{16, 6, 1}),
                                           std::make_pair(std::string("srvgg"), std::vector<int>{16, 2}),
                                           std::make_pair(std::string("srcnn"), std::vector<int>{16, 8}),
                                           std::make_pair(std::string("vdsr"), std::vector<int>{8, 4}),
                                           std::make_pair(std::string("edsr"), std::vector<int>{8, 2}),
                                           std::make_pair(std::string("rcan"), std::vector<int>{8, 1, 2, 4}),
                                           std::make_pair(std::string("carn"), std::vector<int>{8, 1}),
                                           std::make_pair(std::string("srresnet"), std::vector<int>{8, 2}),
                                           std::make_pair(std::string("rrdb"), std::vector<int>{8, 1, 4}),
                                           std::make_pair(std::string("rdn"), std::vector<int>{8, 2, 3, 4}),
                                           std::make_pair(std::string("drn"), std::vector<int>{8, 2}),
                                           std::make_pair(std::string("spsr"), std::vector<int>{8, 4}),
                                           std::make_pair(std::string("cdc"), std::vector<int>{8, 2}),
                                           std::make_pair(std::string("irn"), std::vector<int>{8, 2})),
                         [](const auto& info) { return info.param.first; });

TEST(Trainer, InvertibleRescalingLogsItsRoundTrip) {
  // IRN is judged by HR -> its own LR -> HR: the validation logs it and the export records it. Even
  // barely trained its round trip keeps the picture (the Haar means are the box-downscaled image).
  const fs::path out = fs::temp_directory_path() / "vsr_trainer_irn_round_trip";
  fs::remove_all(out);
  vsr::train::TrainOptions o = tiny_run(out);
  o.validate = VSR_TEST_DATA;
  o.arch = "irn";
  o.features = {8, 2};
  o.export_path = (out / "model.onnx").string();
  vsr::train::train(o);
  const std::string log = read_file(out / "train.log");
  const auto at = log.rfind("val_round_trip_psnr ");
  ASSERT_NE(at, std::string::npos) << log;
  const double round_trip = std::stod(log.substr(at + 20));
  EXPECT_GT(round_trip, 24.0) << log;
  EXPECT_LT(round_trip, 80.0) << log;
  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_NE(engine->info().metrics.find("_round_trip_psnr_y="), std::string::npos) << engine->info().metrics;
  fs::remove_all(out);
}

TEST(Trainer, EmaLossesAndValidationScoresAreLogged) {
  const fs::path out = fs::temp_directory_path() / "vsr_trainer_ema";
  fs::remove_all(out);
  vsr::train::TrainOptions o = tiny_run(out);
  o.validate = VSR_TEST_DATA;
  o.loss = "charbonnier";
  o.ema = 0.9;
  o.export_path = (out / "model.onnx").string();
  vsr::train::train(o);
  EXPECT_TRUE(fs::exists(out / "ema.pt"));
  EXPECT_TRUE(fs::exists(out / "train_curves.png"));
  EXPECT_NE(vsr::train::draw_curves((out / "train.csv").string(), (out / "again.png").string()).find("val_psnr"),
            std::string::npos);
  const std::string log = read_file(out / "train.log");
  EXPECT_NE(log.find("val_ssim 0."), std::string::npos) << log;
  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_NE(engine->info().metrics.find("loss=charbonnier"), std::string::npos) << engine->info().metrics;
  EXPECT_NE(engine->info().metrics.find("ema=0.9"), std::string::npos) << engine->info().metrics;
  fs::remove_all(out);
}

TEST(Trainer, RealWorldDegradationTrainsFromHrOnlyFolders) {
  const fs::path out = fs::temp_directory_path() / "vsr_trainer_second_order";
  fs::remove_all(out);
  vsr::train::TrainOptions o = tiny_run(out);
  o.arch = "srvgg";
  o.features = {8, 2};
  o.degradation = "second_order";
  o.iterations = 20;
  o.checkpoint_every = 10;
  o.export_path = (out / "model.onnx").string();
  vsr::train::train(o);
  const auto losses = csv_losses(out / "train.csv");
  ASSERT_EQ(losses.size(), 2u);
  for (double l : losses) EXPECT_TRUE(std::isfinite(l));
  auto engine = vsr::Engine::open(o.export_path);
  EXPECT_NE(engine->info().metrics.find("degradation=second_order"), std::string::npos) << engine->info().metrics;
  fs::remove_all(out);
}

std::string write_config(const std::string& name, const std::string& json) {
  const fs::path p = fs::temp_directory_path() / name;
  std::ofstream(p) << json;
  return p.string();
}

std::string config_error(const std::string& json) {
  vsr::train::TrainOptions o;
  try {
    vsr::train::load_config(write_config("vsr_train_config.json", json), o);
    vsr::train::check_options(o);
  } catch (const vsr::Error& e) {
    return e.what();
  }
  return "";
}

TEST(TrainerConfig, KeysFillTheOptions) {
  vsr::train::TrainOptions o;
  vsr::train::load_config(write_config("vsr_train_ok.json", R"({"data": ["a", "b"], "arch": "fsrcnn", "scale": 3,
      "features": [32, 5, 1], "loss": "mse", "ema": 0.999, "iterations": 7, "patch": 24, "lr": 0.0005})"),
                          o);
  EXPECT_EQ(o.data, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(o.arch, "fsrcnn");
  EXPECT_EQ(o.scale, 3);
  EXPECT_EQ(o.features, (std::vector<int>{32, 5, 1}));
  EXPECT_EQ(o.loss, "mse");
  EXPECT_DOUBLE_EQ(o.ema, 0.999);
  EXPECT_EQ(o.iterations, 7);
  EXPECT_EQ(o.lr_patch, 24);
  EXPECT_DOUBLE_EQ(o.learning_rate, 0.0005);
  EXPECT_NO_THROW(vsr::train::check_options(o));
}

TEST(TrainerConfig, BadConfigsNameTheKey) {
  EXPECT_NE(config_error(R"({"data": "x", "iteratons": 5})").find("unknown key 'iteratons'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "scale": "two"})").find("key 'scale' has the wrong type"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "scale": 8})").find("setting 'scale'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "loss": "l3"})").find("setting 'loss'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "ema": 1.5})").find("setting 'ema'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "degradation": "jpeg"})").find("setting 'degradation'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "blur_from": "/tmp"})").find("setting 'blur_from'"), std::string::npos)
      << "blur matching needs the classic degradation";
  EXPECT_NE(config_error(R"({"data": "x", "degradation": "classic", "blur_from": "/no/such/folder"})").find("setting 'blur_from'"),
            std::string::npos);
  EXPECT_NE(config_error(R"({"scale": 2})").find("setting 'data'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "blur_prior": "fkp"})").find("setting 'blur_prior'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "device": "gpu"})").find("setting 'device' is 'gpu'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "precision": "fp8"})").find("setting 'precision' is 'fp8'"), std::string::npos);
  EXPECT_NE(config_error(R"({"data": "x", "precision": "fp16"})").find("on the CPU use bf16"), std::string::npos);
  EXPECT_EQ(config_error(R"({"data": "x", "device": "cuda:1", "precision": "fp16"})"), "") << "checked when the run starts";
  EXPECT_NE(config_error(R"({"data": "x", "init_partial": true})").find("setting 'init_partial'"), std::string::npos);
  EXPECT_NE(config_error("[1, 2]").find("must be a JSON object"), std::string::npos);
  EXPECT_NE(config_error("{nope").find("is not valid JSON"), std::string::npos);
}

// The example configs in train/configs load, pass the checks and name a model that builds.
TEST(TrainerConfig, EveryShippedConfigBuildsItsModel) {
  const fs::path configs = fs::path(VSR_TEST_DATA).parent_path().parent_path() / "train" / "configs";
  int count = 0;
  for (const auto& entry : fs::directory_iterator(configs)) {
    if (entry.path().extension() != ".json") continue;
    const std::string name = entry.path().filename().string();
    if (name.rfind("interp_", 0) == 0) continue;     // vsr-train-interp's (below)
    if (name.rfind("recurrent_", 0) == 0 || name.rfind("window_", 0) == 0)
      continue;  // vsr-train-video's (test_recurrent_training.cpp)
    SCOPED_TRACE(entry.path().string());
    vsr::train::TrainOptions o;
    ASSERT_NO_THROW(vsr::train::load_config(entry.path().string(), o));
    EXPECT_NO_THROW(vsr::train::check_options(o));
    vsr::train::SrModel model;
    ASSERT_NO_THROW(model = vsr::train::make_model({o.arch, o.scale, o.features}));
    EXPECT_EQ(model->arch(), o.arch);
    EXPECT_EQ(model->scale(), o.scale);
    ++count;
  }
  EXPECT_GE(count, 9) << "configs missing from " << configs;
}

std::string model_error(const std::string& arch, const std::vector<int>& features) {
  try {
    vsr::train::make_model({arch, 2, features});
  } catch (const vsr::Error& e) {
    return e.what();
  }
  return "";
}

TEST(TrainerConfig, FeatureListsThatDoNotFitAreNamed) {
  EXPECT_NE(model_error("rcan", {64, 32}).find("takes features [width, residual groups"), std::string::npos);
  EXPECT_NE(model_error("edsr", {64, 16, 2}).find("residual scaling 0.1 and must be 1"), std::string::npos);
  EXPECT_NE(model_error("carn", {64, 2}).find("mobile 0 (CARN) or 1 (CARN-M)"), std::string::npos);
  EXPECT_NE(model_error("carn", {0, 1}).find("width >= 1"), std::string::npos);
  EXPECT_NE(model_error("carn", {30, 1}).find("multiple of its 4 groups"), std::string::npos);
  EXPECT_NE(model_error("rdn", {8, 0, 2, 4}).find("feature 0 is not 1 to 1024"), std::string::npos);
  EXPECT_EQ(model_error("carn", {8, 0}), "");
}

TEST(TrainerConfig, AnUnknownArchitectureIsNamed) {
  const fs::path out = fs::temp_directory_path() / "vsr_trainer_bad_arch";
  vsr::train::TrainOptions o = tiny_run(out);
  o.arch = "transformer";
  try {
    vsr::train::train(o);
    FAIL() << "an unknown architecture trained";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown architecture 'transformer' (known: espcn, fsrcnn, srvgg, srcnn, vdsr, edsr, rcan, carn, "
                                              "srresnet, rrdb, rdn, drn, spsr, cdc, irn)"),
              std::string::npos)
        << e.what();
  }
  fs::remove_all(out);
}

}  // namespace

// vsr-train-interp's loop on generated frames: a smooth random still (synthetic motion) and one
// triplet cut from it for validation. Checkpoints resume exactly: 3 + 3 iterations give the very
// weights of 6 in one go, and the export opens as an interpolation model.
namespace {

vsr::Image8 smooth_still(int size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  double fx[3][4], fy[3][4], ph[3][4];
  for (auto* a : {fx, fy, ph})
    for (int c = 0; c < 3; ++c)
      for (int k = 0; k < 4; ++k) a[c][k] = unit(rng);
  vsr::Image8 img{size, size, 3, std::vector<uint8_t>(static_cast<size_t>(size) * size * 3)};
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x)
      for (int c = 0; c < 3; ++c) {
        double v = 0.5;
        for (int k = 0; k < 4; ++k)
          v += 0.12 * std::sin(0.02 * (k + 1) * (fx[c][k] * x + fy[c][k] * y) * 3 + 6.28 * ph[c][k]);
        img.row(y)[3 * x + c] = static_cast<uint8_t>(std::clamp(v, 0.0, 1.0) * 255 + 0.5);
      }
  return img;
}

vsr::Image8 to_image8(const std::vector<float>& planar, int size) {
  vsr::Image8 img{size, size, 3, std::vector<uint8_t>(static_cast<size_t>(size) * size * 3)};
  const size_t plane = static_cast<size_t>(size) * size;
  for (size_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c) img.pixels[3 * i + c] = static_cast<uint8_t>(std::clamp(planar[c * plane + i], 0.0f, 1.0f) * 255 + 0.5f);
  return img;
}

vsr::train::InterpTrainOptions tiny_interp_run(const fs::path& root, const fs::path& out) {
  vsr::train::InterpTrainOptions o;
  o.photos = {(root / "stills").string()};
  o.validate = {(root / "triplets").string()};
  o.out_dir = out.string();
  o.export_path = (out / "interp.onnx").string();
  o.features = {8, 8, 8, 1, 4};
  o.batch = 2;
  o.patch = 32;
  o.max_motion = 6;
  o.iterations = 6;
  o.checkpoint_every = 3;
  o.threads = 1;
  o.trained_on = "unit test stills";
  return o;
}

std::vector<float> weights_of(const fs::path& model_pt, const std::vector<int>& features) {
  vsr::train::InterpNet net(vsr::train::InterpNetConfig::from_features(features));
  torch::serialize::InputArchive archive;
  archive.load_from(model_pt.string());
  net->load(archive);
  std::vector<float> all;
  for (const auto& p : net->parameters()) {
    auto c = p.detach().contiguous();
    all.insert(all.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  }
  return all;
}

// root/stills (one smooth still to cut motion from) and root/triplets/a (one held-back triplet).
void make_interp_data(const fs::path& root) {
  fs::remove_all(root);
  fs::create_directories(root / "stills");
  fs::create_directories(root / "triplets" / "a");
  const vsr::Image8 still = smooth_still(160, 3);
  vsr::write_png((root / "stills" / "still.png").string(), still);
  std::mt19937_64 rng(5);
  const auto triplet = vsr::train::synthetic_triplet(still, 24, 0.5, 4.0, rng);
  vsr::write_png((root / "triplets" / "a" / "frame_0.png").string(), to_image8(triplet.frame0, 24));
  vsr::write_png((root / "triplets" / "a" / "frame_1.png").string(), to_image8(triplet.middle, 24));
  vsr::write_png((root / "triplets" / "a" / "frame_2.png").string(), to_image8(triplet.frame1, 24));
}

}  // namespace

TEST(InterpTrainer, ResumesExactlyAndExportsAnInterpolationModel) {
  const fs::path root = fs::temp_directory_path() / "vsr_interp_trainer_test";
  make_interp_data(root);
  auto straight = tiny_interp_run(root, root / "straight");
  const double psnr = vsr::train::train_interp(straight);
  EXPECT_TRUE(std::isfinite(psnr));
  auto resumed = tiny_interp_run(root, root / "resumed");
  resumed.stop_after = 3;  // an interrupted run: the schedule still spans 6
  resumed.checkpoint_every = 100;
  vsr::train::train_interp(resumed);
  resumed.stop_after = 0;
  vsr::train::train_interp(resumed);
  EXPECT_NE(read_file(root / "resumed" / "train.log").find("resuming from"), std::string::npos);
  EXPECT_EQ(weights_of(root / "straight" / "model.pt", straight.features),
            weights_of(root / "resumed" / "model.pt", resumed.features));
  EXPECT_EQ(weights_of(root / "straight" / "ema.pt", straight.features),
            weights_of(root / "resumed" / "ema.pt", resumed.features));
  const std::string csv = read_file(root / "straight" / "train.csv");
  EXPECT_EQ(csv.rfind("iteration,loss,lr,val_psnr,val_ssim,elapsed_s", 0), 0u) << csv;

  auto interp = vsr::Interpolator::open((root / "straight" / "interp.onnx").string());
  EXPECT_EQ(interp->info().temporal, "interpolate");
  EXPECT_EQ(interp->size_multiple(), 8);
  EXPECT_EQ(interp->info().trained_on, "unit test stills");
  fs::remove_all(root);
}

// precision bf16: the interpolation network's forward under CPU autocast (device 'cuda' on a GPU);
// the flows and the loss stay fp32 and the export is an fp32 model the Interpolator opens.
TEST(InterpTrainer, ABf16RunOnTheCpuTrainsAndExports) {
  const fs::path root = fs::temp_directory_path() / "vsr_interp_trainer_bf16";
  make_interp_data(root);
  auto o = tiny_interp_run(root, root / "run");
  o.precision = "bf16";
  o.iterations = 3;
  EXPECT_TRUE(std::isfinite(vsr::train::train_interp(o)));
  EXPECT_NE(read_file(root / "run" / "train.log").find("cpu, bf16"), std::string::npos);
  auto interp = vsr::Interpolator::open((root / "run" / "interp.onnx").string());
  EXPECT_EQ(interp->info().temporal, "interpolate");
  fs::remove_all(root);
}

// A run started from another run's export (init) with a second flow stage added: the first stage's
// weights are read back, the second stage's named as left, and the two-stage export opens.
TEST(InterpTrainer, StartsFromAnExportWithASecondStageAdded) {
  const fs::path root = fs::temp_directory_path() / "vsr_interp_trainer_init";
  make_interp_data(root);
  auto first = tiny_interp_run(root, root / "first");
  first.iterations = 3;
  vsr::train::train_interp(first);
  auto second = tiny_interp_run(root, root / "second");
  second.init = first.export_path;
  second.features = {8, 8, 8, 1, 4, 0, 1, 4, 1};
  second.iterations = 3;
  EXPECT_TRUE(std::isfinite(vsr::train::train_interp(second)));
  const std::string log = read_file(root / "second" / "train.log");
  EXPECT_NE(log.find("starting from the weights in " + first.export_path + "; left as initialised: s2_down1.weight"),
            std::string::npos) << log;
  EXPECT_EQ(log.find("left as initialised: down1"), std::string::npos) << log;
  auto interp = vsr::Interpolator::open((root / "second" / "interp.onnx").string());
  EXPECT_EQ(interp->info().temporal, "interpolate");
  // A missing init file is named.
  auto missing = tiny_interp_run(root, root / "missing");
  missing.init = (root / "nowhere.onnx").string();
  EXPECT_NE(error_of([&] { vsr::train::train_interp(missing); }).find("setting 'init' names '" + missing.init + "'"),
            std::string::npos);
  fs::remove_all(root);
}

// Motion-ranked crops (motion_crops): a crop over a moving square outranks one over still background.
TEST(InterpCrops, TheCropThatMovesRanksAboveTheStillOne) {
  vsr::Image8 a{64, 32, 3, std::vector<uint8_t>(64 * 32 * 3, 90)}, b = a;
  for (int y = 8; y < 24; ++y)
    for (int x = 40; x < 56; ++x)
      for (int c = 0; c < 3; ++c) b.row(y)[3 * x + c] = 200;  // a square appears on the right
  EXPECT_EQ(vsr::train::crop_difference(a, b, 0, 0, 32), 0.0);
  // The right-hand crop: 16 x 16 of its 32 x 32 pixels changed by 110.
  EXPECT_NEAR(vsr::train::crop_difference(a, b, 32, 0, 32, 1), 110.0 / 4, 1e-9);
  EXPECT_NEAR(vsr::train::crop_difference(a, b, 32, 0, 32), 110.0 / 4, 1e-9);
}

TEST(InterpTrainerConfig, ShippedConfigLoadsAndBadKeysAreNamed) {
  const fs::path configs = fs::path(VSR_TEST_DATA).parent_path().parent_path() / "train" / "configs";
  vsr::train::InterpTrainOptions o;
  for (const char* config : {"interp_x1.json", "interp_x1_stage2.json", "interp_x1_stage3_mse.json"}) {
    o = {};
    ASSERT_NO_THROW(vsr::train::load_interp_config((configs / config).string(), o)) << config;
    EXPECT_NO_THROW(vsr::train::check_interp_options(o)) << config;
    EXPECT_NO_THROW(vsr::train::InterpNetConfig::from_features(o.features)) << config;
  }
  EXPECT_EQ(o.threads, 1);
  const fs::path bad = fs::temp_directory_path() / "vsr_interp_bad_config.json";
  std::ofstream(bad) << R"({"videos": ["a.avi"], "scale": 2})";
  try {
    vsr::train::load_interp_config(bad.string(), o);
    ADD_FAILURE() << "an unknown key was accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown key 'scale'"), std::string::npos) << e.what();
  }
  std::ofstream(bad) << R"({"videos": ["a.avi"], "device": "cuda:x"})";
  o = {};
  vsr::train::load_interp_config(bad.string(), o);
  EXPECT_NE(error_of([&] { vsr::train::check_interp_options(o); }).find("setting 'device' is 'cuda:x'"), std::string::npos);
  o.device = "cpu";
  o.precision = "fp8";
  EXPECT_NE(error_of([&] { vsr::train::check_interp_options(o); }).find("setting 'precision' is 'fp8'"), std::string::npos);
  o.precision = "fp32";
  o.motion_crops = 0;
  EXPECT_NE(error_of([&] { vsr::train::check_interp_options(o); }).find("setting 'motion_crops' must be 1 to 64"), std::string::npos);
  o.motion_crops = 1;
  o.loss = "mse";
  EXPECT_NO_THROW(vsr::train::check_interp_options(o));
  o.loss = "l2";
  EXPECT_NE(error_of([&] { vsr::train::check_interp_options(o); }).find("setting 'loss' 'l2' is not one of l1, charbonnier, mse"),
            std::string::npos);
  EXPECT_THROW(vsr::train::InterpNetConfig::from_features({8, 8, 8, 1, 4, 0, 1, 5}), vsr::Error);  // odd stage-2 width
  fs::remove(bad);
}
