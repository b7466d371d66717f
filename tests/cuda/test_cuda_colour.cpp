// The CUDA colour kernels against the CPU reference: every pixel format, matrix and range, odd sizes,
// padded strides, both directions.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "../colour_test_frame.h"
#include "cuda_test_util.h"
#include "kernels/cuda/colour.h"

namespace vsr::cpu {
namespace {

using colour_test::OwnedFrame;

// The frame's planes copied to device memory with the same strides, each between guard bands; view
// points at them.
struct DeviceFrame {
  std::vector<std::unique_ptr<cuda_test::Guarded<uint8_t>>> planes;
  Frame view;
  DeviceFrame(const OwnedFrame& host, cudaStream_t s) : view(host.frame) {
    view.on_device = true;
    for (int p = 0; p < host.layout.planes; ++p) {
      planes.push_back(std::make_unique<cuda_test::Guarded<uint8_t>>(host.planes[p], s));
      view.planes[p].data = planes[p]->data();
    }
  }
  void download_into(OwnedFrame& host, cudaStream_t s) const {
    for (int p = 0; p < host.layout.planes; ++p)
      host.planes[p] = planes[p]->body(s, "planar_rgb_to_frame, plane " + std::to_string(p));
  }
};

const PixelFormat kFormats[] = {PixelFormat::RGB,  PixelFormat::BGR,  PixelFormat::RGBA,  PixelFormat::BGRA,
                                PixelFormat::RGBx, PixelFormat::BGRx, PixelFormat::GRAY8, PixelFormat::I420,
                                PixelFormat::YV12, PixelFormat::NV12, PixelFormat::Y444,  PixelFormat::I420_10LE,
                                PixelFormat::P010_10LE};

// Random valid codes in every sample of the frame (10-bit formats get 10-bit codes in their bits).
void randomise(OwnedFrame& f, std::mt19937& rng) {
  const int max_code = colour_test::test_max_code(f.frame.format);
  std::uniform_int_distribution<int> code(0, max_code), byte(0, 255);
  if (f.layout.packed_size) {
    for (int y = 0; y < f.height(); ++y)
      for (int x = 0; x < f.row_bytes(0); ++x) f.at(0, x, y) = uint8_t(byte(rng));
    return;
  }
  for (int y = 0; y < f.height(); ++y)
    for (int x = 0; x < f.width(); ++x) f.set_y(x, y, code(rng));
  for (int y = 0; y < f.chroma_height(); ++y)
    for (int x = 0; x < f.chroma_width(); ++x) f.set_uv(x, y, code(rng), code(rng));
}

TEST(CudaColour, FramesToPlanarRgbMatchTheReference) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  std::mt19937 rng(5);
  for (PixelFormat format : kFormats)
    for (ColourMatrix m : {ColourMatrix::Bt601, ColourMatrix::Bt709, ColourMatrix::Bt2020})
      for (bool full : {false, true}) {
        OwnedFrame host(format, 13, 7, /*pad=*/5, m, full);
        randomise(host, rng);
        const std::vector<float> ref = host.to_rgb();
        DeviceFrame device(host, s.get());
        cuda_test::Guarded<float> planar(ref.size(), s.get());
        cuda::frame_to_planar_rgb(device.view, planar.data(), s.get());
        const std::vector<float> got = planar.body(s.get(), "frame_to_planar_rgb " + to_string(format));
        float diff = 0.0f;
        for (size_t i = 0; i < ref.size(); ++i) diff = std::max(diff, std::abs(got[i] - ref[i]));
        EXPECT_LE(diff, 1e-5f) << to_string(format) << " matrix " << static_cast<int>(m) << " full " << full;
      }
}

TEST(CudaColour, PlanarRgbToFramesMatchTheReferenceAndKeepThePadding) {
  VSR_REQUIRE_GPU();
  cuda::Stream s;
  std::mt19937 rng(6);
  std::uniform_real_distribution<float> value(-0.1f, 1.1f);  // outside [0,1] too: both clamp
  for (PixelFormat format : kFormats)
    for (ColourMatrix m : {ColourMatrix::Bt601, ColourMatrix::Bt2020})
      for (bool full : {false, true}) {
        const int W = 11, H = 9;
        std::vector<float> planar(3 * W * H);
        for (float& v : planar) v = value(rng);
        OwnedFrame ref(format, W, H, /*pad=*/3, m, full), got(format, W, H, 3, m, full);
        planar_rgb_to_frame(planar.data(), ref.frame);
        cuda::DeviceArray<float> dplanar;
        dplanar.upload(planar, s.get());
        DeviceFrame device(got, s.get());
        cuda::planar_rgb_to_frame(dplanar.data(), device.view, nullptr, s.get());
        device.download_into(got, s.get());
        EXPECT_TRUE(got.padding_untouched()) << to_string(format);
        int worst = 0;
        for (int p = 0; p < ref.layout.planes; ++p)
          for (int y = 0; y < ref.rows(p); ++y)
            for (int i = 0; i < ref.row_bytes(p) / ref.layout.sample_bytes; ++i)
              worst = std::max(worst, std::abs((ref.word(p, i, y) >> ref.layout.shift) - (got.word(p, i, y) >> got.layout.shift)));
        // Float rounding may land a value just either side of a half code: one code at most.
        EXPECT_LE(worst, 1) << to_string(format) << " matrix " << static_cast<int>(m) << " full " << full;
      }
}

}  // namespace
}  // namespace vsr::cpu
