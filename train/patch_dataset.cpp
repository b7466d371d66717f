#include "patch_dataset.h"

#include <algorithm>

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
  const int s = config.scale;
  const int hr_patch = config.lr_patch * s;
  std::vector<std::string> files;
  for (const auto& folder : config.folders) {
    const auto found = list_png_files(folder);
    if (found.empty()) throw Error("no PNG images in training folder '" + folder + "'");
    files.insert(files.end(), found.begin(), found.end());
  }
  // Decoded and resized on the loading threads, kept in the files' order.
  std::vector<std::vector<Pair>> per_file(files.size());
  run_parallel(files.size(), config.threads, [&](size_t i) {
    const Image8 original = read_png_rgb(files[i]);
    for (double f : config.rescale) {
      Image8 hr = f == 1.0 ? original : imresize_bicubic(original, f);
      hr = modcrop(hr, s);
      if (hr.width < hr_patch || hr.height < hr_patch) continue;
      Image8 lr = imresize_bicubic(hr, 1.0 / s);
      per_file[i].push_back({std::move(hr), std::move(lr)});
    }
  });
  for (auto& pairs : per_file)
    for (auto& p : pairs) pairs_.push_back(std::move(p));
  if (pairs_.empty()) throw Error("no training image is larger than one HR patch");
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
