// Frame <-> planar float RGB conversion: packed byte orders, alpha handling, YUV 4:2:0 colours and
// round trips, odd sizes, padded strides and malformed frames.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "colour_test_frame.h"
#include "kernels/cpu/colour.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

using colour_test::OwnedFrame;
using colour_test::smooth_image;

// Byte offsets of R, G, B (and alpha, -1 if none) as each format's name spells them.
struct Offsets {
  PixelFormat format;
  int size, r, g, b, a;
};
const Offsets kPacked[] = {
    {PixelFormat::RGB, 3, 0, 1, 2, -1},  {PixelFormat::BGR, 3, 2, 1, 0, -1},  {PixelFormat::RGBA, 4, 0, 1, 2, 3},
    {PixelFormat::BGRA, 4, 2, 1, 0, 3},  {PixelFormat::RGBx, 4, 0, 1, 2, -1}, {PixelFormat::BGRx, 4, 2, 1, 0, -1},
};

void fill_random(OwnedFrame& f, unsigned seed) {
  std::mt19937 gen(seed);
  for (int y = 0; y < f.frame.height; ++y)
    for (int x = 0; x < f.frame.width * packed_pixel_size(f.frame.format); ++x) f.at(0, x, y) = uint8_t(gen());
}

TEST(ColourPacked, ByteOrderAndExactRoundTrip) {
  for (const Offsets& o : kPacked) {
    SCOPED_TRACE(to_string(o.format));
    const int W = 5, H = 3, plane = W * H;
    OwnedFrame src(o.format, W, H, /*pad=*/7);
    fill_random(src, 42);
    const std::vector<float> rgb = src.to_rgb();
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        // FLOAT_EQ (4 ulps): v * (1/255) and v / 255 may differ in the last bit.
        EXPECT_FLOAT_EQ(rgb[y * W + x], src.at(0, x * o.size + o.r, y) / 255.0f);
        EXPECT_FLOAT_EQ(rgb[plane + y * W + x], src.at(0, x * o.size + o.g, y) / 255.0f);
        EXPECT_FLOAT_EQ(rgb[2 * plane + y * W + x], src.at(0, x * o.size + o.b, y) / 255.0f);
      }
    OwnedFrame dst(o.format, W, H, /*pad=*/5);
    planar_rgb_to_frame(rgb.data(), dst.frame);
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x)
        for (int c : {o.r, o.g, o.b}) ASSERT_EQ(dst.at(0, x * o.size + c, y), src.at(0, x * o.size + c, y));
    EXPECT_TRUE(dst.padding_untouched());
  }
}

TEST(ColourPacked, OutOfRangeValuesAreClampedAndRounded) {
  OwnedFrame dst(PixelFormat::RGB, 4, 1);
  // R plane: below 0, above 1, 0.5 -> 127.5 rounds to 128, 100.4/255 rounds down to 100.
  std::vector<float> rgb = {-0.2f, 1.7f, 0.5f, 100.4f / 255.0f, 0, 0, 0, 0, 0, 0, 0, 0};
  planar_rgb_to_frame(rgb.data(), dst.frame);
  EXPECT_EQ(dst.at(0, 0, 0), 0);
  EXPECT_EQ(dst.at(0, 3, 0), 255);
  EXPECT_EQ(dst.at(0, 6, 0), 128);
  EXPECT_EQ(dst.at(0, 9, 0), 100);
}

TEST(ColourPacked, AlphaIsOpaqueWithoutSource) {
  for (PixelFormat fmt : {PixelFormat::RGBA, PixelFormat::BGRA}) {
    OwnedFrame dst(fmt, 3, 2);
    const std::vector<float> rgb(18, 0.25f);
    planar_rgb_to_frame(rgb.data(), dst.frame);
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x) EXPECT_EQ(dst.at(0, x * 4 + 3, y), 255) << to_string(fmt);
    // A source frame with no alpha channel must also give opaque output.
    OwnedFrame rgb_source(PixelFormat::RGB, 3, 2);
    std::fill(dst.planes[0].begin(), dst.planes[0].end(), 0);
    planar_rgb_to_frame(rgb.data(), dst.frame, &rgb_source.frame);
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x) EXPECT_EQ(dst.at(0, x * 4 + 3, y), 255);
  }
}

TEST(ColourPacked, AlphaCopiedFromSourceByNearestNeighbour) {
  // A 3x2 source upscaled by 2 and by 3 (the engine's SR factors): every output pixel takes the
  // alpha of the source pixel it lies in, whatever the two frames' byte orders.
  for (int scale : {2, 3}) {
    for (auto [src_fmt, dst_fmt] :
         {std::pair{PixelFormat::RGBA, PixelFormat::BGRA}, std::pair{PixelFormat::BGRA, PixelFormat::RGBA}}) {
      OwnedFrame src(src_fmt, 3, 2, 4);
      for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 3; ++x) src.at(0, x * 4 + 3, y) = uint8_t(10 + 40 * (y * 3 + x));
      const int W = 3 * scale, H = 2 * scale;
      OwnedFrame dst(dst_fmt, W, H, 3);
      const std::vector<float> rgb(3 * W * H, 1.0f);
      planar_rgb_to_frame(rgb.data(), dst.frame, &src.frame);
      for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
          ASSERT_EQ(dst.at(0, x * 4 + 3, y), 10 + 40 * ((y / scale) * 3 + x / scale)) << "x=" << x << " y=" << y;
      EXPECT_TRUE(dst.padding_untouched());
    }
  }
}

// ----------------------------------------------------------------------------------- YUV 4:2:0

struct KnownColour {
  const char* name;
  ColourMatrix matrix;
  bool full_range;
  uint8_t y, u, v;
  float r, g, b;
};
// Standard studio-swing encodings (e.g. BT.601 red: Y = 16 + 219*0.299 = 81, U = 128 - 224*0.1687 = 90).
const KnownColour kColours[] = {
    {"709 white", ColourMatrix::Bt709, false, 235, 128, 128, 1, 1, 1},
    {"709 black", ColourMatrix::Bt709, false, 16, 128, 128, 0, 0, 0},
    {"709 red", ColourMatrix::Bt709, false, 63, 102, 240, 1, 0, 0},
    {"601 red", ColourMatrix::Bt601, false, 81, 90, 240, 1, 0, 0},
    {"601 blue", ColourMatrix::Bt601, false, 41, 240, 110, 0, 0, 1},
    {"2020 white", ColourMatrix::Bt2020, false, 235, 128, 128, 1, 1, 1},
    {"full-range white", ColourMatrix::Bt709, true, 255, 128, 128, 1, 1, 1},
    {"full-range black", ColourMatrix::Bt601, true, 0, 128, 128, 0, 0, 0},
};

TEST(ColourYuv, KnownColoursDecodeWithinOneLevel) {
  for (PixelFormat fmt : {PixelFormat::I420, PixelFormat::NV12})
    for (const KnownColour& k : kColours) {
      SCOPED_TRACE(to_string(fmt) + " " + k.name);
      OwnedFrame f(fmt, 4, 4, 0, k.matrix, k.full_range);
      f.fill_yuv(k.y, k.u, k.v);
      const std::vector<float> rgb = f.to_rgb();
      for (int i = 0; i < 16; ++i) {
        EXPECT_NEAR(rgb[i], k.r, 1.0 / 255);
        EXPECT_NEAR(rgb[16 + i], k.g, 1.0 / 255);
        EXPECT_NEAR(rgb[32 + i], k.b, 1.0 / 255);
      }
    }
}

TEST(ColourYuv, KnownColoursEncodeExactly) {
  for (const KnownColour& k : kColours) {
    if (k.full_range) continue;  // the limited-range codes above are the rounded exact encodings
    SCOPED_TRACE(k.name);
    OwnedFrame f(PixelFormat::I420, 2, 2, 0, k.matrix, false);
    std::vector<float> rgb(12);
    for (int i = 0; i < 4; ++i) rgb[i] = k.r, rgb[4 + i] = k.g, rgb[8 + i] = k.b;
    planar_rgb_to_frame(rgb.data(), f.frame);
    EXPECT_EQ(f.at(0, 0, 0), k.y);
    EXPECT_EQ(f.at(0, 1, 1), k.y);
    EXPECT_EQ(f.at(1, 0, 0), k.u);
    EXPECT_EQ(f.at(2, 0, 0), k.v);
  }
}

TEST(ColourYuv, RoundTripOnSmoothImage) {
  const int W = 40, H = 26;
  const std::vector<float> rgb = smooth_image(W, H);
  for (auto matrix : {ColourMatrix::Bt601, ColourMatrix::Bt709, ColourMatrix::Bt2020})
    for (bool full : {false, true}) {
      SCOPED_TRACE(std::to_string(int(matrix)) + (full ? " full" : " limited"));
      OwnedFrame f(PixelFormat::I420, W, H, 0, matrix, full);
      planar_rgb_to_frame(rgb.data(), f.frame);
      const std::vector<float> back = f.to_rgb();
      double max_err = 0.0, interior_err = 0.0, sum_err = 0.0;
      for (size_t i = 0; i < rgb.size(); ++i) {
        const double e = std::fabs(back[i] - rgb[i]);
        const int x = int(i % W), y = int(i / W % H);
        max_err = std::max(max_err, e);
        if (x > 0 && y > 0 && x < W - 1 && y < H - 1) interior_err = std::max(interior_err, e);
        sum_err += e;
      }
      // Inside, only 8-bit quantisation of Y and chroma remains (up to ~1.5 levels); at the border
      // the half-pixel chroma clamp adds about one more.
      EXPECT_LT(interior_err, 2.0 / 255);
      EXPECT_LT(max_err, 4.0 / 255);
      EXPECT_LT(sum_err / rgb.size(), 1.0 / 255);
    }
}

TEST(ColourYuv, Nv12AndI420AgreeOnTheSameData) {
  const int W = 10, H = 6;
  OwnedFrame i420(PixelFormat::I420, W, H, 3), nv12(PixelFormat::NV12, W, H, 1);
  std::mt19937 gen(7);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) i420.at(0, x, y) = nv12.at(0, x, y) = uint8_t(16 + gen() % 220);
  for (int y = 0; y < H / 2; ++y)
    for (int x = 0; x < W / 2; ++x) {
      i420.at(1, x, y) = nv12.at(1, 2 * x, y) = uint8_t(16 + gen() % 225);
      i420.at(2, x, y) = nv12.at(1, 2 * x + 1, y) = uint8_t(16 + gen() % 225);
    }
  const std::vector<float> a = i420.to_rgb(), b = nv12.to_rgb();
  EXPECT_EQ(a, b);
  // And the encoders write the same bytes, just laid out differently.
  OwnedFrame i420_out(PixelFormat::I420, W, H), nv12_out(PixelFormat::NV12, W, H);
  planar_rgb_to_frame(a.data(), i420_out.frame);
  planar_rgb_to_frame(a.data(), nv12_out.frame);
  EXPECT_EQ(i420_out.planes[0], nv12_out.planes[0]);
  for (int y = 0; y < H / 2; ++y)
    for (int x = 0; x < W / 2; ++x) {
      EXPECT_EQ(i420_out.at(1, x, y), nv12_out.at(1, 2 * x, y));
      EXPECT_EQ(i420_out.at(2, x, y), nv12_out.at(1, 2 * x + 1, y));
    }
}

TEST(ColourYuv, OddSizeWritesEveryChromaSampleAndNothingElse) {
  // 7x5 has 4x3 chroma; the last chroma column/row cover one luma column/row only.
  for (PixelFormat fmt : {PixelFormat::I420, PixelFormat::NV12}) {
    SCOPED_TRACE(to_string(fmt));
    // Two frames preset to different bytes must come out identical: every sample was written.
    OwnedFrame f(fmt, 7, 5, /*pad=*/2, ColourMatrix::Bt601, false, 0xAB);
    OwnedFrame g(fmt, 7, 5, /*pad=*/2, ColourMatrix::Bt601, false, 0x54);
    const std::vector<float> rgb = smooth_image(7, 5);
    planar_rgb_to_frame(rgb.data(), f.frame);
    planar_rgb_to_frame(rgb.data(), g.frame);
    EXPECT_TRUE(f.padding_untouched());
    EXPECT_TRUE(g.padding_untouched());
    for (int p = 0; p < plane_count(fmt); ++p)
      for (int y = 0; y < (p ? 3 : 5); ++y)
        for (int x = 0; x < (p == 0 ? 7 : fmt == PixelFormat::NV12 ? 8 : 4); ++x)
          EXPECT_EQ(f.at(p, x, y), g.at(p, x, y)) << "plane " << p << " x=" << x << " y=" << y;
    const std::vector<float> back = f.to_rgb();
    for (size_t i = 0; i < rgb.size(); ++i) EXPECT_NEAR(back[i], rgb[i], 4.0 / 255) << "at " << i;
    // A flat colour stays flat up to the odd edges.
    f.fill_yuv(81, 90, 240);  // BT.601 red
    const std::vector<float> red = f.to_rgb();
    for (int i = 0; i < 35; ++i) EXPECT_NEAR(red[i], 1.0f, 1.0 / 255) << "R at " << i;
  }
}

TEST(ColourYuv, PaddedStridesReadTheSameAsTightOnes) {
  OwnedFrame tight(PixelFormat::I420, 9, 7, 0), padded(PixelFormat::I420, 9, 7, 13);
  const std::vector<float> rgb = smooth_image(9, 7);
  planar_rgb_to_frame(rgb.data(), tight.frame);
  planar_rgb_to_frame(rgb.data(), padded.frame);
  EXPECT_TRUE(padded.padding_untouched());
  EXPECT_EQ(tight.to_rgb(), padded.to_rgb());
}

TEST(ColourFrame, MissingPlaneThrows) {
  std::vector<float> rgb(3 * 4 * 4);
  OwnedFrame i420(PixelFormat::I420, 4, 4);
  i420.frame.planes[2].data = nullptr;
  EXPECT_THROW(frame_to_planar_rgb(i420.frame, rgb.data()), vsr::Error);
  EXPECT_THROW(planar_rgb_to_frame(rgb.data(), i420.frame), vsr::Error);
  OwnedFrame nv12(PixelFormat::NV12, 4, 4);
  nv12.frame.planes[1].stride = 0;
  EXPECT_THROW(frame_to_planar_rgb(nv12.frame, rgb.data()), vsr::Error);
  OwnedFrame packed(PixelFormat::BGRA, 4, 4);
  packed.frame.planes[0].data = nullptr;
  EXPECT_THROW(planar_rgb_to_frame(rgb.data(), packed.frame), vsr::Error);
  OwnedFrame empty(PixelFormat::RGB, 4, 4);
  empty.frame.width = 0;
  EXPECT_THROW(frame_to_planar_rgb(empty.frame, rgb.data()), vsr::Error);
}

}  // namespace
}  // namespace vsr::cpu
