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

// One random scene: the background window's start and motion, and an optional foreground patch cut
// from elsewhere in the still with its own motion. Motions are the displacement from time 0 to time 1.
struct Scene {
  Motion bg, fg;
  double bx = 0, by = 0;  // window top-left at time 0, in output pixels of the still
  bool has_fg = false;
  int fw = 0, fh = 0;     // foreground size
  double sx = 0, sy = 0;  // where the foreground is cut from
  double qx = 0, qy = 0;  // its top-left in the window at time 0
};

bool fits(const Image8& still, int size, double max_motion) {
  const double room_x = still.width / double(kSuper) - 2, room_y = still.height / double(kSuper) - 2;
  return room_x >= size + max_motion + 2 && room_y >= size + max_motion + 2;
}

Scene random_scene(const Image8& still, int size, double max_motion, std::mt19937_64& rng) {
  const double room_x = still.width / double(kSuper) - 2, room_y = still.height / double(kSuper) - 2;
  if (!fits(still, size, max_motion))
    throw Error("synthetic motion: a " + std::to_string(still.width) + "x" + std::to_string(still.height) +
                " still is too small for " + std::to_string(size) + "-pixel windows");
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Scene s;
  // Background: the window's top-left moves by v from time 0 to time 1 (the scene moves by -v).
  s.bg = random_motion(max_motion, rng);
  s.bx = std::max(0.0, -s.bg.vx) + unit(rng) * (room_x - size - std::abs(s.bg.vx));
  s.by = std::max(0.0, -s.bg.vy) + unit(rng) * (room_y - size - std::abs(s.bg.vy));
  // Foreground: a patch from elsewhere in the still at q0 + u * time in the window.
  s.has_fg = unit(rng) < 0.5;
  s.fg = random_motion(max_motion, rng);
  std::uniform_int_distribution<int> fg_side(size / 6, size / 2);
  s.fw = fg_side(rng), s.fh = fg_side(rng);
  s.sx = unit(rng) * (room_x - s.fw), s.sy = unit(rng) * (room_y - s.fh);
  s.qx = -s.fw / 2.0 + unit(rng) * size - s.fg.vx * 0.5, s.qy = -s.fh / 2.0 + unit(rng) * size - s.fg.vy * 0.5;
  return s;
}

// The window at `time` into dst (planar RGB, size x size); with flow0/flow1, also the true flows from
// this time to times 0 and 1 (2 x size x size each).
void render(const Image8& still, const Scene& s, int size, double time, float* dst, float* flow0 = nullptr,
            float* flow1 = nullptr) {
  const size_t plane = static_cast<size_t>(size) * size;
  const double ox = s.bx + s.bg.vx * time, oy = s.by + s.bg.vy * time;
  const double px = s.qx + s.fg.vx * time, py = s.qy + s.fg.vy * time;
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      float back[3], front[3] = {0, 0, 0};
      pixel(still, ox + x, oy + y, back);
      const double cover = s.has_fg ? overlap(x, px, px + s.fw) * overlap(y, py, py + s.fh) : 0.0;
      if (cover > 0) pixel(still, s.sx + (x - px), s.sy + (y - py), front);
      const size_t i = static_cast<size_t>(y) * size + x;
      for (int c = 0; c < 3; ++c) dst[c * plane + i] = static_cast<float>(back[c] * (1 - cover) + front[c] * cover);
      if (!flow0) continue;
      // Background content at x in frame t sits at x + v t in frame 0 and x - v (1 - t) in frame 1;
      // the foreground moves the other way round on screen.
      const bool front_wins = cover > 0.5;
      const double mx = front_wins ? -s.fg.vx : s.bg.vx, my = front_wins ? -s.fg.vy : s.bg.vy;
      flow0[i] = static_cast<float>(mx * time), flow0[plane + i] = static_cast<float>(my * time);
      flow1[i] = static_cast<float>(-mx * (1 - time)), flow1[plane + i] = static_cast<float>(-my * (1 - time));
    }
}

}  // namespace

SyntheticTriplet synthetic_triplet(const Image8& still, int size, double t, double max_motion, std::mt19937_64& rng) {
  const Scene scene = random_scene(still, size, max_motion, rng);
  SyntheticTriplet out;
  out.size = size;
  const size_t plane = static_cast<size_t>(size) * size;
  out.frame0.resize(3 * plane);
  out.frame1.resize(3 * plane);
  out.middle.resize(3 * plane);
  out.flow0.resize(2 * plane);
  out.flow1.resize(2 * plane);
  render(still, scene, size, 0.0, out.frame0.data());
  render(still, scene, size, 1.0, out.frame1.data());
  render(still, scene, size, t, out.middle.data(), out.flow0.data(), out.flow1.data());
  return out;
}

bool fits_synthetic_sequence(const Image8& still, int size, int frames, double max_step) {
  return fits(still, size, max_step * (frames - 1));
}

std::vector<std::vector<float>> synthetic_sequence(const Image8& still, int size, int frames, double max_step,
                                                   std::mt19937_64& rng) {
  if (frames < 2) throw Error("synthetic motion: a sequence needs at least 2 frames");
  const Scene scene = random_scene(still, size, max_step * (frames - 1), rng);
  std::vector<std::vector<float>> out(frames, std::vector<float>(3 * static_cast<size_t>(size) * size));
  for (int k = 0; k < frames; ++k) render(still, scene, size, k / double(frames - 1), out[k].data());
  return out;
}

}  // namespace vsr::train
