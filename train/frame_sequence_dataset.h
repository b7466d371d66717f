// Training samples for frame interpolation: (frame 0, frame 1, the true frame at t, t) as random
// crops, from
//   - video files (decoded once at startup): frames (k, k + j, k + n), n in {2, 4}, t = j / n, taken
//     only from the training part of each video: the held-back tail (first_held_back_frame(), the
//     last 15%) is dropped on decoding and never held in memory; or folders of frame folders (all
//     frames used: such sets are split by folder; training_clips.h);
//   - still photos (JPEG or PNG folders): synthetic motion with exact intermediates and flows.
// Video crops are flipped and rotated at random (the 8 dihedral transforms) and reversed in time
// (frames swapped, t -> 1 - t). Most of a fixed-camera video is still background, which teaches
// nothing about motion: with motion_crops > 1 that many crop positions are drawn and the one whose
// outer frames differ most is kept.
// Torch-free: the trainer wraps the float batches in tensors.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "eval/image.h"

namespace vsr::train {

struct FrameSequenceConfig {
  std::vector<std::string> videos;         // video files or folders of frame folders (training_clips.h)
  std::vector<std::string> photo_folders;  // folders of *.jpg / *.jpeg / *.png stills
  int patch = 128;                         // crop side (a multiple of 8)
  double synthetic_fraction = 0.3;         // share of samples from the stills (when there are any)
  double max_synthetic_motion = 24.0;      // pixels between frames 0 and 1
  double four_step_fraction = 0.4;         // share of video samples spanning 4 frames (t = 1/4, 1/2, 3/4)
  int photo_scale_denominator = 2;         // stills decoded at 1/2 (the 2x2 supersampling makes that 1/4)
  int motion_crops = 1;                    // candidate positions per video crop (1: uniform crops)
  uint64_t seed = 1;
};

// One batch, planar float NCHW, values in [0,1].
struct InterpBatch {
  int batch = 0;
  int size = 0;
  std::vector<float> input;     // batch x 7 x size x size: frame 0, frame 1, t plane
  std::vector<float> target;    // batch x 3 x size x size
  std::vector<float> flows;     // batch x 4 x size x size: F_t->0, F_t->1 where known, else 0
  std::vector<float> has_flow;  // batch: 1 for synthetic samples (true flows), 0 for video
};

class FrameSequenceDataset {
 public:
  // Throws vsr::Error naming a file that cannot be read or a source too small for the patch.
  explicit FrameSequenceDataset(const FrameSequenceConfig& config);
  InterpBatch sample(int batch_size);

  // What is loaded, one line per source ("vtest.avi: 675 of 795 frames (held back from 675)").
  std::vector<std::string> summary() const { return summary_; }
  // The sampler's random state, so a resumed run continues with the very samples it would have drawn.
  std::string rng_state() const;
  void set_rng_state(const std::string& state);

 private:
  struct Video {
    std::string name;
    std::vector<Image8> frames;  // the training part only
  };
  void video_sample(float* input, float* target);
  void synthetic_sample(float* input, float* target, float* flows);

  FrameSequenceConfig config_;
  std::vector<Video> videos_;
  std::vector<Image8> stills_;
  std::vector<std::string> summary_;
  std::mt19937_64 rng_;
};

}  // namespace vsr::train
