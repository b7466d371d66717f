// vsr-train-interp's JSON config: every key of InterpTrainOptions, nothing else.
#include "interp_trainer.h"
#include "device_settings.h"
#include "settings_table.h"
#include "vsr/error.h"

namespace vsr::train {

const SettingsTable<InterpTrainOptions>& interp_settings() {
  using O = InterpTrainOptions;
  static const SettingsTable<O> table = [] {
    SettingsTable<O> t;
    t.add("videos", &O::videos, "training video (repeatable; its last 15% is never used)");
    t.add("photos", &O::photos, "folder of JPEG or PNG stills for synthetic motion (repeatable)");
    t.add("validate", &O::validate, "triplet folder scored at each checkpoint (repeatable; the first is val_psnr)");
    t.add("out", &O::out_dir, "checkpoint and log folder (resumed if present)");
    t.add("export", &O::export_path, "ONNX file written at each checkpoint");
    t.add("features", &O::features,
          "width1 width2 width3 body refine_width [half_width [refine_layers [stage2_width [stage2_body]]]] "
          "(default 32 64 80 5 16)");
    t.add("init", &O::init, "ONNX export to start from (same-named parameters; a new second stage starts at zero)");
    t.add("loss", &O::loss, "l1, charbonnier or mse");
    t.add("gradient_weight", &O::gradient_weight, "weight of the image-gradient L1 term");
    t.add("flow_weight", &O::flow_weight, "weight of the flow L1 term on synthetic samples");
    t.add("ema", &O::ema, "EMA decay of the weights (0 = off)");
    t.add("iterations", &O::iterations, "total iterations");
    t.add("stop_after", &O::stop_after, "checkpoint and stop at this iteration (re-run to resume)");
    t.add("batch", &O::batch, "samples per batch");
    t.add("patch", &O::patch, "crop side (multiple of 8)");
    t.add("lr", &O::learning_rate, "initial learning rate");
    t.add("checkpoint_every", &O::checkpoint_every, "iterations between checkpoints");
    t.add("checkpoint_minutes", &O::checkpoint_minutes, "also checkpoint after this many minutes");
    t.add("progress_every", &O::progress_every, "iterations between progress lines");
    t.add("threads", &O::threads, "CPU threads");
    t.add("device", &O::device, "cpu | cuda | cuda:N (CUDA needs the trainer built against a CUDA LibTorch)");
    t.add("precision", &O::precision, "fp32 | bf16 | fp16: the forward under autocast (fp16 on CUDA, loss-scaled)");
    t.add("seed", &O::seed, "random seed");
    t.add("synthetic_fraction", &O::synthetic_fraction, "share of samples from the stills");
    t.add("max_motion", &O::max_motion, "synthetic motion between frames 0 and 1, pixels");
    t.add("motion_crops", &O::motion_crops, "video crops drawn per sample; the one that moves most is kept");
    t.add("trained_on", &O::trained_on, "recorded in the model's vsr.trained_on");
    return t;
  }();
  return table;
}

void load_interp_config(const std::string& path, InterpTrainOptions& o) { interp_settings().read_config(path, o); }

void check_interp_options(const InterpTrainOptions& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.videos.empty() && o.photos.empty()) bad("videos", "and 'photos' name no training source");
  if (o.iterations < 1) bad("iterations", "must be positive");
  if (o.stop_after < 0) bad("stop_after", "must be 0 (run to the end) or an iteration");
  if (o.batch < 1) bad("batch", "must be positive");
  if (o.patch < 16 || o.patch > 512 || o.patch % 8 != 0) bad("patch", "must be a multiple of 8 from 16 to 512");
  if (!(o.learning_rate > 0.0)) bad("lr", "must be positive");
  if (o.checkpoint_every < 1) bad("checkpoint_every", "must be positive");
  if (!(o.checkpoint_minutes > 0.0)) bad("checkpoint_minutes", "must be positive");
  if (o.progress_every < 1) bad("progress_every", "must be positive");
  if (o.threads < 1) bad("threads", "must be positive");
  check_device_settings(o.device, o.precision);
  if (!(o.ema >= 0.0 && o.ema < 1.0)) bad("ema", "must be 0 (off) or a decay in (0, 1)");
  if (!(o.gradient_weight >= 0.0)) bad("gradient_weight", "must not be negative");
  if (!(o.flow_weight >= 0.0)) bad("flow_weight", "must not be negative");
  if (!(o.synthetic_fraction >= 0.0 && o.synthetic_fraction <= 1.0)) bad("synthetic_fraction", "must be 0 to 1");
  if (!(o.max_motion >= 0.0 && o.max_motion <= 128.0)) bad("max_motion", "must be 0 to 128 pixels");
  if (o.motion_crops < 1 || o.motion_crops > 64) bad("motion_crops", "must be 1 to 64");
  if (o.loss != "l1" && o.loss != "charbonnier" && o.loss != "mse")
    bad("loss", "'" + o.loss + "' is not one of l1, charbonnier, mse");
}

}  // namespace vsr::train
