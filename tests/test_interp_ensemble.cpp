// vsr::Interpolator's test-time ensemble: 2 passes are the mean of the model run as given and with the
// frames swapped (t -> 1 - t); 4 add both runs on left-right mirrored frames, mirrored back. Checked
// against those single runs made by hand with the shipped model, on an odd-sized crop (padding
// then falls on the other side of a mirrored frame) at t = 0.3.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "eval/image.h"
#include "eval/image_frame.h"
#include "vsr/error.h"
#include "vsr/interpolator.h"

namespace {

constexpr int kWidth = 61, kHeight = 45;

vsr::Image8 crop(const vsr::Image8& image, int x0, int y0) {
  vsr::Image8 out = vsr::blank_rgb(kWidth, kHeight);
  for (int y = 0; y < kHeight; ++y) std::copy_n(image.row(y0 + y) + 3 * x0, 3 * kWidth, out.pixels.data() + 3 * kWidth * y);
  return out;
}

vsr::Image8 mirrored(const vsr::Image8& image) {
  vsr::Image8 out = image;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) std::copy_n(image.row(y) + 3 * (image.width - 1 - x), 3, out.row(y) + 3 * x);
  return out;
}

vsr::Image8 run(vsr::Interpolator& interp, vsr::Image8 a, vsr::Image8 b, double t) {
  vsr::Image8 made = vsr::blank_rgb(a.width, a.height);
  interp.interpolate(vsr::frame_of(a), vsr::frame_of(b), t, vsr::frame_of(made));
  return made;
}

// Largest difference in 8-bit levels between `made` and the rounded mean of `parts`.
int largest_difference_from_mean(const vsr::Image8& made, const std::vector<vsr::Image8>& parts) {
  int worst = 0;
  for (size_t i = 0; i < made.pixels.size(); ++i) {
    double sum = 0;
    for (const auto& p : parts) sum += p.pixels[i];
    worst = std::max(worst, std::abs(int(made.pixels[i]) - int(std::lround(sum / parts.size()))));
  }
  return worst;
}

}  // namespace

TEST(InterpEnsemble, PassesAreTheMeanOfTheSwappedAndMirroredRuns) {
  const vsr::Image8 photo = vsr::read_png_rgb(std::string(VSR_TEST_DATA) + "/zoo/chelsea.png");
  const vsr::Image8 a = crop(photo, 40, 30), b = crop(photo, 47, 34);
  auto interp = vsr::Interpolator::open("interp_ifnet_lite");
  EXPECT_EQ(interp->ensemble(), 1);
  const double t = 0.3;
  const vsr::Image8 plain = run(*interp, a, b, t), swapped = run(*interp, b, a, 1.0 - t);
  const vsr::Image8 mirror = mirrored(run(*interp, mirrored(a), mirrored(b), t));
  const vsr::Image8 mirror_swapped = mirrored(run(*interp, mirrored(b), mirrored(a), 1.0 - t));
  // The passes must differ, or the means below would not test anything.
  EXPECT_GT(largest_difference_from_mean(plain, {swapped}), 2);
  EXPECT_GT(largest_difference_from_mean(plain, {mirror}), 2);

  interp->set_ensemble(2);
  EXPECT_LE(largest_difference_from_mean(run(*interp, a, b, t), {plain, swapped}), 1);
  interp->set_ensemble(4);
  EXPECT_LE(largest_difference_from_mean(run(*interp, a, b, t), {plain, swapped, mirror, mirror_swapped}), 1);
  interp->set_ensemble(1);
  EXPECT_EQ(run(*interp, a, b, t).pixels, plain.pixels);
}

TEST(InterpEnsemble, OtherPassCountsAreRefused) {
  auto interp = vsr::Interpolator::open("blend");
  try {
    interp->set_ensemble(3);
    ADD_FAILURE() << "3 passes were accepted";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("ensemble of 3 passes"), std::string::npos) << e.what();
  }
  EXPECT_THROW(interp->set_ensemble(0), vsr::Error);
  EXPECT_EQ(interp->ensemble(), 1);
}
