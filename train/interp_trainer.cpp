#include "interp_trainer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "batch_prefetcher.h"
#include "checkpoint_io.h"
#include "loop_pace.h"
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
  const RunCheckpoint files(o.out_dir);
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
  if (files.exists()) {
    const RunCheckpoint::Resumed resumed = files.load(*model, ema.get(), optimizer, scaler, device);
    start = resumed.iteration;
    if (!resumed.sampler_state.empty()) data.set_rng_state(resumed.sampler_state);
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

  const int end = o.stop_after > 0 ? std::min(o.stop_after, o.iterations) : o.iterations;
  LoopPace pace({"interp", start, o.iterations, end, o.progress_every, true, o.checkpoint_every, o.checkpoint_minutes});
  double lr = o.learning_rate;
  // The next batch is made while this one trains; checkpoints save the sampler as it was before it.
  BatchPrefetcher<InterpBatch> loader([&] { return data.sample(o.batch); }, [&] { return data.rng_state(); });
  auto checkpoint = [&](int iter) {
    files.save(iter, loader.state_before_next(), *model, ema.get(), optimizer, scaler);
    std::vector<ValidationScore> scores;
    for (auto& v : validation) {
      v.last = score_interpolation(shipped, v.triplets);
      scores.push_back({v.name, v.last.psnr, v.last.ssim});
    }
    run_log.checkpoint(iter, pace.mean_loss(), lr, scores, pace.elapsed_seconds());
    pace.checkpointed();
    if (!o.export_path.empty())
      shipped.export_onnx(o.export_path, {{"vsr.trained_on", o.trained_on},
                                          {"vsr.metrics", checkpoint_metrics(scores, iter, o.loss, o.ema)}});
  };

  model->train();
  const int64_t p = o.patch;
  for (int iter = start; iter < end; ++iter) {
    lr = set_cosine_learning_rate(optimizer, o.learning_rate, iter, o.iterations);
    InterpBatch b = loader.next();
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
    pace.stepped(iter, loss.item<double>());
    if (pace.checkpoint_due(iter)) checkpoint(iter + 1);
  }
  if (start >= end) checkpoint(start);  // nothing left to train: just validate and export
  return validation.empty() ? NAN : validation[0].last.psnr;
}

}  // namespace vsr::train
