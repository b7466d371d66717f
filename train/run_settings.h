// The settings the trainers share under the same keys and meanings: where a run writes, how long it
// runs and how it is paced, on which device and in what precision. Each trainer's SettingsTable adds
// them beside its own (data, model, crops), and its check adds the shared checks to its own rules.
#pragma once
#include <string>

#include "device_settings.h"
#include "settings_table.h"
#include "vsr/error.h"

namespace vsr::train {

// The settings of every trainer (vsr-train included): where a run writes, its loss and EMA, its
// length, rate and checkpoints, its threads and device.
template <typename Options>
void add_common_run_settings(SettingsTable<Options>& t) {
  using O = Options;
  t.add("out", &O::out_dir, "checkpoint and log folder (resumed if present)");
  t.add("export", &O::export_path, "ONNX file written at each checkpoint");
  t.add("loss", &O::loss, "l1, charbonnier or mse");
  t.add("ema", &O::ema, "EMA decay of the weights (0 = off)");
  t.add("iterations", &O::iterations, "total iterations");
  t.add("lr", &O::learning_rate, "initial learning rate");
  t.add("checkpoint_every", &O::checkpoint_every, "iterations between checkpoints");
  t.add("threads", &O::threads, "CPU threads");
  t.add("device", &O::device, "cpu | cuda | cuda:N (CUDA needs the trainer built against a CUDA LibTorch)");
  t.add("precision", &O::precision, "fp32 | bf16 | fp16: the forward under autocast (fp16 on CUDA, loss-scaled)");
  t.add("seed", &O::seed, "random seed");
  t.add("trained_on", &O::trained_on, "recorded in the model's vsr.trained_on");
}

// The common settings and those of the sequence trainers' pacing (stop_after, timed checkpoints,
// progress lines).
template <typename Options>
void add_run_settings(SettingsTable<Options>& t) {
  using O = Options;
  add_common_run_settings(t);
  t.add("stop_after", &O::stop_after, "checkpoint and stop at this iteration (re-run to resume)");
  t.add("checkpoint_minutes", &O::checkpoint_minutes, "also checkpoint after this many minutes");
  t.add("progress_every", &O::progress_every, "iterations between progress lines");
}

// Throws vsr::Error naming the first common setting (but the loss, whose names each trainer checks)
// that is out of range.
template <typename Options>
void check_common_run_settings(const Options& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.iterations < 1) bad("iterations", "must be positive");
  if (o.batch < 1) bad("batch", "must be positive");
  if (!(o.learning_rate > 0.0)) bad("lr", "must be positive");
  if (o.checkpoint_every < 1) bad("checkpoint_every", "must be positive");
  if (o.threads < 1) bad("threads", "must be positive");
  if (!(o.ema >= 0.0 && o.ema < 1.0)) bad("ema", "must be 0 (off) or a decay in (0, 1)");
  check_device_settings(o.device, o.precision);
}

// The sequence trainers' check: the common settings, their pacing, and the loss.
template <typename Options>
void check_run_settings(const Options& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  check_common_run_settings(o);
  if (o.stop_after < 0) bad("stop_after", "must be 0 (run to the end) or an iteration");
  if (!(o.checkpoint_minutes > 0.0)) bad("checkpoint_minutes", "must be positive");
  if (o.progress_every < 1) bad("progress_every", "must be positive");
  if (o.loss != "l1" && o.loss != "charbonnier" && o.loss != "mse")
    bad("loss", "'" + o.loss + "' is not one of l1, charbonnier, mse");
}

}  // namespace vsr::train
