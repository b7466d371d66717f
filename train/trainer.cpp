#include "trainer.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include "batch_prefetcher.h"
#include "checkpoint_io.h"
#include "loop_pace.h"
#include "loss_mix.h"
#include "image_tensor.h"
#include "mixed_precision.h"
#include "curves.h"
#include "distillation.h"
#include "export_readback.h"
#include "kernel_prior.h"
#include "optimisation.h"
#include "sr_model.h"
#include "eval/imresize.h"
#include "eval/metrics.h"
#include "patch_dataset.h"
#include "train/degrade/kernel_estimation.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;
namespace {

struct Scores {
  double psnr = NAN, ssim = NAN;
  double round_trip_psnr = NAN;  // rescaling architectures: HR -> own LR -> HR (SrModelImpl::round_trip)
};

// Mean Y-PSNR and SSIM over a folder with the standard protocol, computed on the LibTorch forward.
Scores validate(SrModelImpl& model, const std::string& folder, int scale) {
  torch::NoGradGuard no_grad;
  const torch::Device device = module_device(model);
  model.eval();
  double psnr_sum = 0.0, ssim_sum = 0.0, round_trip_sum = 0.0;
  const auto files = vsr::list_png_files(folder);
  for (const auto& f : files) {
    bool grey = false;
    const Image8 hr = modcrop(read_png_rgb(f, &grey), scale);
    const Image8 lr = imresize_bicubic(hr, 1.0 / scale);
    const Image8 sr = tensor_to_image(model.forward(image_to_tensor(lr, device)));
    const LumaPlane a = luma_bt601(sr, grey), b = luma_bt601(hr, grey);
    psnr_sum += psnr(a, b, scale);
    ssim_sum += ssim(a, b, scale);
    if (const torch::Tensor back = model.round_trip(image_to_tensor(hr, device)); back.defined())
      round_trip_sum += psnr(luma_bt601(tensor_to_image(back), grey), b, scale);
    else
      round_trip_sum = NAN;
  }
  model.train();
  if (files.empty()) return {};
  const double n = static_cast<double>(files.size());
  return {psnr_sum / n, ssim_sum / n, round_trip_sum / n};
}

std::vector<degrade::FloatImage> read_images(const std::string& folder, size_t most) {
  std::vector<degrade::FloatImage> images;
  for (const auto& f : vsr::list_png_files(folder)) {
    if (images.size() == most) break;
    images.push_back(degrade::to_float(read_png_rgb(f)));
  }
  return images;
}

// The classic degradation's kernel fitted to the footage in `o.blur_from` (kernel_estimation.h),
// measured against the first training images.
degrade::ClassicBlurMatch fitted_blur(const TrainOptions& o) {
  constexpr size_t kImages = 40;  // plenty for a median; reading all would only slow the start
  const auto footage = read_images(o.blur_from, kImages);
  if (footage.empty()) throw Error("setting 'blur_from': '" + o.blur_from + "' holds no PNG frame");
  std::vector<degrade::FloatImage> training;
  for (const auto& folder : o.data) {
    auto more = read_images(folder, kImages - training.size());
    training.insert(training.end(), more.begin(), more.end());
  }
  degrade::ClassicBlurMatch match = degrade::matching_classic_blur(footage, training, o.scale);
  std::cout << "blur of the footage in " << o.blur_from << " (" << footage.size() << " frames): sigma "
            << match.footage.sigma_major() << " x " << match.footage.sigma_minor() << " LR pixels at "
            << match.footage.theta() * 180 / M_PI << " degrees" << std::endl;
  if (o.blur_prior == "flow") {  // the kernel of the learned family that explains the same edges
    KernelFlow prior = cached_kernel_prior(kernel_prior_for_scale(o.scale), o.out_dir + "/kernel_prior.pt");
    match.kernel = fit_kernel_to_blur(prior, match.hr_oriented);
    const torch::Tensor cov = kernel_covariance(torch::from_blob(match.kernel.w.data(), {1, static_cast<int64_t>(match.kernel.w.size())}),
                                                match.kernel.size);
    match.hr = {cov[0][0].item<double>(), cov[0][1].item<double>(), cov[0][2].item<double>()};
  }
  std::cout << "the classic degradation's kernel is fixed to the " << o.blur_prior << " prior's fit: sigma "
            << std::max(0.05, match.hr.sigma_major()) << " x " << std::max(0.05, match.hr.sigma_minor()) << " HR pixels at "
            << match.hr.theta() * 180 / M_PI << " degrees, " << match.kernel.size << " taps" << std::endl;
  return match;
}

// "(flow sigma 1.20x0.80 at 30 deg)": the fitted kernel, for the export's vsr.metrics.
std::string describe_blur(const degrade::BlurCovariance& hr, const std::string& prior) {
  char text[80];
  std::snprintf(text, sizeof text, "(%s sigma %.2fx%.2f at %.0f deg)", prior.c_str(), std::max(0.05, hr.sigma_major()), std::max(0.05, hr.sigma_minor()),
                hr.theta() * 180 / M_PI);
  return text;
}


}  // namespace

double train(const TrainOptions& o) {
  check_options(o);
  at::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  const torch::Device device = training_device(o.device);
  fs::create_directories(o.out_dir);
  const RunCheckpoint files(o.out_dir);
  const std::string log_path = o.out_dir + "/train.log", csv_path = o.out_dir + "/train.csv";

  // Everything lives on `device` from here: checkpoints load onto it, batches are copied to it.
  const ModelSpec spec{o.arch, o.scale, o.features};
  SrModel model = make_model(spec);
  model->to(device);
  SrModel ema = o.ema > 0.0 ? make_model(spec) : nullptr;
  if (ema) ema->to(device);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learning_rate));
  if (ema) update_ema(*ema, *model, 0.0);  // starts as a copy
  LossMixOptions mix_options = o.extra_losses;
  mix_options.pixel = o.loss;
  mix_options.scale = o.scale;
  LossMix losses(mix_options);
  losses.to(device);
  if ((mix_options.perceptual_weight > 0 || mix_options.texture_weight > 0) && mix_options.perceptual_weights.empty())
    std::cout << "note: the perceptual/texture terms use a randomly initialised VGG (no perceptual_weights file)" << std::endl;

  Distillation teachers(o.distillation, o.scale, o.loss);
  teachers.to(device);
  LossScaler scaler(o.precision == "fp16");

  int start = 0;
  if (files.exists()) {
    start = files.load(*model, ema.get(), optimizer, scaler, device).iteration;
    losses.load(o.out_dir);
    std::cout << "resuming from " << o.out_dir << " at iteration " << start << std::endl;
  } else if (!o.init.empty()) {
    if (!fs::is_regular_file(o.init)) throw Error("setting 'init' names '" + o.init + "', which is not a file");
    try {
      std::vector<std::string> kept;  // parameters left as initialised
      if (is_onnx_export(o.init)) {
        const ReadBack read = o.init_partial ? load_matching_from_export(*model, o.init) : load_from_export(*model, o.init);
        kept = read.left;
        kept.insert(kept.end(), read.training_only.begin(), read.training_only.end());
      } else if (o.init_partial) {
        kept = load_matching(*model, o.init);
      } else {
        load_module(*model, o.init);
      }
      if (!kept.empty()) {
        std::cout << "from " << o.init << ": every parameter loaded but " << kept.size() << " (kept as initialised):";
        for (const auto& name : kept) std::cout << " " << name;
        std::cout << std::endl;
      }
    } catch (const std::exception& e) {
      throw Error("setting 'init': '" + o.init + "' does not hold " + o.arch + " weights of these features and scale: " + e.what());
    }
    if (ema) update_ema(*ema, *model, 0.0);
    std::cout << "starting from the weights in " << o.init << std::endl;
  }
  SrModelImpl& shipped = ema ? *ema : *model;  // what is validated and exported

  PatchDatasetConfig dc;
  dc.folders = o.data;
  dc.scale = o.scale;
  dc.lr_patch = o.lr_patch;
  dc.lr_folders = o.lr_data;
  if (o.lr_data.empty()) dc.rescale = {1.0, 0.8, 0.6};  // given pairs are not rescaled
  dc.degradation = o.degradation;
  std::string blur_text;
  if (!o.blur_from.empty()) {
    const degrade::ClassicBlurMatch match = fitted_blur(o);
    dc.blur_kernel = match.kernel;
    blur_text = describe_blur(match.hr, o.blur_prior);
  }
  dc.seed = o.seed + static_cast<uint64_t>(start);  // a resumed run draws new patches
  dc.threads = o.loader_threads;
  PatchDataset data(dc);
  BatchPrefetcher<PatchBatch> loader([&] { return data.sample(o.batch); });  // made while the last one trains
  std::cout << "training " << o.arch << " x" << o.scale << " on " << data.image_count()
            << (o.lr_data.empty() ? " images (with rescaled copies)" : " LR/HR pairs") << std::endl;

  std::ofstream log(log_path, std::ios::app);
  const bool new_csv = !fs::exists(csv_path);
  std::ofstream csv(csv_path, std::ios::app);
  if (new_csv) csv << "iteration,loss,lr,val_psnr,val_ssim,elapsed_s\n";
  const bool tty = isatty(fileno(stderr));
  Scores last;
  double lr = o.learning_rate;
  // Progress lines only on a terminal: vsr-train's stdout carries the checkpoint lines alone.
  LoopPace pace({o.arch, start, o.iterations, o.iterations, 50, false, o.checkpoint_every, 0.0});
  auto checkpoint = [&](int iter) {
    files.save(iter, "", *model, ema.get(), optimizer, scaler, [&] { losses.save(o.out_dir); });
    if (!o.validate.empty()) last = validate(shipped, o.validate, o.scale);
    const double secs = pace.elapsed_seconds();
    const double mean_loss = pace.mean_loss();
    std::ostringstream line;
    line << "iter " << iter;
    if (!std::isnan(mean_loss))  // a resumed run with nothing left to train only validates and exports
      line << " loss " << std::setprecision(5) << mean_loss << " lr " << lr;
    line << " val_psnr " << std::fixed << std::setprecision(3) << last.psnr << " val_ssim " << std::setprecision(4)
         << last.ssim;
    if (!std::isnan(last.round_trip_psnr)) line << " val_round_trip_psnr " << std::setprecision(3) << last.round_trip_psnr;
    line << " elapsed_s " << std::setprecision(0) << secs;
    if (tty) std::cerr << "\r\033[K";
    std::cout << line.str() << std::endl;
    log << line.str() << std::endl;
    csv << iter << "," << mean_loss << "," << lr << "," << last.psnr << "," << last.ssim << "," << secs << std::endl;
    draw_curves(csv_path, o.out_dir + "/train_curves.png");  // top: loss (red); bottom: validation PSNR (blue)
    pace.checkpointed();
    if (!o.export_path.empty()) {
      std::ostringstream metrics;
      const std::string set = fs::path(o.validate).filename().string();
      if (!o.validate.empty())
        metrics << set << "_psnr_y=" << std::fixed << std::setprecision(3) << last.psnr << ";" << set
                << "_ssim_y=" << std::setprecision(4) << last.ssim << ";";
      if (!o.validate.empty() && !std::isnan(last.round_trip_psnr))
        metrics << set << "_round_trip_psnr_y=" << std::setprecision(3) << last.round_trip_psnr << ";";
      metrics << "iterations=" << iter << ";loss=" << losses.describe();
      if (const std::string d = teachers.describe(); !d.empty()) metrics << ";distillation=" << d;
      if (o.precision != "fp32") metrics << ";precision=" << o.precision;
      metrics << ";degradation=" << o.degradation
              << blur_text << (ema ? ";ema=" + std::to_string(o.ema) : "");
      shipped.export_onnx(o.export_path, {{"vsr.trained_on", o.trained_on}, {"vsr.metrics", metrics.str()}});
    }
  };

  model->train();
  for (int iter = start; iter < o.iterations; ++iter) {
    lr = set_cosine_learning_rate(optimizer, o.learning_rate, iter, o.iterations);
    PatchBatch b = loader.next();
    auto lr_t = torch::from_blob(b.lr.data(), {b.batch, 3, b.lr_size, b.lr_size}, torch::kFloat32).to(device);
    auto hr_t = torch::from_blob(b.hr.data(), {b.batch, 3, b.hr_size, b.hr_size}, torch::kFloat32).to(device);
    optimizer.zero_grad();
    torch::Tensor sr;
    {
      AutocastScope reduced(device.type(), o.precision);  // the forward only: the losses below are fp32
      sr = model->forward(lr_t);
    }
    sr = sr.to(torch::kFloat32);
    auto loss = losses.generator_loss(sr, hr_t, lr_t);
    if (const auto own = model->auxiliary_loss(hr_t); own.defined()) loss = loss + own;
    if (teachers.active(iter)) loss = loss + teachers.loss(sr, lr_t);
    scaler.scale(loss).backward();
    scaler.step(optimizer, model->parameters());
    losses.after_generator_step(sr, hr_t);
    if (ema) update_ema(*ema, *model, o.ema);
    pace.stepped(iter, loss.item<double>());
    if (pace.checkpoint_due(iter)) checkpoint(iter + 1);
  }
  if (start >= o.iterations) checkpoint(start);  // nothing left to train: just validate and export
  return last.psnr;
}

}  // namespace vsr::train
