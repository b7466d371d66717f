#include "patch_dataset.h"

#include <algorithm>

#include "eval/imresize.h"
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
  for (const auto& folder : config.folders) {
    const auto files = list_png_files(folder);
    if (files.empty()) throw Error("no PNG images in training folder '" + folder + "'");
    for (const auto& file : files) {
      const Image8 original = read_png_rgb(file);
      for (double f : config.rescale) {
        Image8 hr = f == 1.0 ? original : imresize_bicubic(original, f);
        hr = modcrop(hr, s);
        if (hr.width < hr_patch || hr.height < hr_patch) continue;
        Image8 lr = imresize_bicubic(hr, 1.0 / s);
        pairs_.push_back({std::move(hr), std::move(lr)});
      }
    }
  }
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
  for (int i = 0; i < batch_size; ++i) {
    const Pair& p = pairs_[pick(rng_)];
    std::uniform_int_distribution<int> px(0, p.lr.width - lp), py(0, p.lr.height - lp);
    const int x = px(rng_), y = py(rng_), t = dihedral(rng_);
    copy_patch(p.hr, x * s, y * s, hp, t, b.hr.data() + static_cast<size_t>(i) * 3 * hp * hp);
    if (config_.degradation == "bicubic") {
      copy_patch(p.lr, x, y, lp, t, b.lr.data() + static_cast<size_t>(i) * 3 * lp * lp);
      continue;
    }
    // A fresh random degradation of this very HR patch.
    degrade::FloatImage hr{3, hp, hp, std::vector<float>(b.hr.begin() + static_cast<ptrdiff_t>(i) * 3 * hp * hp,
                                                          b.hr.begin() + static_cast<ptrdiff_t>(i + 1) * 3 * hp * hp)};
    const degrade::FloatImage lr = degrade::degrade(config_.degradation, hr, s, rng_local_, config_.blur_kernel.w.empty() ? nullptr : &config_.blur_kernel);
    std::copy(lr.v.begin(), lr.v.end(), b.lr.begin() + static_cast<ptrdiff_t>(i) * 3 * lp * lp);
  }
  return b;
}

}  // namespace vsr::train
