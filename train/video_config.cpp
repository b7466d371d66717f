// vsr-train-video's JSON config: every key of VideoTrainOptions, nothing else.
#include "device_settings.h"
#include "settings_table.h"
#include "video_trainer.h"
#include "vsr/error.h"

namespace vsr::train {

const SettingsTable<VideoTrainOptions>& video_settings() {
  using O = VideoTrainOptions;
  static const SettingsTable<O> table = [] {
    SettingsTable<O> t;
    t.add("videos", &O::videos, "training video (repeatable; its last 15% is never used)");
    t.add("photos", &O::photos, "folder of JPEG or PNG stills for synthetic pans (repeatable)");
    t.add("validate", &O::validate, "folder of sequence folders scored at each checkpoint (repeatable; the first is val_psnr)");
    t.add("validate_frames", &O::validate_frames, "at most this many frames of each validation sequence (0 = all)");
    t.add("out", &O::out_dir, "checkpoint and log folder (resumed if present)");
    t.add("export", &O::export_path, "ONNX file written at each checkpoint");
    t.add("arch", &O::arch,
          "recurrent, window (3 frames, flow-aligned), or a single-frame architecture of vsr-train (the same-data "
          "control)");
    t.add("scale", &O::scale, "upscaling factor (2 to 4)");
    t.add("features", &O::features, "recurrent: width convs hidden (32 5 16); window: width convs flow_width (32 4 16)");
    t.add("loss", &O::loss, "l1, mse or charbonnier");
    t.add("ema", &O::ema, "EMA decay of the weights (0 = off)");
    t.add("iterations", &O::iterations, "total iterations");
    t.add("stop_after", &O::stop_after, "checkpoint and stop at this iteration (re-run to resume)");
    t.add("batch", &O::batch, "sequences per batch");
    t.add("frames", &O::frames, "sequence length (also of --make-sequences)");
    t.add("patch", &O::patch, "LR crop side");
    t.add("lr", &O::learning_rate, "initial learning rate");
    t.add("checkpoint_every", &O::checkpoint_every, "iterations between checkpoints");
    t.add("checkpoint_minutes", &O::checkpoint_minutes, "also checkpoint after this many minutes");
    t.add("progress_every", &O::progress_every, "iterations between progress lines");
    t.add("threads", &O::threads, "CPU threads");
    t.add("device", &O::device, "cpu | cuda | cuda:N (CUDA needs the trainer built against a CUDA LibTorch)");
    t.add("precision", &O::precision, "fp32 | bf16 | fp16: the forward under autocast (fp16 on CUDA, loss-scaled)");
    t.add("seed", &O::seed, "random seed");
    t.add("synthetic_fraction", &O::synthetic_fraction, "share of sequences panned over the stills");
    t.add("max_step", &O::max_step, "synthetic pans: HR pixels per frame (also of --make-sequences)");
    t.add("trained_on", &O::trained_on, "recorded in the model's vsr.trained_on");
    return t;
  }();
  return table;
}

void load_video_config(const std::string& path, VideoTrainOptions& o) { video_settings().read_config(path, o); }

void check_video_options(const VideoTrainOptions& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.videos.empty() && o.photos.empty()) bad("videos", "and 'photos' name no training source");
  if (o.arch.empty()) bad("arch", "is empty (recurrent, window, or a single-frame architecture of vsr-train)");
  if (o.scale < 2 || o.scale > 4) bad("scale", "must be 2 to 4");
  if (o.iterations < 1) bad("iterations", "must be positive");
  if (o.stop_after < 0) bad("stop_after", "must be 0 (run to the end) or an iteration");
  if (o.batch < 1) bad("batch", "must be positive");
  if (o.frames < 2 || o.frames > 64) bad("frames", "must be 2 to 64");
  if (o.patch < 8 || o.patch > 256) bad("patch", "must be 8 to 256 LR pixels");
  if (o.validate_frames < 0) bad("validate_frames", "must be 0 (all) or positive");
  if (!(o.learning_rate > 0.0)) bad("lr", "must be positive");
  if (o.checkpoint_every < 1) bad("checkpoint_every", "must be positive");
  if (!(o.checkpoint_minutes > 0.0)) bad("checkpoint_minutes", "must be positive");
  if (o.progress_every < 1) bad("progress_every", "must be positive");
  if (o.threads < 1) bad("threads", "must be positive");
  check_device_settings(o.device, o.precision);
  if (!(o.ema >= 0.0 && o.ema < 1.0)) bad("ema", "must be 0 (off) or a decay in (0, 1)");
  if (!(o.synthetic_fraction >= 0.0 && o.synthetic_fraction <= 1.0)) bad("synthetic_fraction", "must be 0 to 1");
  if (!(o.max_step >= 0.0 && o.max_step <= 32.0)) bad("max_step", "must be 0 to 32 pixels per frame");
  if (o.loss != "l1" && o.loss != "mse" && o.loss != "charbonnier") bad("loss", "'" + o.loss + "' is not one of l1, mse, charbonnier");
}

}  // namespace vsr::train
