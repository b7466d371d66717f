#include "trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "espcn.h"
#include "eval/imresize.h"
#include "eval/metrics.h"
#include "patch_dataset.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;
namespace {

torch::Tensor to_tensor(const Image8& img) {
  auto t = torch::from_blob(const_cast<uint8_t*>(img.pixels.data()), {img.height, img.width, 3}, torch::kUInt8);
  return t.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div(255.0).contiguous();
}

Image8 to_image(const torch::Tensor& t) {
  auto u = t.squeeze(0).clamp(0.0, 1.0).mul(255.0).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
  Image8 img;
  img.height = static_cast<int>(u.size(0));
  img.width = static_cast<int>(u.size(1));
  img.channels = 3;
  img.pixels.assign(u.data_ptr<uint8_t>(), u.data_ptr<uint8_t>() + u.numel());
  return img;
}

// Mean Y-PSNR over a folder with the standard protocol, computed on the LibTorch forward.
double validate(Espcn& model, const std::string& folder, int scale) {
  torch::NoGradGuard no_grad;
  model->eval();
  double sum = 0.0;
  const auto files = vsr::list_png_files(folder);
  for (const auto& f : files) {
    bool grey = false;
    const Image8 hr = modcrop(read_png_rgb(f, &grey), scale);
    const Image8 lr = imresize_bicubic(hr, 1.0 / scale);
    const Image8 sr = to_image(model->forward(to_tensor(lr)));
    sum += psnr(luma_bt601(sr, grey), luma_bt601(hr, grey), scale);
  }
  model->train();
  return files.empty() ? NAN : sum / files.size();
}

void save_atomically(const std::string& path, const std::function<void(const std::string&)>& writer) {
  const std::string tmp = path + ".partial";
  writer(tmp);
  fs::rename(tmp, path);
}

}  // namespace

double train_espcn(const TrainOptions& o) {
  at::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  fs::create_directories(o.out_dir);
  const std::string model_path = o.out_dir + "/model.pt", optim_path = o.out_dir + "/optimizer.pt",
                    state_path = o.out_dir + "/state.txt", log_path = o.out_dir + "/train.log";

  EspcnConfig mc;
  mc.scale = o.scale;
  mc.features = o.features;
  Espcn model(mc);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learning_rate));

  int start = 0;
  if (fs::exists(state_path) && fs::exists(model_path) && fs::exists(optim_path)) {
    torch::load(model, model_path);
    torch::load(optimizer, optim_path);
    std::ifstream(state_path) >> start;
    std::cout << "resuming from " << o.out_dir << " at iteration " << start << std::endl;
  }

  PatchDatasetConfig dc;
  dc.folders = o.data;
  dc.scale = o.scale;
  dc.lr_patch = o.lr_patch;
  dc.rescale = {1.0, 0.8, 0.6};
  dc.seed = o.seed + static_cast<uint64_t>(start);  // a resumed run draws new patches
  PatchDataset data(dc);
  std::cout << "training on " << data.image_count() << " images (with rescaled copies)" << std::endl;

  std::ofstream log(log_path, std::ios::app);
  double last_psnr = NAN, loss_sum = 0.0;
  int loss_count = 0;
  auto t0 = std::chrono::steady_clock::now();
  auto checkpoint = [&](int iter) {
    save_atomically(model_path, [&](const std::string& p) { torch::save(model, p); });
    save_atomically(optim_path, [&](const std::string& p) { torch::save(optimizer, p); });
    save_atomically(state_path, [&](const std::string& p) { std::ofstream(p) << iter << "\n"; });
    if (!o.validate.empty()) last_psnr = validate(model, o.validate, o.scale);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::ostringstream line;
    line << "iter " << iter;
    if (loss_count > 0)  // a resumed run with nothing left to train only validates and exports
      line << " loss " << std::setprecision(5) << loss_sum / loss_count << " lr "
           << static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[0].options()).lr();
    line << " val_psnr " << std::fixed << std::setprecision(3) << last_psnr << " elapsed_s " << std::setprecision(0)
         << secs;
    std::cout << line.str() << std::endl;
    log << line.str() << std::endl;
    loss_sum = 0.0;
    loss_count = 0;
    if (!o.export_path.empty()) {
      std::ostringstream metrics;
      if (!o.validate.empty())
        metrics << fs::path(o.validate).filename().string() << "_psnr_y=" << std::fixed << std::setprecision(3)
                << last_psnr << ";";
      metrics << "iterations=" << iter;
      model->export_onnx(o.export_path, {{"vsr.trained_on", o.trained_on}, {"vsr.metrics", metrics.str()}});
    }
  };

  model->train();
  for (int iter = start; iter < o.iterations; ++iter) {
    // Cosine decay to 1% of the initial rate over the whole run.
    const double lr = o.learning_rate * (0.01 + 0.99 * 0.5 * (1.0 + std::cos(M_PI * iter / o.iterations)));
    for (auto& g : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
    PatchBatch b = data.sample(o.batch);
    auto lr_t = torch::from_blob(b.lr.data(), {b.batch, 3, b.lr_size, b.lr_size}, torch::kFloat32);
    auto hr_t = torch::from_blob(b.hr.data(), {b.batch, 3, b.hr_size, b.hr_size}, torch::kFloat32);
    optimizer.zero_grad();
    auto loss = torch::l1_loss(model->forward(lr_t), hr_t);
    loss.backward();
    optimizer.step();
    loss_sum += loss.item<double>();
    ++loss_count;
    if ((iter + 1) % o.checkpoint_every == 0 || iter + 1 == o.iterations) checkpoint(iter + 1);
  }
  if (start >= o.iterations) checkpoint(start);  // nothing left to train: just validate and export
  return last_psnr;
}

}  // namespace vsr::train
