// The shipped models must not get worse: each is scored through the engine with the standard protocol
// on two photos the project ships (tests/data/zoo: scikit-image's chelsea (colour) and camera (grey),
// CC0, see MANIFEST.tsv), and its mean Y-PSNR may not drop below the value stored here, measured when
// the model was added (2026-11-28). A retrained model that scores higher updates its line.
#include <gtest/gtest.h>

#include <filesystem>

#include "eval/image_frame.h"
#include "eval/protocol.h"
#include "vsr/engine.h"

namespace {

struct Stored {
  const char* model;
  double psnr;  // mean Y-PSNR (dB) on tests/data/zoo at the model's scale
};

class ZooRegression : public ::testing::TestWithParam<Stored> {};

TEST_P(ZooRegression, ScoreDoesNotDrop) {
  const Stored s = GetParam();
  auto engine = vsr::Engine::open(std::string(VSR_SOURCE_DIR) + "/models/zoo/" + s.model + ".onnx");
  const int scale = engine->info().scale;
  const vsr::MethodScores scores = vsr::score_folder(
      s.model, std::string(VSR_TEST_DATA) + "/zoo", scale, [&](const vsr::Image8& lr_in) {
        vsr::Image8 lr = lr_in, sr = vsr::blank_rgb(lr.width * scale, lr.height * scale);
        engine->process(vsr::frame_of(lr), vsr::frame_of(sr));
        return sr;
      });
  ASSERT_EQ(scores.images.size(), 2u);
  EXPECT_GE(scores.mean_psnr, s.psnr - 0.005) << s.model << " lost quality: " << scores.mean_psnr << " dB";
}

INSTANTIATE_TEST_SUITE_P(Shipped, ZooRegression,
                         ::testing::Values(Stored{"espcn_x2", 33.817}, Stored{"srvgg_x2", 34.140},
                                           Stored{"srvgg_x4", 30.134}, Stored{"srvgg_x3", 31.438},
                                           Stored{"edsr_quality_x2", 34.261}, Stored{"edsr_quality_x4", 30.243}),
                         [](const auto& info) { return std::string(info.param.model); });

}  // namespace
