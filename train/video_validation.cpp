#include "video_validation.h"

#include <algorithm>
#include <filesystem>

#include "eval/imresize.h"
#include "eval/metrics.h"
#include "checkpoint_io.h"
#include "image_tensor.h"
#include "recurrent_net.h"
#include "window_net.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;
std::vector<FrameSequence> load_sequences(const std::string& folder, int scale, int max_frames) {
  std::vector<std::string> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.is_directory()) dirs.push_back(entry.path().string());
  if (ec) throw Error("cannot read sequence folder '" + folder + "': " + ec.message());
  std::sort(dirs.begin(), dirs.end());
  std::vector<FrameSequence> sequences;
  for (const auto& dir : dirs) {
    auto files = list_png_files(dir);
    if (files.size() < 2) continue;
    if (max_frames > 0 && static_cast<int>(files.size()) > max_frames) files.resize(max_frames);
    FrameSequence s{fs::path(dir).filename().string(), {}};
    for (const auto& file : files) {
      s.hr.push_back(modcrop(read_png_rgb(file), scale));
      if (s.hr.back().width != s.hr[0].width || s.hr.back().height != s.hr[0].height)
        throw Error("sequence '" + dir + "': frame '" + file + "' differs in size from the first");
    }
    sequences.push_back(std::move(s));
  }
  if (sequences.empty()) throw Error("no sequence (subfolder of 2 or more PNGs) in '" + folder + "'");
  return sequences;
}

VideoScores score_video_sr(SrModelImpl& model, const std::vector<FrameSequence>& sequences) {
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  auto* recurrent = dynamic_cast<RecurrentSrImpl*>(&model);
  auto* window = dynamic_cast<WindowSrImpl*>(&model);
  const int s = model.scale();
  const torch::Device device = module_device(model);
  double psnr_sum = 0, ssim_sum = 0;
  int frames = 0;
  for (const auto& seq : sequences) {
    std::vector<torch::Tensor> lr_frames;
    for (const Image8& hr : seq.hr) lr_frames.push_back(image_to_tensor(imresize_bicubic(hr, hr.width / s, hr.height / s), device));
    torch::Tensor state;
    for (size_t t = 0; t < seq.hr.size(); ++t) {
      const Image8& hr = seq.hr[t];
      const auto& lr = lr_frames[t];
      torch::Tensor sr;
      if (recurrent) {
        if (!state.defined()) state = torch::zeros({1, recurrent->state_channels(), lr.size(2), lr.size(3)}, lr.options());
        std::tie(sr, state) = recurrent->step(lr, state);
      } else if (window) {  // the edge frames repeated, as the engine does
        sr = window->forward(torch::cat({lr_frames[t > 0 ? t - 1 : 0], lr, lr_frames[std::min(t + 1, seq.hr.size() - 1)]}, 1));
      } else {
        sr = model.forward(lr);
      }
      const LumaPlane a = luma_bt601(tensor_to_image(sr)), b = luma_bt601(hr);
      psnr_sum += psnr(a, b, s);
      ssim_sum += ssim(a, b, s);
      ++frames;
    }
  }
  if (was_training) model.train();
  return {psnr_sum / frames, ssim_sum / frames};
}

}  // namespace vsr::train
