#include "video_trainer.h"

#include <cmath>
#include <filesystem>

#include "batch_prefetcher.h"
#include "checkpoint_io.h"
#include "loop_pace.h"
#include "mixed_precision.h"
#include "optimisation.h"
#include "recurrent_net.h"
#include "window_net.h"
#include "sr_model.h"
#include "video_sequence_dataset.h"
#include "run_log.h"
#include "video_validation.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;
namespace {

SrModel make_video_model(const VideoTrainOptions& o) {
  if (o.arch == "recurrent")
    return std::make_shared<RecurrentSrImpl>(RecurrentSrConfig::from_features(o.scale, o.features));
  if (o.arch == "window") return std::make_shared<WindowSrImpl>(WindowSrConfig::from_features(o.scale, o.features));
  try {
    return make_model({o.arch, o.scale, o.features});
  } catch (const Error& e) {
    throw Error("setting 'arch': " + std::string(e.what()) + "; or recurrent, window");
  }
}

// N x T x 3 x h x w -> N x T x 3 x sh x sw: through time for the recurrent model, over windows of
// three frames for the window model, frame by frame else.
torch::Tensor run_sequence(SrModelImpl& model, const torch::Tensor& lr) {
  if (auto* recurrent = dynamic_cast<RecurrentSrImpl*>(&model)) return recurrent->forward_sequence(lr);
  if (auto* window = dynamic_cast<WindowSrImpl*>(&model)) return window->forward_sequence(lr);
  const auto n = lr.size(0), t = lr.size(1);
  const auto sr = model.forward(lr.flatten(0, 1));
  return sr.view({n, t, sr.size(1), sr.size(2), sr.size(3)});
}

struct ValidationSet {
  std::string name;
  std::vector<FrameSequence> sequences;
  VideoScores last{NAN, NAN};
};

}  // namespace

double train_video(const VideoTrainOptions& o) {
  check_video_options(o);
  at::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  const torch::Device device = training_device(o.device);
  fs::create_directories(o.out_dir);
  const RunCheckpoint files(o.out_dir);
  RunLog run_log(o.out_dir);
  auto say = [&](const std::string& line) { run_log.say(line); };

  // Everything lives on `device` from here: checkpoints load onto it, batches are copied to it.
  SrModel model = make_video_model(o), ema = make_video_model(o);
  model->to(device);
  ema->to(device);
  update_ema(*ema, *model, 0.0);  // starts as a copy
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learning_rate));
  LossScaler scaler(o.precision == "fp16");

  VideoSequenceConfig dc;
  dc.videos = o.videos;
  dc.photo_folders = o.photos;
  dc.frames = o.frames;
  dc.scale = o.scale;
  dc.lr_patch = o.patch;
  dc.synthetic_fraction = o.synthetic_fraction;
  dc.max_synthetic_step = o.max_step;
  dc.seed = o.seed;
  dc.threads = o.loader_threads;
  VideoSequenceDataset data(dc);
  for (const auto& line : data.summary()) say("data: " + line);
  std::vector<ValidationSet> validation;
  for (const auto& folder : o.validate) {
    validation.push_back({fs::path(folder).filename().string(), load_sequences(folder, o.scale, o.validate_frames)});
    say("validate: " + folder + " (" + std::to_string(validation.back().sequences.size()) + " sequences)");
  }

  int start = 0;
  if (files.exists()) {
    const RunCheckpoint::Resumed resumed = files.load(*model, ema.get(), optimizer, scaler, device);
    start = resumed.iteration;
    if (!resumed.sampler_state.empty()) data.set_rng_state(resumed.sampler_state);
    say("resuming from " + o.out_dir + " at iteration " + std::to_string(start));
  }
  SrModelImpl& shipped = o.ema > 0.0 ? *ema : *model;  // what is validated and exported
  int64_t parameters = 0;
  for (const auto& p : model->parameters()) parameters += p.numel();
  say("training " + model->arch() + " x" + std::to_string(o.scale) + " (" + std::to_string(parameters) +
      " parameters), batch " + std::to_string(o.batch) + " of " + std::to_string(o.frames) + " frames of " +
      std::to_string(o.patch) + "x" + std::to_string(o.patch) + " LR, " + std::to_string(o.iterations) + " iterations, " +
      std::to_string(o.threads) + " thread(s), " + device.str() + ", " + o.precision);

  const int end = o.stop_after > 0 ? std::min(o.stop_after, o.iterations) : o.iterations;
  LoopPace pace({"video", start, o.iterations, end, o.progress_every, true, o.checkpoint_every, o.checkpoint_minutes});
  double lr = o.learning_rate;
  // The next batch is made while this one trains; checkpoints save the sampler as it was before it.
  BatchPrefetcher<SequenceBatch> loader([&] { return data.sample(o.batch); }, [&] { return data.rng_state(); });
  auto checkpoint = [&](int iter) {
    files.save(iter, loader.state_before_next(), *model, ema.get(), optimizer, scaler);
    std::vector<ValidationScore> scores;
    for (auto& v : validation) {
      v.last = score_video_sr(shipped, v.sequences);
      scores.push_back({v.name, v.last.psnr, v.last.ssim});
    }
    run_log.checkpoint(iter, pace.mean_loss(), lr, scores, pace.elapsed_seconds());
    pace.checkpointed();
    if (!o.export_path.empty())
      shipped.export_onnx(o.export_path, {{"vsr.trained_on", o.trained_on},
                                          {"vsr.metrics", checkpoint_metrics(scores, iter, o.loss, o.ema)}});
  };

  model->train();
  for (int iter = start; iter < end; ++iter) {
    lr = set_cosine_learning_rate(optimizer, o.learning_rate, iter, o.iterations);
    SequenceBatch b = loader.next();
    const auto lr_frames = torch::from_blob(b.lr.data(), {b.batch, b.frames, 3, b.lr_size, b.lr_size}, torch::kFloat32).to(device);
    const auto hr_frames = torch::from_blob(b.hr.data(), {b.batch, b.frames, 3, b.hr_size, b.hr_size}, torch::kFloat32).to(device);
    optimizer.zero_grad();
    torch::Tensor sr;
    {
      AutocastScope reduced(device.type(), o.precision);  // the forward only: the loss below is fp32
      sr = run_sequence(*model, lr_frames);
    }
    // The loss is the mean over every frame: the early frames of a sequence (little history) count as
    // much as the late ones, as they do in a stream that restarts at each scene.
    const torch::Tensor loss = pixel_loss(o.loss, sr.to(torch::kFloat32), hr_frames);
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
