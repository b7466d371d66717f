// vsr-train's loop end to end on a few shippable images: checkpoints, resume, ONNX export the engine loads.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "train/trainer.h"
#include "vsr/engine.h"

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
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
  const double first_psnr = vsr::train::train_espcn(o);
  EXPECT_TRUE(std::isfinite(first_psnr));
  EXPECT_EQ(read_file(out / "state.txt"), "20\n");
  ASSERT_TRUE(fs::exists(out / "model.onnx"));
  EXPECT_FALSE(fs::exists(out / "model.onnx.partial"));

  // A second run with a larger budget continues from iteration 20 instead of starting over.
  o.iterations = 30;
  vsr::train::train_espcn(o);
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

}  // namespace
