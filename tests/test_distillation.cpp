// Teacher distillation (train/distillation.h): the term by hand, its two stages, the settings' errors,
// and a short run in which it pulls the student towards its teacher.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "eval/image.h"
#include "train/checkpoint_io.h"
#include "train/distillation.h"
#include "train/sr_model.h"
#include "train/trainer.h"
#include "vsr/engine.h"
#include "vsr/error.h"
#include "error_text.h"
#include "training_runs.h"

namespace fs = std::filesystem;
using vsr::train::Distillation;
using vsr::train::DistillationOptions;
using vsr::train::TeacherOptions;

namespace {

// An ESPCN 8-8 x2 with seeded random weights, saved where a teacher setting can name it.
std::string saved_teacher(const fs::path& path, uint64_t seed) {
  torch::manual_seed(seed);
  vsr::train::SrModel teacher = vsr::train::make_model({"espcn", 2, {8, 8}});
  vsr::train::save_module(*teacher, path.string());
  return path.string();
}

TEST(Distillation, TheTermIsEachTeachersWeightedPixelLoss) {
  const std::string weights = saved_teacher(fs::temp_directory_path() / "vsr_teacher_a.pt", 3);
  DistillationOptions o;
  o.teachers = {{"espcn", {8, 8}, weights, 1.0}, {"espcn", {8, 8}, weights, 0.5}};
  Distillation d(o, 2, "l1");
  vsr::train::SrModel same = vsr::train::make_model({"espcn", 2, {8, 8}});
  vsr::train::load_module(*same, weights);
  torch::manual_seed(5);
  const torch::Tensor lr = torch::rand({2, 3, 10, 12});
  const torch::Tensor target = same->forward(lr).clamp(0.0, 1.0).detach();
  // L1 against an output 0.1 away from the teacher's, everywhere: 1 x 0.1 + 0.5 x 0.1.
  EXPECT_NEAR(d.loss(target + 0.1, lr).item<double>(), 0.15, 1e-6);
  EXPECT_NEAR(d.loss(target, lr).item<double>(), 0.0, 1e-7);
  // The gradient reaches the student's output, never the frozen teacher.
  torch::Tensor sr = (target + 0.1).requires_grad_(true);
  d.loss(sr, lr).backward();
  ASSERT_TRUE(sr.grad().defined());
  EXPECT_NEAR(sr.grad().abs().sum().item<double>(), 1.5, 1e-4) << "d(mean |x|)/dx summed over all elements, x 1.5";
  EXPECT_EQ(d.describe(), "teachers(espcn*1,espcn*0.5)");
  EXPECT_TRUE(d.active(0));
  EXPECT_TRUE(d.active(1000000)) << "until 0: the whole run";
}

TEST(Distillation, TheSecondStageIsTheGroundTruthAlone) {
  DistillationOptions o;
  o.teachers = {{"espcn", {8, 8}, saved_teacher(fs::temp_directory_path() / "vsr_teacher_b.pt", 4), 1.0}};
  o.until = 5;
  Distillation d(o, 2, "l1");
  EXPECT_TRUE(d.active(4));
  EXPECT_FALSE(d.active(5));
  EXPECT_EQ(d.describe(), "teachers(espcn*1)until=5");
  EXPECT_FALSE(Distillation(DistillationOptions{}, 2, "l1").active(0)) << "no teacher, no term";
}

TEST(Distillation, WrongSettingsAreNamed) {
  const std::string weights = saved_teacher(fs::temp_directory_path() / "vsr_teacher_c.pt", 5);
  auto check = [](const DistillationOptions& o) { return error_of([&] { vsr::train::check_distillation(o, 100); }); };
  DistillationOptions o;
  o.teachers = {{"espcn", {}, weights, 1.0}, {"nope", {}, weights, 1.0}};
  EXPECT_NE(check(o).find("setting 'teachers[1].arch'"), std::string::npos) << check(o);
  o.teachers[1] = {"edsr", {}, weights, 0.0};
  EXPECT_NE(check(o).find("setting 'teachers[1].weight'"), std::string::npos) << check(o);
  o.teachers.pop_back();
  o.until = 101;
  EXPECT_NE(check(o).find("setting 'distill_until'"), std::string::npos) << check(o);
  o.until = 50;
  EXPECT_EQ(check(o), "");
  o.teachers.clear();
  EXPECT_NE(check(o).find("setting 'distill_until'"), std::string::npos) << "a stage end without teachers";
  // A missing file and weights of another shape: refused when loaded, naming the teacher.
  o.until = 0;
  o.teachers = {{"espcn", {8, 8}, weights, 1.0}, {"edsr", {}, "/no/such/ema.pt", 1.0}};
  const std::string missing = error_of([&] { Distillation d(o, 2, "l1"); });
  EXPECT_NE(missing.find("setting 'teachers[1].weights'"), std::string::npos) << missing;
  o.teachers = {{"espcn", {16, 8}, weights, 1.0}};
  const std::string e = error_of([&] { Distillation d(o, 2, "l1"); });
  EXPECT_NE(e.find("setting 'teachers[0].weights'"), std::string::npos) << e;
}

TEST(Distillation, ConfigReadsTeachersAndNamesBadEntries) {
  const fs::path p = fs::temp_directory_path() / "vsr_distill_config.json";
  auto load = [&](const std::string& json) {
    std::ofstream(p) << json;
    vsr::train::TrainOptions o;
    vsr::train::load_config(p.string(), o);
    return o;
  };
  const auto o = load(R"({"data": "x", "teachers": [{"arch": "edsr", "features": [64, 8], "weights": "t/ema.pt", "weight": 0.5},
      {"arch": "rcan", "weights": "u/ema.pt"}], "distill_until": 300})");
  ASSERT_EQ(o.distillation.teachers.size(), 2u);
  EXPECT_EQ(o.distillation.teachers[0].arch, "edsr");
  EXPECT_EQ(o.distillation.teachers[0].features, (std::vector<int>{64, 8}));
  EXPECT_EQ(o.distillation.teachers[0].weights, "t/ema.pt");
  EXPECT_DOUBLE_EQ(o.distillation.teachers[0].weight, 0.5);
  EXPECT_DOUBLE_EQ(o.distillation.teachers[1].weight, 1.0);
  EXPECT_EQ(o.distillation.until, 300);
  auto bad = [&](const std::string& json) { return error_of([&] { load(json); }); };
  EXPECT_NE(bad(R"({"teachers": [{"arch": "edsr", "weights": "w", "wieght": 1}]})").find("unknown key 'teachers[0].wieght'"),
            std::string::npos);
  EXPECT_NE(bad(R"({"teachers": [{"arch": "edsr"}]})").find("'teachers[0].weights' is missing"), std::string::npos);
  EXPECT_NE(bad(R"({"teachers": [{"arch": 3, "weights": "w"}]})").find("'teachers[0].arch' has the wrong type"), std::string::npos);
  EXPECT_NE(bad(R"({"teachers": {"arch": "edsr"}})").find("'teachers' must be a list"), std::string::npos);
}

torch::Tensor image_tensor(const std::string& path) {
  const vsr::Image8 img = vsr::read_png_rgb(path);
  auto t = torch::from_blob(const_cast<uint8_t*>(img.pixels.data()), {img.height, img.width, 3}, torch::kUInt8);
  return t.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div(255.0).contiguous();
}

// The same short run with and without a heavily weighted teacher: with it, the student ends closer to
// the teacher's output on an image; the export records the distillation.
TEST(Distillation, PullsTheStudentTowardsItsTeacher) {
  const fs::path dir = fs::temp_directory_path() / "vsr_distill_run";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string weights = saved_teacher(dir / "teacher.pt", 11);
  auto run = [&](const std::string& name, bool distil) {
    vsr::train::TrainOptions o = tiny_run(dir / name);
    o.export_path = (dir / name / "model.onnx").string();
    o.features = {8, 8};
    o.iterations = 40;
    o.checkpoint_every = 40;
    o.learning_rate = 3e-3;
    if (distil) o.distillation.teachers = {{"espcn", {8, 8}, weights, 20.0}};
    vsr::train::train(o);
    vsr::train::SrModel student = vsr::train::make_model({"espcn", 2, {8, 8}});
    vsr::train::load_module(*student, o.out_dir + "/model.pt");
    return student;
  };
  vsr::train::SrModel teacher = vsr::train::make_model({"espcn", 2, {8, 8}});
  vsr::train::load_module(*teacher, weights);
  const torch::Tensor lr = torch::nn::functional::avg_pool2d(image_tensor(std::string(VSR_TEST_DATA) + "/imresize_hr.png"),
                                                             torch::nn::functional::AvgPool2dFuncOptions(2));
  const torch::Tensor target = teacher->forward(lr).clamp(0.0, 1.0).detach();
  auto distance = [&](vsr::train::SrModel student) {
    torch::NoGradGuard no_grad;
    return (student->forward(lr) - target).abs().mean().item<double>();
  };
  const double plain = distance(run("plain", false));  // trained outside any no-grad guard
  const double distilled = distance(run("distilled", true));
  std::cout << "mean |student - teacher|: plain " << plain << ", distilled " << distilled << std::endl;
  EXPECT_LT(distilled, 0.7 * plain);
  EXPECT_NE(vsr::Engine::open((dir / "distilled" / "model.onnx").string())->info().metrics.find("distillation=teachers(espcn*20)"),
            std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
