#include "frame_sequence_dataset.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "crop.h"
#include "stills.h"
#include "synthetic_motion.h"
#include "training_clips.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;

FrameSequenceDataset::FrameSequenceDataset(const FrameSequenceConfig& config) : config_(config), rng_(config.seed) {
  if (config.patch < 16 || config.patch % 8 != 0) throw Error("interpolation patch must be a multiple of 8, at least 16");
  for (const auto& path : config.videos) {
    std::vector<TrainingClip> clips = load_training_clips(path);
    const std::string kind = fs::is_directory(path) ? "frame folder '" : "video '";
    for (TrainingClip& clip : clips) {
      if (clip.frames.size() < 5)
        throw Error(kind + clip.name + "' has too few frames" + (fs::is_directory(path) ? "" : " before its held-back tail"));
      if (clip.frames[0].width < config.patch || clip.frames[0].height < config.patch)
        throw Error(kind + clip.name + "' is smaller than one " + std::to_string(config.patch) + " patch");
    }
    summary_.push_back(describe_clips(path, clips));
    for (TrainingClip& clip : clips) videos_.push_back({fs::path(clip.name).filename().string(), std::move(clip.frames)});
  }
  stills_ = load_stills(config.photo_folders, config.photo_scale_denominator);
  if (!config.photo_folders.empty()) {
    if (stills_.empty()) throw Error("no JPEG or PNG stills in the photo folders");
    summary_.push_back(std::to_string(stills_.size()) + " stills for synthetic motion (JPEGs decoded at 1/" +
                       std::to_string(config.photo_scale_denominator) + ")");
  }
  if (videos_.empty() && stills_.empty()) throw Error("interpolation training needs videos or photo folders");
}

void FrameSequenceDataset::video_sample(float* input, float* target) {
  // Videos in proportion to their usable frames.
  std::vector<double> weights;
  for (const auto& v : videos_) weights.push_back(static_cast<double>(v.frames.size()));
  const Video& v = videos_[std::discrete_distribution<size_t>(weights.begin(), weights.end())(rng_)];
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int n = unit(rng_) < config_.four_step_fraction ? 4 : 2;
  const int j = std::uniform_int_distribution<int>(1, n - 1)(rng_);
  const int k = std::uniform_int_distribution<int>(0, static_cast<int>(v.frames.size()) - 1 - n)(rng_);
  const Image8& first = v.frames[k];
  const int p = config_.patch;
  int x0 = std::uniform_int_distribution<int>(0, first.width - p)(rng_);
  int y0 = std::uniform_int_distribution<int>(0, first.height - p)(rng_);
  if (config_.motion_crops > 1) {
    double best = crop_difference(first, v.frames[k + n], x0, y0, p);
    for (int c = 1; c < config_.motion_crops; ++c) {
      const int x = std::uniform_int_distribution<int>(0, first.width - p)(rng_);
      const int y = std::uniform_int_distribution<int>(0, first.height - p)(rng_);
      const double motion = crop_difference(first, v.frames[k + n], x, y, p);
      if (motion > best) best = motion, x0 = x, y0 = y;
    }
  }
  const bool flip_x = unit(rng_) < 0.5, flip_y = unit(rng_) < 0.5, reverse = unit(rng_) < 0.5;
  const Dihedral d{flip_x, flip_y, unit(rng_) < 0.5};
  const size_t plane = static_cast<size_t>(p) * p;
  copy_crop(v.frames[reverse ? k + n : k], x0, y0, p, d, input);
  copy_crop(v.frames[reverse ? k : k + n], x0, y0, p, d, input + 3 * plane);
  copy_crop(v.frames[k + j], x0, y0, p, d, target);
  const float t = static_cast<float>(reverse ? n - j : j) / n;
  std::fill(input + 6 * plane, input + 7 * plane, t);
}

void FrameSequenceDataset::synthetic_sample(float* input, float* target, float* flows) {
  const Image8& still = stills_[std::uniform_int_distribution<size_t>(0, stills_.size() - 1)(rng_)];
  static const double times[] = {0.25, 0.5, 0.5, 0.75};
  const double t = times[std::uniform_int_distribution<int>(0, 3)(rng_)];
  const SyntheticTriplet s = synthetic_triplet(still, config_.patch, t, config_.max_synthetic_motion, rng_);
  const size_t plane = static_cast<size_t>(config_.patch) * config_.patch;
  std::copy(s.frame0.begin(), s.frame0.end(), input);
  std::copy(s.frame1.begin(), s.frame1.end(), input + 3 * plane);
  std::fill(input + 6 * plane, input + 7 * plane, static_cast<float>(t));
  std::copy(s.middle.begin(), s.middle.end(), target);
  std::copy(s.flow0.begin(), s.flow0.end(), flows);
  std::copy(s.flow1.begin(), s.flow1.end(), flows + 2 * plane);
}

InterpBatch FrameSequenceDataset::sample(int batch_size) {
  const int p = config_.patch;
  const size_t plane = static_cast<size_t>(p) * p;
  InterpBatch b;
  b.batch = batch_size;
  b.size = p;
  b.input.resize(batch_size * 7 * plane);
  b.target.resize(batch_size * 3 * plane);
  b.flows.assign(batch_size * 4 * plane, 0.0f);
  b.has_flow.assign(batch_size, 0.0f);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < batch_size; ++i) {
    const bool synthetic = !stills_.empty() && (videos_.empty() || unit(rng_) < config_.synthetic_fraction);
    float* input = b.input.data() + i * 7 * plane;
    float* target = b.target.data() + i * 3 * plane;
    if (synthetic) {
      synthetic_sample(input, target, b.flows.data() + i * 4 * plane);
      b.has_flow[i] = 1.0f;
    } else {
      video_sample(input, target);
    }
  }
  return b;
}

std::string FrameSequenceDataset::rng_state() const {
  std::ostringstream out;
  out << rng_;
  return out.str();
}

void FrameSequenceDataset::set_rng_state(const std::string& state) {
  std::istringstream in(state);
  in >> rng_;
  if (!in) throw Error("the saved sampler state is unreadable");
}

}  // namespace vsr::train
