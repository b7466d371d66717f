// Exact interpolation triplets from a still photo: a window pans across it with a random sub-pixel
// velocity while, half the time, a foreground patch cut from elsewhere in the still moves across the
// window with its own velocity (occlusions). Any time t between the two frames is rendered exactly,
// and so are the true intermediate flows. Each output pixel averages 2x2 bilinear samples of the
// still, so a half-pixel shift blurs frames 0, 1 and t alike instead of only the shifted one.
// Torch-free.
#pragma once
#include <random>
#include <vector>

#include "eval/image.h"

namespace vsr::train {

struct SyntheticTriplet {
  int size = 0;
  // Planar float RGB in [0,1], 3 x size x size each.
  std::vector<float> frame0, frame1, middle;
  // 2 x size x size each (x then y, in pixels): where each pixel of the frame at t is found in frame 0
  // (F_t->0) and in frame 1 (F_t->1).
  std::vector<float> flow0, flow1;
};

// A size x size triplet at time t in (0,1); motions up to max_motion pixels between frames 0 and 1.
// Throws vsr::Error when the still is too small for the window and its motion.
SyntheticTriplet synthetic_triplet(const Image8& still, int size, double t, double max_motion, std::mt19937_64& rng);

// A pan of `frames` frames (planar float RGB, 3 x size x size each) over the still, the window moving
// at a constant random sub-pixel velocity of up to max_step pixels per frame, with a foreground patch
// moving its own way half the time: training and held-back sequences for video super-resolution.
// Whether a still is large enough for synthetic_sequence(still, size, frames, max_step, ...).
bool fits_synthetic_sequence(const Image8& still, int size, int frames, double max_step);
std::vector<std::vector<float>> synthetic_sequence(const Image8& still, int size, int frames, double max_step,
                                                   std::mt19937_64& rng);

}  // namespace vsr::train
