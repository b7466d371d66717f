// vsr::Interpolator against a model computable by hand (the linear blend at t): colour conversion in
// and out, padding to the model's size multiple and cropping back, odd sizes, and clear errors.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "tiny_models.h"
#include "vsr/error.h"
#include "vsr/interpolator.h"

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("vsr_interp_" + name)).string();
}

// An RGB frame whose channels are three different gradients, so that a shifted or flipped crop shows.
tiny_models::RgbFrame gradient(int w, int h, int phase) {
  tiny_models::RgbFrame f(w, h, 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        f.bytes[(static_cast<size_t>(y) * w + x) * 3 + c] = static_cast<uint8_t>((x * 7 + y * 3 * (c + 1) + phase * 40) % 256);
  return f;
}

TEST(Interpolator, BlendAtAnyTimeWithPaddingAndOddSizes) {
  for (int multiple : {1, 8}) {
    auto interp = vsr::Interpolator::open(tiny_models::blend_interpolation_model(temp_path("blend.onnx"), multiple));
    EXPECT_EQ(interp->size_multiple(), multiple);
    for (auto [w, h] : {std::pair{17, 9}, std::pair{32, 24}}) {
      const auto a = gradient(w, h, 0), b = gradient(w, h, 3);
      for (double t : {0.25, 0.5, 0.8}) {
        tiny_models::RgbFrame out(w, h, 0);
        interp->interpolate(a.frame, b.frame, t, out.frame);
        for (size_t i = 0; i < out.bytes.size(); ++i) {
          const double expected = (1 - t) * a.bytes[i] + t * b.bytes[i];
          ASSERT_NEAR(out.bytes[i], expected, 0.51) << "byte " << i << " t=" << t << " " << w << "x" << h
                                                    << " multiple " << multiple;
        }
      }
    }
  }
}

TEST(Interpolator, RefusesWhatDoesNotFit) {
  auto interp = vsr::Interpolator::open(tiny_models::blend_interpolation_model(temp_path("blend2.onnx")));
  tiny_models::RgbFrame a(8, 8, 0), b(8, 8, 0), small(4, 8, 0);
  EXPECT_THROW(interp->interpolate(a.frame, b.frame, 0.0, b.frame), vsr::Error);
  EXPECT_THROW(interp->interpolate(a.frame, b.frame, 1.0, b.frame), vsr::Error);
  EXPECT_THROW(interp->interpolate(a.frame, small.frame, 0.5, b.frame), vsr::Error);
  // An upscaler is not an interpolator, and the other way round, each said by name.
  try {
    vsr::Engine::open(temp_path("blend2.onnx"));
    FAIL() << "the engine opened an interpolation model";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("Interpolator"), std::string::npos) << e.what();
  }
  try {
    vsr::Interpolator::open("espcn_x2");
    FAIL() << "an upscaler opened as an interpolator";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("vsr.temporal=interpolate"), std::string::npos) << e.what();
  }
}

}  // namespace
