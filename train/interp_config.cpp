// vsr-train-interp's JSON config: every key of InterpTrainOptions, nothing else.
#include "interp_trainer.h"
#include "device_settings.h"
#include "json_settings.h"
#include "vsr/error.h"

namespace vsr::train {

void load_interp_config(const std::string& path, InterpTrainOptions& o) {
  apply_json_settings(path, {
      {"videos", json_texts(o.videos)},
      {"photos", json_texts(o.photos)},
      {"validate", json_texts(o.validate)},
      {"out", json_text(o.out_dir)},
      {"export", json_text(o.export_path)},
      {"features", [&](const nlohmann::json& v) { o.features = v.get<std::vector<int>>(); }},
      {"init", json_text(o.init)},
      {"loss", json_text(o.loss)},
      {"gradient_weight", json_real(o.gradient_weight)},
      {"flow_weight", json_real(o.flow_weight)},
      {"ema", json_real(o.ema)},
      {"iterations", json_integer(o.iterations)},
      {"stop_after", json_integer(o.stop_after)},
      {"batch", json_integer(o.batch)},
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
      {"max_motion", json_real(o.max_motion)},
      {"motion_crops", json_integer(o.motion_crops)},
      {"trained_on", json_text(o.trained_on)},
  });
}

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
