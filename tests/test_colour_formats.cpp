// The wider frame formats (YV12, Y444, GRAY8, I420_10LE, P010_10LE) against known code values and the
// byte layouts GStreamer defines, their round trips, odd sizes and strides.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "colour_test_frame.h"
#include "kernels/cpu/colour.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

using namespace colour_test;

// ------------------------------------------------------------------------------ format table

TEST(ColourFormatTable, NamesPlanesAndExtentsFollowGStreamer) {
  const char* names[] = {"RGB",  "BGR",  "RGBA", "BGRA",  "RGBx",      "BGRx",     "I420",
                         "NV12", "YV12", "Y444", "GRAY8", "I420_10LE", "P010_10LE"};
  for (size_t n = 0; n < std::size(kAllFormats); ++n) {
    const PixelFormat f = kAllFormats[n];
    SCOPED_TRACE(names[n]);
    EXPECT_EQ(to_string(f), names[n]);
    const OwnedFrame frame(f, 7, 5);
    EXPECT_EQ(plane_count(f), frame.layout.planes);
    for (int p = 0; p < 3; ++p) {
      const PlaneExtent e = plane_extent(f, 7, 5, p);
      EXPECT_EQ(e.row_bytes, p < frame.layout.planes ? frame.row_bytes(p) : 0) << "plane " << p;
      EXPECT_EQ(e.rows, p < frame.layout.planes ? frame.rows(p) : 0) << "plane " << p;
    }
  }
  // Spot checks written out: P010's UV rows hold 4 chroma samples x 2 components x 2 bytes.
  EXPECT_EQ(plane_extent(PixelFormat::P010_10LE, 7, 5, 1).row_bytes, 16);
  EXPECT_EQ(plane_extent(PixelFormat::I420_10LE, 7, 5, 2).row_bytes, 8);
  EXPECT_EQ(plane_extent(PixelFormat::Y444, 7, 5, 2).row_bytes, 7);
  EXPECT_EQ(plane_extent(PixelFormat::GRAY8, 7, 5, 0).row_bytes, 7);
  EXPECT_EQ(packed_pixel_size(PixelFormat::GRAY8), 0);
}

TEST(ColourFormatTable, StrideShorterThanTheRowThrows) {
  // An 8-bit-sized stride on a 16-bit format would read half a row and write past the next one.
  OwnedFrame f(PixelFormat::I420_10LE, 8, 4);
  f.frame.planes[0].stride = 8;
  std::vector<float> rgb(3 * 8 * 4);
  EXPECT_THROW(frame_to_planar_rgb(f.frame, rgb.data()), vsr::Error);
  EXPECT_THROW(planar_rgb_to_frame(rgb.data(), f.frame), vsr::Error);
  OwnedFrame p010(PixelFormat::P010_10LE, 8, 4);
  p010.frame.planes[1].stride = 8;  // needs 16 bytes: 4 samples x UV x 2 bytes
  EXPECT_THROW(frame_to_planar_rgb(p010.frame, rgb.data()), vsr::Error);
}

// ------------------------------------------------------------------------------------ 10-bit

struct TenBitColour {
  const char* name;
  ColourMatrix matrix;
  bool full_range;
  int y, u, v;
  float r, g, b;
};
// Y = 64 + 876 Y', C = 512 + 896 C' (limited); Y = 1023 Y', C = 512 + 1023 C' (full), rounded; e.g.
// BT.2020 red: Y' = 0.2627 -> 294.13, Cb' = -0.2627 / 1.8814 -> 386.89, Cr' = 0.5 -> 960.
const TenBitColour kTenBitColours[] = {
    {"2020 limited white", ColourMatrix::Bt2020, false, 940, 512, 512, 1, 1, 1},
    {"2020 limited black", ColourMatrix::Bt2020, false, 64, 512, 512, 0, 0, 0},
    {"2020 limited red", ColourMatrix::Bt2020, false, 294, 387, 960, 1, 0, 0},
    {"2020 limited green", ColourMatrix::Bt2020, false, 658, 189, 100, 0, 1, 0},
    {"2020 full white", ColourMatrix::Bt2020, true, 1023, 512, 512, 1, 1, 1},
    {"709 full black", ColourMatrix::Bt709, true, 0, 512, 512, 0, 0, 0},
    {"2020 full green", ColourMatrix::Bt2020, true, 694, 143, 42, 0, 1, 0},
};

TEST(ColourTenBit, KnownColoursDecodeWithinOneCode) {
  for (PixelFormat fmt : kTenBitFormats)
    for (const TenBitColour& k : kTenBitColours) {
      SCOPED_TRACE(to_string(fmt) + " " + k.name);
      OwnedFrame f(fmt, 4, 2, 3, k.matrix, k.full_range);
      f.fill_yuv(k.y, k.u, k.v);
      const std::vector<float> rgb = f.to_rgb();
      for (int i = 0; i < 8; ++i) {
        EXPECT_NEAR(rgb[i], k.r, 1.0 / 1023);
        EXPECT_NEAR(rgb[8 + i], k.g, 1.0 / 1023);
        EXPECT_NEAR(rgb[16 + i], k.b, 1.0 / 1023);
      }
    }
}

TEST(ColourTenBit, KnownColoursEncodeExactly) {
  for (PixelFormat fmt : kTenBitFormats)
    for (const TenBitColour& k : kTenBitColours) {
      SCOPED_TRACE(to_string(fmt) + " " + k.name);
      OwnedFrame f(fmt, 2, 2, 5, k.matrix, k.full_range);
      const std::vector<float> rgb = flat_rgb(2, 2, k.r, k.g, k.b);
      planar_rgb_to_frame(rgb.data(), f.frame);
      EXPECT_EQ(f.y_code(0, 0), k.y);
      EXPECT_EQ(f.y_code(1, 1), k.y);
      EXPECT_EQ(f.u_code(0, 0), k.u);
      EXPECT_EQ(f.v_code(0, 0), k.v);
      EXPECT_TRUE(f.padding_untouched());
    }
}

TEST(ColourTenBit, P010KeepsTheCodeInTheHighBitsAndI420_10LEInTheLowBits) {
  const std::vector<float> white = flat_rgb(2, 2, 1, 1, 1), black = flat_rgb(2, 2, 0, 0, 0);
  OwnedFrame p010(PixelFormat::P010_10LE, 2, 2, 0, ColourMatrix::Bt2020);
  planar_rgb_to_frame(white.data(), p010.frame);
  // 940 << 6 = 0xEB00 and 512 << 6 = 0x8000, little-endian.
  EXPECT_EQ(p010.planes[0], (std::vector<uint8_t>{0x00, 0xEB, 0x00, 0xEB, 0x00, 0xEB, 0x00, 0xEB}));
  EXPECT_EQ(p010.planes[1], (std::vector<uint8_t>{0x00, 0x80, 0x00, 0x80}));
  planar_rgb_to_frame(black.data(), p010.frame);
  EXPECT_EQ(p010.at(0, 0, 0), 0x00);  // 64 << 6 = 0x1000
  EXPECT_EQ(p010.at(0, 1, 0), 0x10);

  OwnedFrame i420(PixelFormat::I420_10LE, 2, 2, 0, ColourMatrix::Bt2020);
  planar_rgb_to_frame(white.data(), i420.frame);
  EXPECT_EQ(i420.planes[0], (std::vector<uint8_t>{0xAC, 0x03, 0xAC, 0x03, 0xAC, 0x03, 0xAC, 0x03}));  // 940
  EXPECT_EQ(i420.planes[1], (std::vector<uint8_t>{0x00, 0x02}));                                      // 512
  EXPECT_EQ(i420.planes[2], (std::vector<uint8_t>{0x00, 0x02}));

  // The bits outside the 10 are not part of the sample: they must not change what is read.
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x) {
      p010.set_word(0, x, y, (940 << 6) | 0x3F);
      i420.set_word(0, x, y, 940 | 0xFC00);
    }
  p010.set_word(1, 0, 0, (512 << 6) | 0x2A);
  p010.set_word(1, 1, 0, (512 << 6) | 0x15);
  for (const OwnedFrame* f : {&p010, &i420}) {
    const std::vector<float> rgb = f->to_rgb();
    for (float v : rgb) EXPECT_NEAR(v, 1.0f, 1e-5) << to_string(f->frame.format);
  }
}

TEST(ColourTenBit, CodesBetweenEightBitLevelsSurviveTheRoundTrip) {
  // 501, 530, 498 are not multiples of 4: any 8-bit step on the way would move them.
  for (PixelFormat fmt : kTenBitFormats)
    for (bool full : {false, true}) {
      SCOPED_TRACE(to_string(fmt) + (full ? " full" : " limited"));
      OwnedFrame src(fmt, 6, 4, 2, ColourMatrix::Bt2020, full), dst(fmt, 6, 4, 1, ColourMatrix::Bt2020, full);
      src.fill_yuv(501, 530, 498);
      const std::vector<float> rgb = src.to_rgb();
      planar_rgb_to_frame(rgb.data(), dst.frame);
      for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 6; ++x) ASSERT_EQ(dst.y_code(x, y), 501) << x << "," << y;
      for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 3; ++x) {
          ASSERT_EQ(dst.u_code(x, y), 530);
          ASSERT_EQ(dst.v_code(x, y), 498);
        }
    }
}

// -------------------------------------------------------------------------- all YUV formats

TEST(ColourFormats, RoundTripOnSmoothImageWithinTheQuantisation) {
  const int W = 40, H = 26;
  const std::vector<float> rgb = smooth_image(W, H);
  for (PixelFormat fmt : kYuvFormats)
    for (auto matrix : {ColourMatrix::Bt601, ColourMatrix::Bt709, ColourMatrix::Bt2020})
      for (bool full : {false, true}) {
        SCOPED_TRACE(to_string(fmt) + " matrix " + std::to_string(int(matrix)) + (full ? " full" : " limited"));
        OwnedFrame f(fmt, W, H, 4, matrix, full);
        planar_rgb_to_frame(rgb.data(), f.frame);
        EXPECT_TRUE(f.padding_untouched());
        const std::vector<float> back = f.to_rgb();
        double interior_err = 0.0;
        for (size_t i = 0; i < rgb.size(); ++i) {
          const int x = int(i % W), y = int(i / W % H);
          if (x > 0 && y > 0 && x < W - 1 && y < H - 1)
            interior_err = std::max(interior_err, double(std::fabs(back[i] - rgb[i])));
        }
        // Half a code of rounding on each of Y, Cb, Cr gives at most 1/2 + 1/2 * 1.9 codes of RGB
        // error, in codes of the format's own depth: 10-bit formats are held four times tighter.
        const double code = 1.0 / (test_max_code(fmt) == 1023 ? 876 : 219);
        EXPECT_LT(interior_err, 1.5 * code);
      }
}

TEST(ColourFormats, Yv12IsI420WithTheChromaPlanesSwapped) {
  const int W = 10, H = 6;
  OwnedFrame i420(PixelFormat::I420, W, H, 3), yv12(PixelFormat::YV12, W, H, 2);
  std::mt19937 gen(11);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) i420.at(0, x, y) = yv12.at(0, x, y) = uint8_t(16 + gen() % 220);
  for (int y = 0; y < H / 2; ++y)
    for (int x = 0; x < W / 2; ++x) {
      i420.at(1, x, y) = yv12.at(2, x, y) = uint8_t(16 + gen() % 225);  // U
      i420.at(2, x, y) = yv12.at(1, x, y) = uint8_t(16 + gen() % 225);  // V
    }
  const std::vector<float> a = i420.to_rgb(), b = yv12.to_rgb();
  EXPECT_EQ(a, b);
  OwnedFrame i420_out(PixelFormat::I420, W, H), yv12_out(PixelFormat::YV12, W, H);
  const std::vector<float> rgb = smooth_image(W, H);
  planar_rgb_to_frame(rgb.data(), i420_out.frame);
  planar_rgb_to_frame(rgb.data(), yv12_out.frame);
  EXPECT_EQ(i420_out.planes[0], yv12_out.planes[0]);
  EXPECT_EQ(i420_out.planes[1], yv12_out.planes[2]);
  EXPECT_EQ(i420_out.planes[2], yv12_out.planes[1]);
  EXPECT_NE(i420_out.planes[1], i420_out.planes[2]);  // or the swap would go unnoticed
}

TEST(ColourFormats, Y444CodesComeBackExactlyThroughRgb) {
  // Any YUV triple whose colour lies inside the RGB cube is its own re-encoding: no chroma is
  // averaged away, and float RGB adds no rounding of its own.
  for (bool full : {false, true}) {
    SCOPED_TRACE(full ? "full" : "limited");
    const int W = 16, H = 12;
    OwnedFrame src(PixelFormat::Y444, W, H, 2, ColourMatrix::Bt601, full),
        dst(PixelFormat::Y444, W, H, 0, ColourMatrix::Bt601, full);
    std::mt19937 gen(5);
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        src.set_y(x, y, full ? 30 + gen() % 196 : 40 + gen() % 170);
        src.set_uv(x, y, 128 - 30 + gen() % 61, 128 - 30 + gen() % 61);
      }
    const std::vector<float> rgb = src.to_rgb();
    planar_rgb_to_frame(rgb.data(), dst.frame);
    int in_gamut = 0;
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        const size_t i = static_cast<size_t>(y) * W + x, plane = static_cast<size_t>(W) * H;
        if (std::min({rgb[i], rgb[plane + i], rgb[2 * plane + i]}) < 0.0f ||
            std::max({rgb[i], rgb[plane + i], rgb[2 * plane + i]}) > 1.0f)
          continue;
        ++in_gamut;
        ASSERT_EQ(dst.y_code(x, y), src.y_code(x, y)) << x << "," << y;
        ASSERT_EQ(dst.u_code(x, y), src.u_code(x, y)) << x << "," << y;
        ASSERT_EQ(dst.v_code(x, y), src.v_code(x, y)) << x << "," << y;
      }
    EXPECT_GT(in_gamut, W * H / 2);
  }
  // A one-pixel chroma checkerboard survives; 4:2:0 would have flattened it.
  OwnedFrame checker(PixelFormat::Y444, 4, 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) {
      checker.set_y(x, y, 126);
      checker.set_uv(x, y, (x + y) % 2 ? 168 : 88, 128);
    }
  const std::vector<float> rgb = checker.to_rgb();
  const float blue_step = 2 * (1 - 0.0722f) * 80 / 224.0f;  // BT.709: B = Y + 2 (1 - Kb) Cb
  EXPECT_NEAR(rgb[32 + 1] - rgb[32 + 0], blue_step, 1e-4);
  EXPECT_NEAR(rgb[32 + 5] - rgb[32 + 4], -blue_step, 1e-4);
}

TEST(ColourFormats, OddSizeWritesEverySampleAndNothingElse) {
  // 7x5: 4:2:0 chroma is 4x3 and its last column/row covers one luma column/row only.
  for (PixelFormat fmt : kAllFormats) {
    SCOPED_TRACE(to_string(fmt));
    // Two frames preset to different bytes come out identical only if every sample was written
    // (and, for 16-bit samples, the unused bits were zeroed).
    OwnedFrame f(fmt, 7, 5, /*pad=*/3, ColourMatrix::Bt2020, false, 0xAB);
    OwnedFrame g(fmt, 7, 5, /*pad=*/3, ColourMatrix::Bt2020, false, 0x54);
    const std::vector<float> rgb = smooth_image(7, 5);
    planar_rgb_to_frame(rgb.data(), f.frame);
    planar_rgb_to_frame(rgb.data(), g.frame);
    EXPECT_TRUE(f.padding_untouched());
    EXPECT_TRUE(g.padding_untouched());
    for (int p = 0; p < f.layout.planes; ++p)
      for (int y = 0; y < f.rows(p); ++y)
        for (int x = 0; x < f.row_bytes(p); ++x)
          ASSERT_EQ(f.at(p, x, y), g.at(p, x, y)) << "plane " << p << " byte " << x << " row " << y;
    const std::vector<float> back = f.to_rgb();
    if (fmt == PixelFormat::GRAY8) continue;  // grey keeps only the luma
    for (size_t i = 0; i < rgb.size(); ++i) EXPECT_NEAR(back[i], rgb[i], 4.0 / 255) << "at " << i;
  }
}

TEST(ColourFormats, PaddedStridesReadTheSameAsTightOnes) {
  for (PixelFormat fmt : kAllFormats) {
    SCOPED_TRACE(to_string(fmt));
    OwnedFrame tight(fmt, 9, 7, 0), padded(fmt, 9, 7, 13);
    const std::vector<float> rgb = smooth_image(9, 7);
    planar_rgb_to_frame(rgb.data(), tight.frame);
    planar_rgb_to_frame(rgb.data(), padded.frame);
    EXPECT_TRUE(padded.padding_untouched());
    EXPECT_EQ(tight.to_rgb(), padded.to_rgb());
    EXPECT_EQ(tight.to_luma(), padded.to_luma());
  }
}

// -------------------------------------------------------------------------------------- GRAY8

TEST(ColourGray, ReadsFullRangeGreyWhateverTheRangeFlag) {
  for (bool full : {false, true}) {
    OwnedFrame f(PixelFormat::GRAY8, 4, 1, 2, ColourMatrix::Bt601, full);
    const uint8_t values[] = {0, 51, 128, 255};
    for (int x = 0; x < 4; ++x) f.at(0, x, 0) = values[x];
    const std::vector<float> rgb = f.to_rgb();
    for (int c = 0; c < 3; ++c)
      for (int x = 0; x < 4; ++x) EXPECT_FLOAT_EQ(rgb[c * 4 + x], values[x] / 255.0f) << "channel " << c << " x " << x;
  }
}

TEST(ColourGray, WritesTheLumaOfTheFramesMatrixAtFullRange) {
  struct Case {
    ColourMatrix matrix;
    float r, g, b;
    uint8_t grey;
  };
  // Kr * 255: 0.299 -> 76.2, 0.2126 -> 54.2, 0.2627 -> 67.0; full range also for limited frames.
  const Case cases[] = {{ColourMatrix::Bt601, 1, 0, 0, 76},  {ColourMatrix::Bt709, 1, 0, 0, 54},
                        {ColourMatrix::Bt2020, 1, 0, 0, 67}, {ColourMatrix::Bt709, 1, 1, 1, 255},
                        {ColourMatrix::Bt709, 0, 0, 0, 0},   {ColourMatrix::Bt601, 0.4f, 0.4f, 0.4f, 102}};
  for (const Case& c : cases) {
    OwnedFrame f(PixelFormat::GRAY8, 3, 2, 1, c.matrix, false);
    const std::vector<float> rgb = flat_rgb(3, 2, c.r, c.g, c.b);
    planar_rgb_to_frame(rgb.data(), f.frame);
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x) EXPECT_EQ(f.at(0, x, y), c.grey) << int(c.matrix) << " " << c.r << c.g << c.b;
    EXPECT_TRUE(f.padding_untouched());
  }
  // Every grey level comes back as itself.
  OwnedFrame all(PixelFormat::GRAY8, 256, 1), back(PixelFormat::GRAY8, 256, 1);
  for (int x = 0; x < 256; ++x) all.at(0, x, 0) = uint8_t(x);
  const std::vector<float> rgb = all.to_rgb();
  planar_rgb_to_frame(rgb.data(), back.frame);
  EXPECT_EQ(back.planes[0], all.planes[0]);
}

}  // namespace
}  // namespace vsr::cpu
