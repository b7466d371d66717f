#include "patch_dataset.h"

#include <algorithm>
#include <filesystem>

#include "eval/imresize.h"
#include "parallel_jobs.h"
#include "train/degrade/pipeline.h"
#include "vsr/error.h"

namespace vsr::train {
namespace {

// Copies a square patch into planar float, applying one of the 8 dihedral transforms so LR and HR
// stay aligned (the same transform is applied to both).
void copy_patch(const Image8& img, int x0, int y0, int size, int transform, float* dst) {
  const size_t plane = static_cast<size_t>(size) * size;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      int sx = x, sy = y;
      if (transform & 4) std::swap(sx, sy);
      if (transform & 1) sx = size - 1 - sx;
      if (transform & 2) sy = size - 1 - sy;
      const uint8_t* p = img.row(y0 + sy) + static_cast<size_t>(x0 + sx) * 3;
      for (int c = 0; c < 3; ++c) dst[c * plane + y * size + x] = p[c] * (1.0f / 255.0f);
    }
  }
}

}  // namespace

PatchDataset::PatchDataset(const PatchDatasetConfig& config)
    : config_(config), rng_(config.seed), rng_local_(config.seed ^ 0x9e3779b97f4a7c15ULL) {
  if (!degrade::is_degradation(config.degradation))
    throw Error("unknown degradation '" + config.degradation + "' (known: " + degrade::degradation_list() + ")");
  const bool paired = !config.lr_folders.empty();
  if (paired && config.lr_folders.size() != config.folders.size())
    throw Error(std::to_string(config.lr_folders.size()) + " LR folders for " + std::to_string(config.folders.size()) +
                " training folders: paired data needs one LR folder per folder");
  if (paired && config.degradation != "bicubic")
    throw Error("paired data brings its own LR images: degradation '" + config.degradation + "' cannot apply");
  struct Source {
    std::string file, lr_folder;
  };
  std::vector<Source> sources;
  for (size_t f = 0; f < config.folders.size(); ++f) {
    const auto found = list_png_files(config.folders[f]);
    if (found.empty()) throw Error("no PNG images in training folder '" + config.folders[f] + "'");
    for (const auto& file : found) sources.push_back({file, paired ? config.lr_folders[f] : ""});
  }
  // Decoded and resized on the loading threads, kept in the files' order.
  std::vector<std::vector<Pair>> per_file(sources.size());
  run_parallel(sources.size(), config.threads, [&](size_t i) {
    if (paired)
      per_file[i].push_back(load_given(sources[i].file, sources[i].lr_folder));
    else
      per_file[i] = load_made(sources[i].file);
  });
  for (auto& pairs : per_file)
    for (auto& p : pairs)
      if (p.lr.width >= config.lr_patch && p.lr.height >= config.lr_patch) pairs_.push_back(std::move(p));
  if (pairs_.empty()) throw Error("no training image is larger than one HR patch");
}

// The HR image and its rescaled copies, each with its MATLAB-bicubic LR.
std::vector<PatchDataset::Pair> PatchDataset::load_made(const std::string& file) const {
  const int s = config_.scale;
  const Image8 original = read_png_rgb(file);
  std::vector<Pair> pairs;
  for (double f : config_.rescale) {
    Image8 hr = f == 1.0 ? original : imresize_bicubic(original, f);
    hr = modcrop(hr, s);
    if (hr.width < config_.lr_patch * s || hr.height < config_.lr_patch * s) continue;
    Image8 lr = imresize_bicubic(hr, 1.0 / s);
    pairs.push_back({std::move(hr), std::move(lr)});
  }
  return pairs;
}

// The HR image and its LR from `lr_folder`: 0001.png, or DIV2K's 0001x<scale>.png.
PatchDataset::Pair PatchDataset::load_given(const std::string& hr_file, const std::string& lr_folder) const {
  namespace fs = std::filesystem;
  const int s = config_.scale;
  const std::string stem = fs::path(hr_file).stem().string();
  fs::path lr_file = fs::path(lr_folder) / (stem + ".png");
  if (!fs::exists(lr_file)) lr_file = fs::path(lr_folder) / (stem + "x" + std::to_string(s) + ".png");
  if (!fs::exists(lr_file))
    throw Error("training image '" + hr_file + "' has no LR image in '" + lr_folder + "' (looked for " + stem +
                ".png and " + stem + "x" + std::to_string(s) + ".png)");
  Image8 hr = read_png_rgb(hr_file);
  Image8 lr = read_png_rgb(lr_file.string());
  const int w = lr.width * s, h = lr.height * s;
  if (hr.width < w || hr.height < h || hr.width >= w + s || hr.height >= h + s)
    throw Error("LR image '" + lr_file.string() + "' is " + std::to_string(lr.width) + "x" + std::to_string(lr.height) +
                ", not 1/" + std::to_string(s) + " of its HR image '" + hr_file + "' (" + std::to_string(hr.width) + "x" +
                std::to_string(hr.height) + ")");
  if (hr.width != w || hr.height != h) hr = modcrop(hr, s);  // larger by less than s: the protocol's crop
  return {std::move(hr), std::move(lr)};
}

PatchBatch PatchDataset::sample(int batch_size) {
  const int s = config_.scale, lp = config_.lr_patch, hp = lp * s;
  PatchBatch b;
  b.batch = batch_size;
  b.lr_size = lp;
  b.hr_size = hp;
  b.lr.resize(static_cast<size_t>(batch_size) * 3 * lp * lp);
  b.hr.resize(static_cast<size_t>(batch_size) * 3 * hp * hp);
  std::uniform_int_distribution<size_t> pick(0, pairs_.size() - 1);
  std::uniform_int_distribution<int> dihedral(0, 7);
  std::vector<uint64_t> degradation_seeds;
  for (int i = 0; i < batch_size; ++i) {
    const Pair& p = pairs_[pick(rng_)];
    std::uniform_int_distribution<int> px(0, p.lr.width - lp), py(0, p.lr.height - lp);
    const int x = px(rng_), y = py(rng_), t = dihedral(rng_);
    copy_patch(p.hr, x * s, y * s, hp, t, b.hr.data() + static_cast<size_t>(i) * 3 * hp * hp);
    if (config_.degradation == "bicubic")
      copy_patch(p.lr, x, y, lp, t, b.lr.data() + static_cast<size_t>(i) * 3 * lp * lp);
    else
      degradation_seeds.push_back(rng_local_());
  }
  if (config_.degradation == "bicubic") return b;
  // A fresh random degradation of each HR patch, from its own seed: the same patches on any number
  // of threads.
  run_parallel(static_cast<size_t>(batch_size), config_.threads, [&](size_t i) {
    std::mt19937_64 rng(degradation_seeds[i]);
    const auto hr_begin = b.hr.begin() + static_cast<ptrdiff_t>(i) * 3 * hp * hp;
    degrade::FloatImage hr{3, hp, hp, std::vector<float>(hr_begin, hr_begin + 3 * hp * hp)};
    const degrade::FloatImage lr =
        degrade::degrade(config_.degradation, hr, s, rng, config_.blur_kernel.w.empty() ? nullptr : &config_.blur_kernel);
    std::copy(lr.v.begin(), lr.v.end(), b.lr.begin() + static_cast<ptrdiff_t>(i) * 3 * lp * lp);
  });
  return b;
}

}  // namespace vsr::train
