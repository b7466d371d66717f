// vsr-train-video's JSON config: every key of VideoTrainOptions, nothing else.
#include "device_settings.h"
#include "json_settings.h"
#include "video_trainer.h"
#include "vsr/error.h"

namespace vsr::train {

void load_video_config(const std::string& path, VideoTrainOptions& o) {
  apply_json_settings(path, {
      {"videos", json_texts(o.videos)},
      {"photos", json_texts(o.photos)},
      {"validate", json_texts(o.validate)},
      {"validate_frames", json_integer(o.validate_frames)},
      {"out", json_text(o.out_dir)},
      {"export", json_text(o.export_path)},
      {"arch", json_text(o.arch)},
      {"scale", json_integer(o.scale)},
      {"features", [&](const nlohmann::json& v) { o.features = v.get<std::vector<int>>(); }},
      {"loss", json_text(o.loss)},
      {"ema", json_real(o.ema)},
      {"iterations", json_integer(o.iterations)},
      {"stop_after", json_integer(o.stop_after)},
      {"batch", json_integer(o.batch)},
      {"frames", json_integer(o.frames)},
      {"patch", json_integer(o.patch)},
      {"lr", json_real(o.learning_rate)},
      {"checkpoint_every", json_integer(o.checkpoint_every)},
      {"checkpoint_minutes", json_real(o.checkpoint_minutes)},
      {"progress_every", json_integer(o.progress_every)},
      {"threads", json_integer(o.threads)},
      {"device", json_text(o.device)},
      {"precision", json_text(o.precision)},
      {"seed", [&](const nlohmann::json& v) { o.seed = v.get<uint64_t>(); }},
      {"synthetic_fraction", json_real(o.synthetic_fraction)},
      {"max_step", json_real(o.max_step)},
      {"trained_on", json_text(o.trained_on)},
  });
}

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
