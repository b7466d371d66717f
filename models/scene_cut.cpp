#include "models/scene_cut.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "vsr/error.h"

namespace vsr {

namespace {

// Luma of pixel (x, y) scaled to 0..1, whatever the format.
double luma_at(const Frame& f, int x, int y) {
  const uint8_t* row = f.planes[0].data + static_cast<size_t>(y) * f.planes[0].stride;
  switch (f.format) {
    case PixelFormat::I420_10LE: {
      uint16_t v;
      std::memcpy(&v, row + 2 * x, 2);
      return v / 1023.0;
    }
    case PixelFormat::P010_10LE: {
      uint16_t v;
      std::memcpy(&v, row + 2 * x, 2);
      return (v >> 6) / 1023.0;
    }
    case PixelFormat::RGB:
    case PixelFormat::BGR: {
      const uint8_t* p = row + 3 * x;
      return (p[0] + 2 * p[1] + p[2]) / (4 * 255.0);
    }
    case PixelFormat::RGBA:
    case PixelFormat::BGRA:
    case PixelFormat::RGBx:
    case PixelFormat::BGRx: {
      const uint8_t* p = row + 4 * x;
      return (p[0] + 2 * p[1] + p[2]) / (4 * 255.0);
    }
    default:
      return row[x] / 255.0;  // 8-bit formats whose first plane is luma
  }
}

}  // namespace

SceneCutDetector::Signature SceneCutDetector::signature(const Frame& f) {
  if (f.on_device) throw Error("scene-cut detection needs frames in host memory");
  Signature s;
  constexpr int kColumns = 16, kRows = 9;
  std::array<int, kColumns * kRows> counts{};
  // Every second pixel each way is plenty for a histogram and block means, at a quarter the cost.
  int samples = 0;
  for (int y = 0; y < f.height; y += 2) {
    const int by = std::min(kRows - 1, y * kRows / f.height);
    for (int x = 0; x < f.width; x += 2) {
      const double v = luma_at(f, x, y);
      s.histogram[std::min(31, static_cast<int>(v * 32))] += 1;
      const int block = by * kColumns + std::min(kColumns - 1, x * kColumns / f.width);
      s.thumbnail[block] += v;
      ++counts[block];
      ++samples;
    }
  }
  for (double& h : s.histogram) h /= std::max(1, samples);
  for (size_t i = 0; i < s.thumbnail.size(); ++i) s.thumbnail[i] /= std::max(1, counts[i]);
  return s;
}

double SceneCutDetector::score(const Signature& a, const Signature& b) {
  double histogram = 0, thumbnail = 0;
  for (size_t i = 0; i < a.histogram.size(); ++i) histogram += std::abs(a.histogram[i] - b.histogram[i]);
  // The thumbnails are compared with their means taken out: a fade or a flash moves every block
  // alike and is no cut.
  double mean_a = 0, mean_b = 0;
  for (size_t i = 0; i < a.thumbnail.size(); ++i) {
    mean_a += a.thumbnail[i];
    mean_b += b.thumbnail[i];
  }
  mean_a /= a.thumbnail.size();
  mean_b /= b.thumbnail.size();
  for (size_t i = 0; i < a.thumbnail.size(); ++i)
    thumbnail += std::abs((a.thumbnail[i] - mean_a) - (b.thumbnail[i] - mean_b));
  histogram *= 0.5;
  thumbnail = std::min(1.0, 5 * thumbnail / a.thumbnail.size());
  return std::sqrt(histogram * thumbnail);
}

bool SceneCutDetector::is_cut(const Frame& frame) {
  Signature s = signature(frame);
  const bool had_previous = have_previous_;
  last_score_ = had_previous ? score(previous_, s) : 0;
  previous_ = s;
  have_previous_ = true;
  return had_previous && last_score_ > threshold_;
}

}  // namespace vsr
