// Training samples for video super-resolution: short HR sequences (consecutive frames) and their LR
// versions by MATLAB bicubic at the protocol's 8 bits, as random crops, from
//   - video files (decoded once at startup): runs of consecutive frames from the training part of each
//     video only; the held-back tail (first_held_back_frame(), the last 15%) that
//     scripts/eval/video_sequences.sh evaluates on is dropped on decoding; or folders of frame folders
//     (REDS, Vimeo-90K style: all frames used, such sets being split by folder);
//   - still photos: synthetic pans with sub-pixel motion (synthetic_motion.h), which carry exactly the
//     sub-pixel information between frames that multi-frame SR recovers.
// Video runs are flipped and rotated at random (the 8 dihedral transforms) and reversed in time.
// Torch-free.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "eval/image.h"

namespace vsr::train {

struct VideoSequenceConfig {
  std::vector<std::string> videos;         // video files or folders of frame folders (training_clips.h)
  std::vector<std::string> photo_folders;  // folders of *.jpg / *.jpeg / *.png stills
  int frames = 6;                          // sequence length
  int scale = 4;
  int lr_patch = 32;                       // LR crop side (the HR crop is scale x that)
  double synthetic_fraction = 0.5;         // share of samples from the stills (when there are any)
  double max_synthetic_step = 6.0;         // HR pixels per frame of the synthetic pans
  int photo_scale_denominator = 2;         // stills decoded at 1/2 (the 2x2 supersampling makes that 1/4)
  uint64_t seed = 1;
  int threads = 1;                         // loading threads for the LR frames of a batch
};

// One batch, planar float, values in [0,1]: sample i, frame k starts at ((i * frames + k) * 3) planes.
struct SequenceBatch {
  int batch = 0, frames = 0, lr_size = 0, hr_size = 0;
  std::vector<float> lr;  // batch x frames x 3 x lr_size x lr_size
  std::vector<float> hr;  // batch x frames x 3 x hr_size x hr_size
};

class VideoSequenceDataset {
 public:
  // Throws vsr::Error naming a file that cannot be read or a source too small for the crop.
  explicit VideoSequenceDataset(const VideoSequenceConfig& config);
  SequenceBatch sample(int batch_size);

  std::vector<std::string> summary() const { return summary_; }
  // The sampler's random state, so a resumed run continues with the very samples it would have drawn.
  std::string rng_state() const;
  void set_rng_state(const std::string& state);

 private:
  void video_sample(float* hr);
  void synthetic_sample(float* hr);

  VideoSequenceConfig config_;
  std::vector<std::vector<Image8>> videos_;  // the training part of each video
  std::vector<Image8> stills_;
  std::vector<std::string> summary_;
  std::mt19937_64 rng_;
};

// MATLAB bicubic downscaling of one planar RGB HR frame (3 x size x size) by `scale`, rounded to 8 bits
// as the evaluation protocol's LR is; lr holds 3 x (size / scale)^2 values.
void bicubic_lr(const float* hr, int size, int scale, float* lr);

}  // namespace vsr::train
