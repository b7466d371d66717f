// The luma-only model path (DESIGN decision 3): frame_to_planar_luma's known values for every format
// family, and luma_to_frame's luma, its bicubic chroma, every output format, odd sizes and padding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "colour_test_frame.h"
#include "kernels/cpu/colour.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

using namespace colour_test;

TEST(ColourLuma, FrameToPlanarLumaKnownValues) {
  // 8-bit YUV, limited and full, in every layout: only the Y plane counts.
  for (PixelFormat fmt : {PixelFormat::I420, PixelFormat::NV12, PixelFormat::YV12, PixelFormat::Y444}) {
    SCOPED_TRACE(to_string(fmt));
    OwnedFrame limited(fmt, 4, 2, 1, ColourMatrix::Bt709, false), full(fmt, 4, 2, 1, ColourMatrix::Bt709, true);
    limited.fill_yuv(16, 200, 60);
    full.fill_yuv(16, 200, 60);
    const int codes[] = {16, 235, 126, 255};
    for (int x = 0; x < 4; ++x) {
      limited.set_y(x, 1, codes[x]);
      full.set_y(x, 1, codes[x]);
    }
    const std::vector<float> a = limited.to_luma(), b = full.to_luma();
    for (int x = 0; x < 4; ++x) {
      EXPECT_FLOAT_EQ(a[x], 0.0f);
      EXPECT_FLOAT_EQ(a[4 + x], (codes[x] - 16) / 219.0f);  // 255 is above white: not clamped
      EXPECT_FLOAT_EQ(b[x], 16 / 255.0f);
      EXPECT_FLOAT_EQ(b[4 + x], codes[x] / 255.0f);
    }
  }
  // 10-bit: (Y - 64) / 876 and Y / 1023.
  for (PixelFormat fmt : kTenBitFormats) {
    SCOPED_TRACE(to_string(fmt));
    for (bool full : {false, true}) {
      OwnedFrame f(fmt, 4, 2, 0, ColourMatrix::Bt2020, full);
      f.fill_yuv(512, 300, 700);
      const int codes[] = {64, 940, 502, 1023};
      for (int x = 0; x < 4; ++x) f.set_y(x, 0, codes[x]);
      const std::vector<float> y = f.to_luma();
      for (int x = 0; x < 4; ++x) EXPECT_FLOAT_EQ(y[x], full ? codes[x] / 1023.0f : (codes[x] - 64) / 876.0f);
      EXPECT_FLOAT_EQ(y[4], full ? 512 / 1023.0f : 448 / 876.0f);
    }
  }
  // Grey: value / 255 even when the frame says limited.
  OwnedFrame grey(PixelFormat::GRAY8, 2, 1, 0, ColourMatrix::Bt709, false);
  grey.at(0, 0, 0) = 51;
  grey.at(0, 1, 0) = 255;
  const std::vector<float> grey_luma = grey.to_luma();
  EXPECT_FLOAT_EQ(grey_luma[0], 0.2f);
  EXPECT_FLOAT_EQ(grey_luma[1], 1.0f);
  // Packed RGB: Kr R + Kg G + Kb B of the frame's matrix, in every byte order.
  struct Primary {
    ColourMatrix matrix;
    int channel;  // 0 R, 1 G, 2 B
    float luma;
  };
  const Primary primaries[] = {{ColourMatrix::Bt709, 0, 0.2126f},
                               {ColourMatrix::Bt601, 1, 0.587f},
                               {ColourMatrix::Bt2020, 2, 0.0593f},
                               {ColourMatrix::Bt601, 0, 0.299f}};
  const int offsets[][3] = {{0, 1, 2}, {2, 1, 0}, {0, 1, 2}, {2, 1, 0}, {0, 1, 2}, {2, 1, 0}};  // RGB, BGR, ...
  for (int n = 0; n < 6; ++n) {
    const PixelFormat fmt = kAllFormats[n];
    for (const Primary& p : primaries) {
      OwnedFrame f(fmt, 2, 1, 1, p.matrix);
      std::fill(f.planes[0].begin(), f.planes[0].end(), 0);
      f.at(0, offsets[n][p.channel], 0) = 255;  // pixel 0 is the primary, pixel 1 black
      const std::vector<float> y = f.to_luma();
      EXPECT_NEAR(y[0], p.luma, 1e-6) << to_string(fmt) << " channel " << p.channel;
      EXPECT_EQ(y[1], 0.0f);
    }
  }
}

// A frame's luma repeated `scale` times each way: what a perfect luma network gives for a flat frame.
std::vector<float> nearest_upscale(const std::vector<float>& y, int W, int H, int scale) {
  std::vector<float> out(static_cast<size_t>(W) * H * scale * scale);
  for (int oy = 0; oy < H * scale; ++oy)
    for (int ox = 0; ox < W * scale; ++ox)
      out[static_cast<size_t>(oy) * W * scale + ox] = y[(oy / scale) * W + ox / scale];
  return out;
}

// Largest difference between two frames of one format, in codes of that format, over every sample
// (and alpha byte) they store.
int max_code_difference(const OwnedFrame& a, const OwnedFrame& b) {
  int worst = 0;
  const PixelFormat f = a.frame.format;
  if (is_packed(f)) {
    for (int y = 0; y < a.height(); ++y)
      for (int x = 0; x < a.row_bytes(0); ++x) worst = std::max(worst, std::abs(a.at(0, x, y) - b.at(0, x, y)));
    return worst;
  }
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x) worst = std::max(worst, std::abs(a.y_code(x, y) - b.y_code(x, y)));
  if (!has_chroma(f)) return worst;
  for (int y = 0; y < a.chroma_height(); ++y)
    for (int x = 0; x < a.chroma_width(); ++x) {
      worst = std::max(worst, std::abs(a.u_code(x, y) - b.u_code(x, y)));
      worst = std::max(worst, std::abs(a.v_code(x, y) - b.v_code(x, y)));
    }
  return worst;
}

TEST(ColourLuma, FlatColourComesBackInEveryOutputFormat) {
  struct Colour {
    float r, g, b;
  };
  const Colour colours[] = {{0.8f, 0.3f, 0.2f}, {0.1f, 0.6f, 0.9f}, {0.4f, 0.4f, 0.4f}};
  struct Setting {
    ColourMatrix matrix;
    bool full;
    int scale;
  };
  const Setting settings[] = {
      {ColourMatrix::Bt601, false, 2}, {ColourMatrix::Bt2020, true, 3}, {ColourMatrix::Bt709, false, 4}};
  const int W = 5, H = 3;
  for (const Setting& s : settings)
    for (PixelFormat in_fmt : kAllFormats)
      for (PixelFormat out_fmt : kAllFormats)
        for (const Colour& c : colours) {
          if (in_fmt == PixelFormat::GRAY8 && c.r != c.g) continue;  // grey input has no colour to keep
          SCOPED_TRACE(to_string(in_fmt) + " -> " + to_string(out_fmt) + " x" + std::to_string(s.scale) + " colour " +
                       std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + " matrix " +
                       std::to_string(int(s.matrix)));
          OwnedFrame in(in_fmt, W, H, 2, s.matrix, s.full);
          const std::vector<float> colour = flat_rgb(W, H, c.r, c.g, c.b);
          planar_rgb_to_frame(colour.data(), in.frame);
          const int OW = W * s.scale, OH = H * s.scale;
          const std::vector<float> y_hr = nearest_upscale(in.to_luma(), W, H, s.scale);
          OwnedFrame out(out_fmt, OW, OH, 3, s.matrix, s.full);
          luma_to_frame(y_hr.data(), in.frame, out.frame);
          EXPECT_TRUE(out.padding_untouched());
          // The input's own (quantised) colour, encoded straight into the output format.
          const std::vector<float> in_rgb = in.to_rgb();
          OwnedFrame expected(out_fmt, OW, OH, 0, s.matrix, s.full);
          planar_rgb_to_frame(flat_rgb(OW, OH, in_rgb[0], in_rgb[W * H], in_rgb[2 * W * H]).data(), expected.frame,
                              &in.frame);
          ASSERT_LE(max_code_difference(out, expected), 1);
        }
}

TEST(ColourLuma, ChromaIsTheBicubicUpscaleOfTheInputChroma) {
  // I420 8x8: U steps from 100 to 200 across the chroma columns, V down the chroma rows.
  OwnedFrame in(PixelFormat::I420, 8, 8, 1);
  in.fill_yuv(120, 0, 0);
  const int step[] = {100, 100, 200, 200};
  for (int cy = 0; cy < 4; ++cy)
    for (int cx = 0; cx < 4; ++cx) in.set_uv(cx, cy, step[cx], step[cy]);
  const std::vector<float> y_hr_2x = nearest_upscale(in.to_luma(), 8, 8, 2);
  // x2, I420 -> I420: chroma sample j sits at input chroma position j/2 - 1/4. Keys' weights there
  // are (-0.0703125, 0.8671875, 0.2265625, -0.0234375) and mirrored, so 100 100 200 200 becomes
  // 100 97.66 92.97 120.31 179.69 207.03 202.34 200: bicubic's overshoot, where bilinear would give
  // 100 100 100 125 175 200 200 200.
  const int expected_2x[] = {100, 98, 93, 120, 180, 207, 202, 200};
  OwnedFrame out(PixelFormat::I420, 16, 16, 2);
  luma_to_frame(y_hr_2x.data(), in.frame, out.frame);
  for (int j = 0; j < 8; ++j)
    for (int k = 0; k < 8; ++k) {
      ASSERT_EQ(out.u_code(j, k), expected_2x[j]) << "U at " << j << "," << k;
      ASSERT_EQ(out.v_code(k, j), expected_2x[j]) << "V at " << k << "," << j;
    }
  // x2 into Y444: each output pixel's chroma is at input chroma position (j + 0.5)/4 - 0.5.
  const int expected_444[] = {100, 100, 99, 96, 93, 95, 108, 135, 165, 192, 205, 207, 204, 201, 200, 200};
  OwnedFrame y444(PixelFormat::Y444, 16, 16, 0);
  luma_to_frame(y_hr_2x.data(), in.frame, y444.frame);
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(y444.u_code(j, 5), expected_444[j]) << "U at " << j;
    EXPECT_EQ(y444.v_code(5, j), expected_444[j]) << "V at " << j;
  }
  // RGB output is that Y444 result converted: R = Y + 2 (1 - Kr) Cr, B = Y + 2 (1 - Kb) Cb (BT.709).
  OwnedFrame rgb(PixelFormat::RGB, 16, 16, 0);
  luma_to_frame(y_hr_2x.data(), in.frame, rgb.frame);
  const float y = (120 - 16) / 219.0f;
  for (int j = 0; j < 16; ++j) {
    const float cb = (expected_444[j] - 128) / 224.0f, cr = (expected_444[5] - 128) / 224.0f;
    EXPECT_NEAR(rgb.at(0, 3 * j + 2, 5), std::clamp(y + 2 * (1 - 0.0722f) * cb, 0.0f, 1.0f) * 255, 1.5) << "B at " << j;
    EXPECT_NEAR(rgb.at(0, 3 * j, 5), std::clamp(y + 2 * (1 - 0.2126f) * cr, 0.0f, 1.0f) * 255, 1.5) << "R at " << j;
  }
  // A linear chroma gradient stays exactly linear away from the clamped edges: 60 + 16 cx at
  // position j/2 - 1/4 is 56 + 8 j.
  OwnedFrame ramp(PixelFormat::NV12, 16, 4, 0), ramp_out(PixelFormat::P010_10LE, 32, 8, 0);
  ramp.fill_yuv(100, 128, 128);
  for (int cy = 0; cy < 2; ++cy)
    for (int cx = 0; cx < 8; ++cx) ramp.set_uv(cx, cy, 60 + 16 * cx, 128);
  const std::vector<float> y_hr_ramp = nearest_upscale(ramp.to_luma(), 16, 4, 2);
  luma_to_frame(y_hr_ramp.data(), ramp.frame, ramp_out.frame);
  for (int j = 3; j <= 12; ++j) EXPECT_EQ(ramp_out.u_code(j, 1), 4 * (56 + 8 * j)) << "U at " << j;  // 10-bit out
}

TEST(ColourLuma, LumaComesFromYHrClampedAndQuantisedForTheOutputFormat) {
  OwnedFrame in(PixelFormat::NV12, 2, 2, 0);
  in.fill_yuv(100, 128, 128);
  const std::vector<float> y_hr = {-0.1f, 0.25f, 1.2f, 0.75f, 0.0f, 1.0f, 0.5f, 0.125f,
                                   0.3f,  0.3f,  0.3f, 0.3f,  0.3f, 0.3f, 0.3f, 0.3f};
  OwnedFrame i420(PixelFormat::I420, 4, 4, 1), p010(PixelFormat::P010_10LE, 4, 4, 1), grey(PixelFormat::GRAY8, 4, 4, 1);
  OwnedFrame rgb(PixelFormat::BGRx, 4, 4, 1);
  for (OwnedFrame* out : {&i420, &p010, &grey, &rgb}) luma_to_frame(y_hr.data(), in.frame, out->frame);
  const int limited8[] = {16, 71, 235, 180, 16, 235, 126, 43};     // 16 + 219 y, rounded
  const int limited10[] = {64, 283, 940, 721, 64, 940, 502, 174};  // 64 + 876 y
  const int full8[] = {0, 64, 255, 191, 0, 255, 128, 32};          // 255 y
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(i420.y_code(i % 4, i / 4), limited8[i]) << i;
    EXPECT_EQ(p010.y_code(i % 4, i / 4), limited10[i]) << i;
    EXPECT_EQ(p010.word(0, i % 4, i / 4) & 0x3F, 0) << i;
    EXPECT_EQ(grey.at(0, i % 4, i / 4), full8[i]) << i;
    for (int c = 0; c < 3; ++c) EXPECT_EQ(rgb.at(0, 4 * (i % 4) + c, i / 4), full8[i]) << i;  // neutral chroma: grey
    EXPECT_EQ(rgb.at(0, 4 * (i % 4) + 3, i / 4), 255);
  }
}

TEST(ColourLuma, OddSizesWriteEverySampleAndKeepThePadding) {
  const std::vector<float> rgb = smooth_image(7, 5);
  for (PixelFormat in_fmt : {PixelFormat::I420, PixelFormat::RGBA, PixelFormat::P010_10LE})
    for (PixelFormat out_fmt : kAllFormats) {
      SCOPED_TRACE(to_string(in_fmt) + " -> " + to_string(out_fmt));
      OwnedFrame in(in_fmt, 7, 5, 1);
      planar_rgb_to_frame(rgb.data(), in.frame);
      std::vector<float> y_hr = nearest_upscale(in.to_luma(), 7, 5, 2);
      OwnedFrame f(out_fmt, 14, 10, 3, ColourMatrix::Bt709, false, 0xAB);
      OwnedFrame g(out_fmt, 14, 10, 3, ColourMatrix::Bt709, false, 0x54);
      luma_to_frame(y_hr.data(), in.frame, f.frame);
      luma_to_frame(y_hr.data(), in.frame, g.frame);
      EXPECT_TRUE(f.padding_untouched());
      EXPECT_TRUE(g.padding_untouched());
      for (int p = 0; p < f.layout.planes; ++p)
        for (int y = 0; y < f.rows(p); ++y)
          for (int x = 0; x < f.row_bytes(p); ++x)
            ASSERT_EQ(f.at(p, x, y), g.at(p, x, y)) << "plane " << p << " byte " << x << " row " << y;
    }
}

TEST(ColourLuma, RejectsFramesItCannotPair) {
  OwnedFrame in(PixelFormat::I420, 7, 5);
  std::vector<float> y_hr(15 * 10 * 2);
  OwnedFrame not_a_multiple(PixelFormat::I420, 15, 10), uneven(PixelFormat::I420, 14, 15);
  EXPECT_THROW(luma_to_frame(y_hr.data(), in.frame, not_a_multiple.frame), vsr::Error);
  EXPECT_THROW(luma_to_frame(y_hr.data(), in.frame, uneven.frame), vsr::Error);
  OwnedFrame other_matrix(PixelFormat::I420, 14, 10, 0, ColourMatrix::Bt2020);
  EXPECT_THROW(luma_to_frame(y_hr.data(), in.frame, other_matrix.frame), vsr::Error);
  OwnedFrame missing(PixelFormat::P010_10LE, 14, 10);
  missing.frame.planes[1].data = nullptr;
  EXPECT_THROW(luma_to_frame(y_hr.data(), in.frame, missing.frame), vsr::Error);
  EXPECT_THROW(frame_to_planar_luma(missing.frame, y_hr.data()), vsr::Error);
}

}  // namespace
}  // namespace vsr::cpu
