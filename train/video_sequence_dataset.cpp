#include "video_sequence_dataset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "crop.h"
#include "eval/imresize.h"
#include "stills.h"
#include "synthetic_motion.h"
#include "parallel_jobs.h"
#include "training_clips.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;

void bicubic_lr(const float* hr, int size, int scale, float* lr) {
  const int small = size / scale;
  const size_t hr_plane = static_cast<size_t>(size) * size, lr_plane = static_cast<size_t>(small) * small;
  for (int c = 0; c < 3; ++c) imresize_bicubic_plane(hr + c * hr_plane, size, size, small, small, lr + c * lr_plane);
  for (size_t i = 0; i < 3 * lr_plane; ++i) lr[i] = std::round(std::clamp(lr[i], 0.0f, 1.0f) * 255.0f) / 255.0f;
}

VideoSequenceDataset::VideoSequenceDataset(const VideoSequenceConfig& config) : config_(config), rng_(config.seed) {
  if (config.frames < 2) throw Error("video SR sequences need at least 2 frames");
  if (config.scale < 2 || config.scale > 4) throw Error("video SR scale must be 2 to 4");
  if (config.lr_patch < 8) throw Error("video SR LR patch must be at least 8 pixels");
  const int hr = config.lr_patch * config.scale;
  for (const auto& path : config.videos) {
    std::vector<TrainingClip> clips = load_training_clips(path);
    const std::string kind = fs::is_directory(path) ? "frame folder '" : "video '";
    for (TrainingClip& clip : clips) {
      if (static_cast<int>(clip.frames.size()) < config.frames)
        throw Error(kind + clip.name + "' has fewer than " + std::to_string(config.frames) + " frames" +
                    (fs::is_directory(path) ? "" : " before its held-back tail"));
      if (clip.frames[0].width < hr || clip.frames[0].height < hr)
        throw Error(kind + clip.name + "' is smaller than one " + std::to_string(hr) + "-pixel HR crop");
    }
    summary_.push_back(describe_clips(path, clips));
    for (TrainingClip& clip : clips) videos_.push_back(std::move(clip.frames));
  }
  int too_small = 0;
  for (Image8& still : load_stills(config.photo_folders, config.photo_scale_denominator)) {
    if (fits_synthetic_sequence(still, hr, config.frames, config.max_synthetic_step))
      stills_.push_back(std::move(still));
    else
      ++too_small;
  }
  if (!config.photo_folders.empty()) {
    if (stills_.empty()) throw Error("no still in the photo folders is large enough for " + std::to_string(hr) + "-pixel pans");
    summary_.push_back(std::to_string(stills_.size()) + " stills for synthetic pans (JPEGs decoded at 1/" +
                       std::to_string(config.photo_scale_denominator) + "; " + std::to_string(too_small) +
                       " too small for the crop and its motion, left out)");
  }
  if (videos_.empty() && stills_.empty()) throw Error("video SR training needs videos or photo folders");
}

void VideoSequenceDataset::video_sample(float* hr) {
  std::vector<double> weights;  // videos in proportion to their usable frames
  for (const auto& v : videos_) weights.push_back(static_cast<double>(v.size()));
  const auto& v = videos_[std::discrete_distribution<size_t>(weights.begin(), weights.end())(rng_)];
  const int n = config_.frames, p = config_.lr_patch * config_.scale;
  const int k = std::uniform_int_distribution<int>(0, static_cast<int>(v.size()) - n)(rng_);
  const int x0 = std::uniform_int_distribution<int>(0, v[k].width - p)(rng_);
  const int y0 = std::uniform_int_distribution<int>(0, v[k].height - p)(rng_);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const bool flip_x = unit(rng_) < 0.5, flip_y = unit(rng_) < 0.5, reverse = unit(rng_) < 0.5;
  const Dihedral d{flip_x, flip_y, unit(rng_) < 0.5};
  const size_t frame = 3 * static_cast<size_t>(p) * p;
  for (int i = 0; i < n; ++i) copy_crop(v[k + (reverse ? n - 1 - i : i)], x0, y0, p, d, hr + i * frame);
}

void VideoSequenceDataset::synthetic_sample(float* hr) {
  const Image8& still = stills_[std::uniform_int_distribution<size_t>(0, stills_.size() - 1)(rng_)];
  const int p = config_.lr_patch * config_.scale;
  const auto frames = synthetic_sequence(still, p, config_.frames, config_.max_synthetic_step, rng_);
  for (size_t i = 0; i < frames.size(); ++i) std::copy(frames[i].begin(), frames[i].end(), hr + i * frames[i].size());
}

SequenceBatch VideoSequenceDataset::sample(int batch_size) {
  SequenceBatch b;
  b.batch = batch_size;
  b.frames = config_.frames;
  b.lr_size = config_.lr_patch;
  b.hr_size = config_.lr_patch * config_.scale;
  const size_t hr_frame = 3 * static_cast<size_t>(b.hr_size) * b.hr_size, lr_frame = 3 * static_cast<size_t>(b.lr_size) * b.lr_size;
  b.hr.resize(batch_size * b.frames * hr_frame);
  b.lr.resize(batch_size * b.frames * lr_frame);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < batch_size; ++i) {
    float* hr = b.hr.data() + i * b.frames * hr_frame;
    if (!stills_.empty() && (videos_.empty() || unit(rng_) < config_.synthetic_fraction))
      synthetic_sample(hr);
    else
      video_sample(hr);
  }
  // The LR frames (MATLAB bicubic, most of a batch's cost) on the loading threads: no draws here.
  run_parallel(static_cast<size_t>(batch_size) * b.frames, config_.threads, [&](size_t f) {
    bicubic_lr(b.hr.data() + f * hr_frame, b.hr_size, config_.scale, b.lr.data() + f * lr_frame);
  });
  return b;
}

std::string VideoSequenceDataset::rng_state() const {
  std::ostringstream out;
  out << rng_;
  return out.str();
}

void VideoSequenceDataset::set_rng_state(const std::string& state) {
  std::istringstream in(state);
  in >> rng_;
  if (!in) throw Error("the saved sampler state is unreadable");
}

}  // namespace vsr::train
