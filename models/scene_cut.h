// Scene-cut detection between consecutive frames. A cut is where both the luma histogram (what the
// picture is made of) and a coarse luma thumbnail (where things are) change at once: motion moves
// the thumbnail but keeps the histogram, a fade or flash shifts the histogram evenly but keeps the
// structure, a cut changes both. Used to restart multi-frame models (no state carried across a cut)
// and, in frame-rate conversion, to repeat instead of morphing.
#pragma once
#include <array>
#include <vector>

#include "vsr/frame.h"

namespace vsr {

class SceneCutDetector {
 public:
  // threshold in (0,1]: the geometric mean of the histogram change (half the L1 distance of the
  // normalised 32-bin histograms, 0..1) and the thumbnail change (mean absolute difference of 16x9
  // block means, each less the frame's mean, as a fraction of the range, times 5, capped at 1). 0.3 by default.
  explicit SceneCutDetector(double threshold = 0.3) : threshold_(threshold) {}

  // Whether `frame` starts a new scene (never true for the first frame after reset()).
  bool is_cut(const Frame& frame);
  double last_score() const { return last_score_; }
  void reset() { have_previous_ = false; }

  struct Signature {
    std::array<double, 32> histogram{};
    std::array<double, 16 * 9> thumbnail{};
  };
  // The frame's luma signature, from host memory (any engine format; RGB through (R+2G+B)/4).
  static Signature signature(const Frame& frame);
  static double score(const Signature& a, const Signature& b);

 private:
  double threshold_;
  bool have_previous_ = false;
  Signature previous_;
  double last_score_ = 0;
};

}  // namespace vsr
