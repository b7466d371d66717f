// Interpolation samples for vsr-eval-interp: a folder of N >= 3 PNGs, sorted by name. The first and
// the last are the inputs; the N - 2 between them are the truth at t = i / (N - 1): a triplet (N = 3)
// asks for the middle frame at t = 0.5, a quadruplet for t = 1/3 and 2/3 (as 24 -> 60 fps and other
// rates that are not a doubling need).
#pragma once
#include <string>
#include <vector>

#include "eval/image.h"

namespace vsr {

struct InterpSample {
  std::string name;
  Image8 first, last;
  std::vector<Image8> truths;  // frames 1 .. N-2

  double t(size_t i) const { return static_cast<double>(i + 1) / static_cast<double>(truths.size() + 1); }
  // The file name of made frame i: "<name>.png" for a triplet, "<name>_t<i+1>.png" otherwise
  // (--save writes it, --predicted reads it).
  std::string made_name(size_t i) const;
};

// Every sample folder below `folder`, sorted by name (list_sequence_folders: a sample is a short
// sequence). Throws vsr::Error naming a folder with fewer than 3 PNGs or frames of different sizes, or
// a `folder` without samples.
std::vector<InterpSample> load_interp_samples(const std::string& folder);

}  // namespace vsr
