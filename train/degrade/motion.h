// Synthetic motion sequences cut from one large still photo: a virtual camera pans across it, so a
// sequence model (window or recurrent) gets frames whose true motion is known, with no video codec in
// the way. Sub-pixel positions are sampled bilinearly. Pure: the generator decides the path.
#pragma once
#include <random>
#include <vector>

#include "float_image.h"

namespace vsr::degrade {

struct Pan {
  double x0 = 0, y0 = 0;  // top-left of frame 0 in the still, in pixels
  double dx = 0, dy = 0;  // motion per frame, in pixels
};

// `frames` windows of width x height along `pan`. Throws vsr::Error when a window leaves the still.
std::vector<FloatImage> pan_frames(const FloatImage& still, const Pan& pan, int frames, int width, int height);

// A random pan (speed up to `max_speed` pixels per frame, any direction) that stays inside the still.
Pan random_pan(const FloatImage& still, int frames, int width, int height, double max_speed, std::mt19937_64& rng);

}  // namespace vsr::degrade
