#include "interp_trainer.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <sstream>

#include "checkpoint_io.h"
#include "export_readback.h"
#include "mixed_precision.h"
#include "run_log.h"
#include "frame_sequence_dataset.h"
#include "interp_net.h"
#include "interp_validation.h"
#include "optimisation.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;
namespace {

torch::Tensor gradient_loss(const torch::Tensor& pred, const torch::Tensor& target) {
  auto dx = [](const torch::Tensor& t) { return t.slice(3, 1) - t.slice(3, 0, -1); };
  auto dy = [](const torch::Tensor& t) { return t.slice(2, 1) - t.slice(2, 0, -1); };
  return torch::l1_loss(dx(pred), dx(target)) + torch::l1_loss(dy(pred), dy(target));
}

struct ValidationSet {
  std::string name;
  std::vector<Triplet> triplets;
  InterpScores last{NAN, NAN};
};

}  // namespace

double train_interp(const InterpTrainOptions& o) {
  check_interp_options(o);
  at::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  const torch::Device device = training_device(o.device);
  fs::create_directories(o.out_dir);
  const std::string model_path = o.out_dir + "/model.pt", optim_path = o.out_dir + "/optimizer.pt",
                    ema_path = o.out_dir + "/ema.pt", state_path = o.out_dir + "/state.txt",
                    scale_path = o.out_dir + "/loss_scale.txt";
  RunLog run_log(o.out_dir);
  auto say = [&](const std::string& line) { run_log.say(line); };

  const InterpNetConfig net_config = InterpNetConfig::from_features(o.features);
  InterpNet model(net_config);
  InterpNet ema(net_config);
  // Everything lives on `device` from here: checkpoints load onto it, batches are copied to it.
  model->to(device);
  ema->to(device);
  update_ema(*ema, *model, 0.0);  // starts as a copy
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learning_rate));
  LossScaler scaler(o.precision == "fp16");

  FrameSequenceConfig dc;
  dc.videos = o.videos;
  dc.photo_folders = o.photos;
  dc.patch = o.patch;
  dc.synthetic_fraction = o.synthetic_fraction;
  dc.max_synthetic_motion = o.max_motion;
  dc.motion_crops = o.motion_crops;
  dc.seed = o.seed;
  FrameSequenceDataset data(dc);
  for (const auto& line : data.summary()) say("data: " + line);
  std::vector<ValidationSet> validation;
  for (const auto& folder : o.validate) {
    validation.push_back({fs::path(folder).filename().string(), load_triplets(folder)});
    say("validate: " + folder + " (" + std::to_string(validation.back().triplets.size()) + " triplets)");
  }

  int start = 0;
  if (fs::exists(state_path) && fs::exists(model_path) && fs::exists(optim_path)) {
    load_module(*model, model_path);
    torch::load(optimizer, optim_path, device);
    scaler.load(scale_path);
    if (fs::exists(ema_path)) load_module(*ema, ema_path);
    std::ifstream state(state_path);
    std::string rng;
    state >> start;
    std::getline(state >> std::ws, rng);
    if (!rng.empty()) data.set_rng_state(rng);
    say("resuming from " + o.out_dir + " at iteration " + std::to_string(start));
  } else if (!o.init.empty()) {
    if (!fs::is_regular_file(o.init)) throw Error("setting 'init' names '" + o.init + "', which is not a file");
    if (!is_onnx_export(o.init)) throw Error("setting 'init' names '" + o.init + "', which is not an ONNX export (.onnx)");
    const ReadBack read = load_matching_from_export(*model, o.init);  // onto the device, as vsr-train's init
    update_ema(*ema, *model, 0.0);
    std::string left;
    for (const auto& name : read.left) left += " " + name;
    say("starting from the weights in " + o.init + (left.empty() ? "" : "; left as initialised:" + left));
  }
  InterpNetImpl& shipped = o.ema > 0.0 ? *ema : *model;  // what is validated and exported
  int64_t parameters = 0;
  for (const auto& p : model->parameters()) parameters += p.numel();
  say("training " + InterpNetImpl::arch() + " (" + std::to_string(parameters) + " parameters), batch " +
      std::to_string(o.batch) + " of " + std::to_string(o.patch) + "x" + std::to_string(o.patch) + ", " +
      std::to_string(o.iterations) + " iterations, " + std::to_string(o.threads) + " thread(s), " + device.str() + ", " +
      o.precision);

  const bool tty = isatty(fileno(stderr));
  double loss_sum = 0.0, lr = o.learning_rate;
  int loss_count = 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  double last_checkpoint = 0.0;
  auto checkpoint = [&](int iter) {
    save_atomically(model_path, [&](const std::string& p) { save_module(*model, p); });
    save_atomically(optim_path, [&](const std::string& p) { torch::save(optimizer, p); });
    save_atomically(ema_path, [&](const std::string& p) { save_module(*ema, p); });
    save_atomically(state_path, [&](const std::string& p) { std::ofstream(p) << iter << "\n" << data.rng_state() << "\n"; });
    if (scaler.enabled()) save_atomically(scale_path, [&](const std::string& p) { scaler.save(p); });
    std::vector<ValidationScore> scores;
    for (auto& v : validation) {
      v.last = score_interpolation(shipped, v.triplets);
      scores.push_back({v.name, v.last.psnr, v.last.ssim});
    }
    run_log.checkpoint(iter, loss_count > 0 ? loss_sum / loss_count : NAN, lr, scores, elapsed());
    loss_sum = 0.0;
    loss_count = 0;
    if (!o.export_path.empty())
      shipped.export_onnx(o.export_path, {{"vsr.trained_on", o.trained_on},
                                          {"vsr.metrics", checkpoint_metrics(scores, iter, o.loss, o.ema)}});
    last_checkpoint = elapsed();
  };

  model->train();
  const int64_t p = o.patch;
  const int end = o.stop_after > 0 ? std::min(o.stop_after, o.iterations) : o.iterations;
  for (int iter = start; iter < end; ++iter) {
    lr = set_cosine_learning_rate(optimizer, o.learning_rate, iter, o.iterations);
    InterpBatch b = data.sample(o.batch);
    const auto input = torch::from_blob(b.input.data(), {b.batch, 7, p, p}, torch::kFloat32).to(device);
    const auto target = torch::from_blob(b.target.data(), {b.batch, 3, p, p}, torch::kFloat32).to(device);
    optimizer.zero_grad();
    InterpOutput out;
    {
      AutocastScope reduced(device.type(), o.precision);  // the forward only: the losses below are fp32
      out = model->run(input);
    }
    const torch::Tensor frame = out.frame.to(torch::kFloat32);
    torch::Tensor loss = pixel_loss(o.loss, frame, target);
    if (o.gradient_weight > 0) loss = loss + o.gradient_weight * gradient_loss(frame, target);
    const float synthetic = std::accumulate(b.has_flow.begin(), b.has_flow.end(), 0.0f);
    if (o.flow_weight > 0 && synthetic > 0) {
      // Per-sample mean flow error, counted only where the flows are known.
      const auto flows = torch::from_blob(b.flows.data(), {b.batch, 4, p, p}, torch::kFloat32).to(device);
      const auto known = torch::from_blob(b.has_flow.data(), {b.batch}, torch::kFloat32).to(device);
      const auto error = (torch::cat({out.flow0, out.flow1}, 1).to(torch::kFloat32) - flows).abs().mean({1, 2, 3});
      loss = loss + o.flow_weight * (error * known).sum() / synthetic;
    }
    scaler.scale(loss).backward();
    scaler.step(optimizer, model->parameters());
    if (o.ema > 0) update_ema(*ema, *model, o.ema);
    loss_sum += loss.item<double>();
    ++loss_count;
    if ((iter + 1) % o.progress_every == 0) {  // progress line with ETA
      const double rate = (iter + 1 - start) / std::max(elapsed(), 1e-9);
      std::ostringstream line;
      line << "interp " << iter + 1 << "/" << o.iterations << " loss " << std::setprecision(4) << loss_sum / loss_count
           << " " << std::fixed << std::setprecision(2) << rate << " it/s ETA " << duration_text((o.iterations - iter - 1) / rate);
      if (tty)
        std::cerr << "\r\033[K" << line.str() << std::flush;
      else
        std::cout << line.str() << std::endl;
    }
    if ((iter + 1) % o.checkpoint_every == 0 || iter + 1 == end ||
        elapsed() - last_checkpoint > 60.0 * o.checkpoint_minutes)
      checkpoint(iter + 1);
  }
  if (start >= end) checkpoint(start);  // nothing left to train: just validate and export
  return validation.empty() ? NAN : validation[0].last.psnr;
}

}  // namespace vsr::train
