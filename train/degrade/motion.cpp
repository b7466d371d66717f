#include "motion.h"

#include <cmath>

#include "vsr/error.h"

namespace vsr::degrade {

std::vector<FloatImage> pan_frames(const FloatImage& still, const Pan& pan, int frames, int width, int height) {
  if (frames < 1 || width < 1 || height < 1) throw Error("pan: frames and window size must be positive");
  std::vector<FloatImage> out;
  for (int t = 0; t < frames; ++t) {
    const double ox = pan.x0 + t * pan.dx, oy = pan.y0 + t * pan.dy;
    // Bilinear taps reach floor(o) .. floor(o + size - 1) + 1.
    if (ox < 0 || oy < 0 || ox + width > still.width - 1 + 1e-9 || oy + height > still.height - 1 + 1e-9)
      throw Error("pan: frame " + std::to_string(t) + " at (" + std::to_string(ox) + ", " + std::to_string(oy) +
                  ") leaves the " + std::to_string(still.width) + "x" + std::to_string(still.height) + " still");
    FloatImage f = FloatImage::zeros(still.channels, height, width);
    const int ix = static_cast<int>(std::floor(ox)), iy = static_cast<int>(std::floor(oy));
    const float fx = static_cast<float>(ox - ix), fy = static_cast<float>(oy - iy);
    for (int c = 0; c < still.channels; ++c)
      for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
          const float a = still.at(c, iy + y, ix + x), b = still.at(c, iy + y, ix + x + 1);
          const float d = still.at(c, iy + y + 1, ix + x), e = still.at(c, iy + y + 1, ix + x + 1);
          f.at(c, y, x) = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
        }
    out.push_back(std::move(f));
  }
  return out;
}

Pan random_pan(const FloatImage& still, int frames, int width, int height, double max_speed, std::mt19937_64& rng) {
  const double room_x = still.width - 1 - width, room_y = still.height - 1 - height;
  if (room_x < 0 || room_y < 0)
    throw Error("pan: a " + std::to_string(width) + "x" + std::to_string(height) + " window does not fit the " +
                std::to_string(still.width) + "x" + std::to_string(still.height) + " still");
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double angle = 2 * M_PI * unit(rng);
  // The speed the room allows over the whole sequence, so the path stays inside.
  const double span = std::max(frames - 1, 1);
  const double speed = std::min(max_speed * unit(rng), std::min(room_x, room_y) / span);
  Pan p;
  p.dx = speed * std::cos(angle);
  p.dy = speed * std::sin(angle);
  // Start where the whole path fits.
  const double min_x = std::max(0.0, -p.dx * span), max_x = std::min(room_x, room_x - p.dx * span);
  const double min_y = std::max(0.0, -p.dy * span), max_y = std::min(room_y, room_y - p.dy * span);
  p.x0 = min_x + (max_x - min_x) * unit(rng);
  p.y0 = min_y + (max_y - min_y) * unit(rng);
  return p;
}

}  // namespace vsr::degrade
