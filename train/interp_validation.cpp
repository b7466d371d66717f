#include "interp_validation.h"

#include <filesystem>

#include "eval/metrics.h"
#include "checkpoint_io.h"
#include "image_tensor.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;
namespace {

// Edge replication up to the next multiple, as vsr::Interpolator pads.
torch::Tensor pad_to_multiple(const torch::Tensor& x, int m) {
  const int64_t h = x.size(2), w = x.size(3), H = (h + m - 1) / m * m, W = (w + m - 1) / m * m;
  return x.index_select(2, torch::arange(H, x.device()).clamp_max(h - 1)).index_select(3, torch::arange(W, x.device()).clamp_max(w - 1));
}

}  // namespace

std::vector<Triplet> load_triplets(const std::string& folder) {
  std::vector<std::string> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.is_directory()) dirs.push_back(entry.path().string());
  if (ec) throw Error("cannot read triplet folder '" + folder + "': " + ec.message());
  std::sort(dirs.begin(), dirs.end());
  std::vector<Triplet> triplets;
  for (const auto& dir : dirs) {
    const auto files = list_png_files(dir);
    if (files.size() < 3) continue;
    Triplet t{fs::path(dir).filename().string(), read_png_rgb(files[0]), read_png_rgb(files[1]), read_png_rgb(files[2])};
    if (t.first.width != t.middle.width || t.first.width != t.second.width || t.first.height != t.middle.height ||
        t.first.height != t.second.height)
      throw Error("triplet '" + dir + "': its frames differ in size");
    triplets.push_back(std::move(t));
  }
  if (triplets.empty()) throw Error("no triplet (subfolder of three PNGs) in '" + folder + "'");
  return triplets;
}

InterpScores score_interpolation(InterpNetImpl& net, const std::vector<Triplet>& triplets) {
  torch::NoGradGuard no_grad;
  const bool was_training = net.is_training();
  net.eval();
  InterpScores s;
  const torch::Device device = module_device(net);
  for (const auto& t : triplets) {
    const auto f0 = image_to_tensor(t.first, device), f1 = image_to_tensor(t.second, device);
    const auto x = torch::cat({f0, f1, torch::full({1, 1, f0.size(2), f0.size(3)}, 0.5, f0.options())}, 1);
    const auto y = net.forward(pad_to_multiple(x, InterpNetImpl::kSizeMultiple));
    const Image8 made = tensor_to_image(y.slice(2, 0, f0.size(2)).slice(3, 0, f0.size(3)));
    const LumaPlane a = luma_bt601(made), b = luma_bt601(t.middle);
    s.psnr += psnr(a, b, 0);
    s.ssim += ssim(a, b, 0);
  }
  net.train(was_training);
  s.psnr /= triplets.size();
  s.ssim /= triplets.size();
  return s;
}

}  // namespace vsr::train
