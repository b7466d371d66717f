#include "synthetic_motion.h"

#include <algorithm>
#include <cmath>

#include "vsr/error.h"

namespace vsr::train {
namespace {

constexpr int kSuper = 2;  // still pixels per output pixel

// Bilinear sample of channel c at still position (x, y), clamped to the still.
float sample(const Image8& still, int c, double x, double y) {
  x = std::clamp(x, 0.0, still.width - 1.0);
  y = std::clamp(y, 0.0, still.height - 1.0);
  const int ix = std::min(static_cast<int>(x), still.width - 2), iy = std::min(static_cast<int>(y), still.height - 2);
  const float fx = static_cast<float>(x - ix), fy = static_cast<float>(y - iy);
  const uint8_t* r0 = still.row(iy) + 3 * ix;
  const uint8_t* r1 = still.row(iy + 1) + 3 * ix;
  const float top = r0[c] + (r0[3 + c] - r0[c]) * fx, bottom = r1[c] + (r1[3 + c] - r1[c]) * fx;
  return (top + (bottom - top) * fy) * (1.0f / 255.0f);
}

// The output pixel whose top-left is at output position (x, y) of the still: the mean of 2x2 samples.
void pixel(const Image8& still, double x, double y, float rgb[3]) {
  for (int c = 0; c < 3; ++c) {
    float sum = 0.0f;
    for (int j = 0; j < kSuper; ++j)
      for (int i = 0; i < kSuper; ++i) sum += sample(still, c, x * kSuper + i, y * kSuper + j);
    rgb[c] = sum / (kSuper * kSuper);
  }
}

struct Motion {
  double vx = 0, vy = 0;
};

Motion random_motion(double max_motion, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double angle = 2 * M_PI * unit(rng);
  const double speed = max_motion * std::pow(unit(rng), 1.5);  // small motions are the common case
  return {speed * std::cos(angle), speed * std::sin(angle)};
}

// Length of [a, a + 1) inside [lo, hi).
double overlap(double a, double lo, double hi) { return std::max(0.0, std::min(a + 1, hi) - std::max(a, lo)); }

}  // namespace

SyntheticTriplet synthetic_triplet(const Image8& still, int size, double t, double max_motion, std::mt19937_64& rng) {
  const double room_x = still.width / double(kSuper) - 2, room_y = still.height / double(kSuper) - 2;
  if (room_x < size + max_motion + 2 || room_y < size + max_motion + 2)
    throw Error("synthetic motion: a " + std::to_string(still.width) + "x" + std::to_string(still.height) +
                " still is too small for " + std::to_string(size) + "-pixel windows");
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Background: the window's top-left moves by v from frame 0 to frame 1 (the scene moves by -v).
  const Motion bg = random_motion(max_motion, rng);
  const double bx = std::max(0.0, -bg.vx) + unit(rng) * (room_x - size - std::abs(bg.vx));
  const double by = std::max(0.0, -bg.vy) + unit(rng) * (room_y - size - std::abs(bg.vy));
  // Foreground: a patch from elsewhere in the still at q0 + u * time in the window.
  const bool has_fg = unit(rng) < 0.5;
  const Motion fg = random_motion(max_motion, rng);
  std::uniform_int_distribution<int> fg_side(size / 6, size / 2);
  const int fw = fg_side(rng), fh = fg_side(rng);
  const double sx = unit(rng) * (room_x - fw), sy = unit(rng) * (room_y - fh);
  const double qx = -fw / 2.0 + unit(rng) * size - fg.vx * 0.5, qy = -fh / 2.0 + unit(rng) * size - fg.vy * 0.5;

  SyntheticTriplet out;
  out.size = size;
  const size_t plane = static_cast<size_t>(size) * size;
  out.frame0.resize(3 * plane);
  out.frame1.resize(3 * plane);
  out.middle.resize(3 * plane);
  out.flow0.resize(2 * plane);
  out.flow1.resize(2 * plane);
  auto render = [&](double time, std::vector<float>& dst, bool flows) {
    const double ox = bx + bg.vx * time, oy = by + bg.vy * time;
    const double px = qx + fg.vx * time, py = qy + fg.vy * time;
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x) {
        float back[3], front[3] = {0, 0, 0};
        pixel(still, ox + x, oy + y, back);
        const double cover = has_fg ? overlap(x, px, px + fw) * overlap(y, py, py + fh) : 0.0;
        if (cover > 0) pixel(still, sx + (x - px), sy + (y - py), front);
        const size_t i = static_cast<size_t>(y) * size + x;
        for (int c = 0; c < 3; ++c)
          dst[c * plane + i] = static_cast<float>(back[c] * (1 - cover) + front[c] * cover);
        if (!flows) continue;
        // Background content at x in frame t sits at x + v t in frame 0 and x - v (1 - t) in frame 1;
        // the foreground moves the other way round on screen.
        const bool front_wins = cover > 0.5;
        const double mx = front_wins ? -fg.vx : bg.vx, my = front_wins ? -fg.vy : bg.vy;
        out.flow0[i] = static_cast<float>(mx * time), out.flow0[plane + i] = static_cast<float>(my * time);
        out.flow1[i] = static_cast<float>(-mx * (1 - time)), out.flow1[plane + i] = static_cast<float>(-my * (1 - time));
      }
  };
  render(0.0, out.frame0, false);
  render(1.0, out.frame1, false);
  render(t, out.middle, true);
  return out;
}

}  // namespace vsr::train
