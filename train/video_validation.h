// Validation of video SR models on held-back sequences (folders of PNG frames, name order, as
// scripts/eval/video_sequences.sh and `vsr-train-video --make-sequences` write them), with the
// standard protocol per frame: HR cropped to a multiple of the scale, LR by MATLAB bicubic (8-bit),
// PSNR/SSIM on BT.601 Y with `scale` pixels shaved. Recurrent models run each sequence as a stream from
// a zero state, as vsr::Engine::push() does; single-frame models run frame by frame.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "eval/image.h"
#include "sr_model.h"

namespace vsr::train {

struct FrameSequence {
  std::string name;
  std::vector<Image8> hr;  // modcropped to the scale
};

struct VideoScores {
  double psnr, ssim;  // means over every frame of every sequence
};

// Every subfolder of `folder` holding at least 2 PNGs; at most max_frames frames of each (0 = all).
// Throws vsr::Error naming a folder without sequences or a sequence whose frames differ in size.
std::vector<FrameSequence> load_sequences(const std::string& folder, int scale, int max_frames);

VideoScores score_video_sr(SrModelImpl& model, const std::vector<FrameSequence>& sequences);

}  // namespace vsr::train
