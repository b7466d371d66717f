#include "pipeline.h"

#include <algorithm>
#include <cmath>

#include "jpeg.h"
#include "video_codec.h"
#include "ops.h"
#include "vsr/error.h"

namespace vsr::degrade {
namespace {

double uniform(std::mt19937_64& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
bool chance(std::mt19937_64& rng, double p) { return uniform(rng, 0.0, 1.0) < p; }

}  // namespace

Kernel random_blur_kernel(int size, double max_sigma, std::mt19937_64& rng) {
  const double sx = uniform(rng, 0.2, max_sigma), sy = uniform(rng, 0.2, max_sigma);
  const double theta = uniform(rng, -M_PI, M_PI);
  const double pick = uniform(rng, 0.0, 1.0);
  if (pick < 0.45) return isotropic_gaussian(size, sx);
  if (pick < 0.7) return anisotropic_gaussian(size, sx, sy, theta);
  if (pick < 0.85) return generalized_gaussian(size, sx, sy, theta, uniform(rng, 0.5, 4.0));
  return plateau(size, sx, sy, theta, uniform(rng, 1.0, 2.0));
}

namespace {

// One random blur kernel as Real-ESRGAN draws them (its first-stage ranges, scaled by `strength`).
Kernel random_kernel(std::mt19937_64& rng, double strength) {
  const int size = 2 * std::uniform_int_distribution<int>(3, 10)(rng) + 1;  // 7..21
  if (chance(rng, 0.1)) return circular_sinc(size, uniform(rng, size < 13 ? M_PI / 3 : M_PI / 5, M_PI));
  return random_blur_kernel(size, 3.0 * strength, rng);
}

FloatImage random_noise(const FloatImage& img, std::mt19937_64& rng, double gaussian_max, double poisson_max) {
  const bool grey = chance(rng, 0.4);
  if (chance(rng, 0.5)) return gaussian_noise(img, uniform(rng, 1.0, gaussian_max) / 255.0, grey, rng);
  // Poisson scale s: Real-ESRGAN's noise is Poisson(255 x * 10^... ); peak = 255 / s^2 reproduces its range.
  const double s = uniform(rng, 0.05, poisson_max);
  return poisson_noise(img, 255.0 / (s * s * 10.0), grey, rng);
}

// Random up/down/keep resize by a factor (Real-ESRGAN: up 20%, down 70%, keep 10%).
FloatImage random_resize(const FloatImage& img, std::mt19937_64& rng, double up_max, double down_min) {
  const double pick = uniform(rng, 0.0, 1.0);
  const double f = pick < 0.2 ? uniform(rng, 1.0, up_max) : pick < 0.9 ? uniform(rng, down_min, 1.0) : 1.0;
  const int w = std::max(1, static_cast<int>(std::lround(img.width * f))), h = std::max(1, static_cast<int>(std::lround(img.height * f)));
  const Resample how = chance(rng, 0.5) ? Resample::Bicubic : Resample::Nearest;
  return resize(img, w, h, how);
}

}  // namespace

FloatImage classic(const FloatImage& hr, int scale, std::mt19937_64& rng, const Kernel* fixed_blur) {
  const FloatImage blurred =
      fixed_blur ? blur(hr, *fixed_blur) : blur(hr, isotropic_gaussian(2 * (scale + 1) + 1, uniform(rng, 0.2, 0.6 * scale)));
  const FloatImage lr = resize(blurred, hr.width / scale, hr.height / scale, Resample::Bicubic);
  return quantise(gaussian_noise(lr, uniform(rng, 0.0, 10.0) / 255.0, false, rng));
}

namespace {

// The last compression of a second-order pipeline: JPEG, or H.264 when `codec_share` says so.
FloatImage final_compression(const FloatImage& x, std::mt19937_64& rng, double codec_share) {
  if (codec_share > 0 && chance(rng, codec_share)) {
    static const char* presets[] = {"veryfast", "medium", "slow"};
    const int crf = std::uniform_int_distribution<int>(18, 40)(rng);
    const char* preset = presets[std::uniform_int_distribution<int>(0, 2)(rng)];
    const int dx = std::uniform_int_distribution<int>(-3, 3)(rng), dy = std::uniform_int_distribution<int>(-3, 3)(rng);
    return h264(x, crf, preset, dx, dy);
  }
  return jpeg(x, std::uniform_int_distribution<int>(30, 95)(rng));
}

FloatImage second_order_with(const FloatImage& hr, int scale, std::mt19937_64& rng, double codec_share) {
  // First round.
  FloatImage x = blur(hr, random_kernel(rng, 1.0));
  x = random_resize(x, rng, 1.5, 0.15);
  x = jpeg(random_noise(x, rng, 30.0, 3.0), std::uniform_int_distribution<int>(30, 95)(rng));
  // Second round, milder and not always blurred.
  if (chance(rng, 0.8)) x = blur(x, random_kernel(rng, 0.5));
  x = random_resize(x, rng, 1.2, 0.3);
  x = jpeg(random_noise(x, rng, 25.0, 2.5), std::uniform_int_distribution<int>(30, 95)(rng));
  // To the LR size, with the ringing of a sinc filter before or after (or none).
  const int w = hr.width / scale, h = hr.height / scale;
  const bool sinc_first = chance(rng, 0.5);
  auto final_sinc = [&](const FloatImage& img) {
    return chance(rng, 0.8) ? blur(img, circular_sinc(2 * std::uniform_int_distribution<int>(3, 10)(rng) + 1,
                                                      uniform(rng, M_PI / 3, M_PI)))
                            : img;
  };
  if (sinc_first) x = final_sinc(x);
  x = resize(x, w, h, chance(rng, 0.5) ? Resample::Bicubic : Resample::Nearest);
  if (!sinc_first) x = final_sinc(x);
  return final_compression(x, rng, codec_share);
}

}  // namespace

FloatImage second_order(const FloatImage& hr, int scale, std::mt19937_64& rng) { return second_order_with(hr, scale, rng, 0.0); }

FloatImage video(const FloatImage& hr, int scale, std::mt19937_64& rng) { return second_order_with(hr, scale, rng, 2.0 / 3.0); }

FloatImage degrade(const std::string& name, const FloatImage& hr, int scale, std::mt19937_64& rng, const Kernel* fixed_blur) {
  if (name == "bicubic") return quantise(resize(hr, hr.width / scale, hr.height / scale, Resample::Bicubic));
  if (name == "classic") return classic(hr, scale, rng, fixed_blur);
  if (name == "second_order") return second_order(hr, scale, rng);
  if (name == "video") return video(hr, scale, rng);
  throw Error("unknown degradation '" + name + "' (known: " + degradation_list() + ")");
}

const std::vector<std::string>& degradation_names() {
  static const std::vector<std::string> names = {"bicubic", "classic", "second_order", "video"};
  return names;
}

bool is_degradation(const std::string& name) {
  const auto& names = degradation_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string degradation_list() {
  std::string list;
  for (const std::string& n : degradation_names()) list += (list.empty() ? "" : ", ") + n;
  return list;
}

}  // namespace vsr::degrade
