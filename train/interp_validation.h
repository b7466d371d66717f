// Interpolation validation: triplet folders (one subfolder per triplet, its first three PNGs in name
// order are frame 0, the true middle frame and frame 1) scored at t = 0.5 with BT.601 luma PSNR and
// SSIM on 8-bit results, no border shaved, as eval/vsr-eval-interp scores them.
#pragma once
#include <string>
#include <vector>

#include "eval/image.h"
#include "interp_net.h"

namespace vsr::train {

struct Triplet {
  std::string name;
  Image8 first, middle, second;
};

// Throws vsr::Error when the folder holds no triplet or a triplet's frames differ in size.
std::vector<Triplet> load_triplets(const std::string& folder);

struct InterpScores {
  double psnr = 0.0, ssim = 0.0;
};

// Means over the triplets; frames are padded to the size multiple by edge replication and cropped back.
InterpScores score_interpolation(InterpNetImpl& net, const std::vector<Triplet>& triplets);

}  // namespace vsr::train
