// The standard SR protocol (protocol.h) applied to frame sequences, for vsr-eval-video: each HR frame
// cropped to a multiple of the scale, LR by MATLAB bicubic (8-bit), PSNR/SSIM on BT.601 Y with `scale`
// pixels shaved, plus a temporal score over consecutive frames (tPSNR, see temporal_mse()).
#pragma once
#include <string>
#include <vector>

#include "image.h"
#include "metrics.h"

namespace vsr {

// One sequence: HR frames (already modcropped) and the LR frames the methods see.
struct Sequence {
  std::string name;    // shown in tables: the folder's name
  std::string folder;  // where the frames came from (for error messages)
  std::vector<std::string> files;
  std::vector<Image8> hr, lr;
  std::vector<bool> grey;  // per frame: the PNG had one channel (scored on raw grey, as protocol.cpp does)
};

// The sub-folders of `data`, sorted by name; each is one sequence. Throws vsr::Error naming `data`
// when it has none.
std::vector<std::string> list_sequence_folders(const std::string& data);

// The PNG frames of one sequence folder, in name order; throws vsr::Error naming the folder when it
// holds fewer than 2 (checked for every folder before any model runs).
std::vector<std::string> list_sequence_frames(const std::string& folder);

// Reads the PNGs of `folder` in name order, checks there are at least 2 of one size, and makes the LR
// frames. Throws vsr::Error naming the folder (and the odd file out).
Sequence load_sequence(const std::string& folder, int scale);

// Per-frame and temporal scores of one method on one sequence.
struct SequenceScores {
  std::vector<double> psnr, ssim;  // per frame
  std::vector<double> temporal_mse;  // per transition t-1 -> t, t = 1..n-1
  double mean_psnr() const;
  double mean_ssim() const;
  double tpsnr() const;  // PSNR of the mean temporal MSE
};

// Scores `sr` (one frame per HR frame, in order) against the sequence. Throws vsr::Error naming the
// method, sequence and frame on a count or size mismatch.
SequenceScores score_sequence(const Sequence& seq, const std::vector<Image8>& sr, const std::string& method, int scale);

// Mean squared difference between the frame differences (a_t - a_prev) and (b_t - b_prev), `shave`
// border pixels left out: a simple temporal error with no motion compensation.
double temporal_mse(const LumaPlane& a_prev, const LumaPlane& a, const LumaPlane& b_prev, const LumaPlane& b, int shave);

// 10 log10(255^2 / mse); +infinity for mse == 0 (as psnr() does).
double psnr_of_mse(double mse);

}  // namespace vsr
