// vsr-train's JSON config: every key of TrainOptions, nothing else.
#include <algorithm>
#include <filesystem>

#include "device_settings.h"
#include "json_settings.h"
#include "train/degrade/pipeline.h"
#include "trainer.h"
#include "vsr/error.h"

namespace vsr::train {

std::vector<std::string> loss_names() { return {"l1", "mse", "charbonnier"}; }

namespace {

// "teachers": [{"arch": "edsr", "features": [64, 8], "weights": "run/ema.pt", "weight": 1}, ...]; each
// entry is read like the top level (unknown keys and wrong types named, "teachers[0].weight").
std::vector<TeacherOptions> read_teachers(const std::string& path, const nlohmann::json& list) {
  if (!list.is_array()) throw Error("config '" + path + "': key 'teachers' must be a list of objects");
  std::vector<TeacherOptions> teachers;
  for (size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& entry = list[i];
    const std::string key = "teachers[" + std::to_string(i) + "]";
    if (!entry.is_object()) throw Error("config '" + path + "': key '" + key + "' must be an object");
    TeacherOptions t;
    apply_json_object(path, entry,
                      {{"arch", json_text(t.arch)},
                       {"features", [&](const nlohmann::json& v) { t.features = v.get<std::vector<int>>(); }},
                       {"weights", json_text(t.weights)},
                       {"weight", json_real(t.weight)}},
                      key + ".");
    if (t.arch.empty()) throw Error("config '" + path + "': key '" + key + ".arch' is missing");
    if (t.weights.empty()) throw Error("config '" + path + "': key '" + key + ".weights' is missing");
    teachers.push_back(t);
  }
  return teachers;
}

}  // namespace

void load_config(const std::string& path, TrainOptions& o) {
  apply_json_settings(path, {
      {"data", json_texts(o.data)},
      {"validate", json_text(o.validate)},
      {"out", json_text(o.out_dir)},
      {"export", json_text(o.export_path)},
      {"arch", json_text(o.arch)},
      {"scale", json_integer(o.scale)},
      {"features", [&](const nlohmann::json& v) { o.features = v.get<std::vector<int>>(); }},
      {"loss", json_text(o.loss)},
      {"degradation", json_text(o.degradation)},
      {"ema", json_real(o.ema)},
      {"iterations", json_integer(o.iterations)},
      {"batch", json_integer(o.batch)},
      {"patch", json_integer(o.lr_patch)},
      {"lr", json_real(o.learning_rate)},
      {"checkpoint_every", json_integer(o.checkpoint_every)},
      {"threads", json_integer(o.threads)},
      {"device", json_text(o.device)},
      {"precision", json_text(o.precision)},
      {"seed", [&](const nlohmann::json& v) { o.seed = v.get<uint64_t>(); }},
      {"trained_on", json_text(o.trained_on)},
      {"init", json_text(o.init)},
      {"init_partial", [&](const nlohmann::json& v) { o.init_partial = v.get<bool>(); }},
      {"blur_from", json_text(o.blur_from)},
      {"blur_prior", json_text(o.blur_prior)},
      {"ssim_weight", json_real(o.extra_losses.ssim_weight)},
      {"gradient_weight", json_real(o.extra_losses.gradient_weight)},
      {"perceptual_weight", json_real(o.extra_losses.perceptual_weight)},
      {"texture_weight", json_real(o.extra_losses.texture_weight)},
      {"perceptual_weights", json_text(o.extra_losses.perceptual_weights)},
      {"perceptual_layers", [&](const nlohmann::json& v) { o.extra_losses.perceptual_layers = v.get<std::vector<int>>(); }},
      {"gan_weight", json_real(o.extra_losses.gan_weight)},
      {"discriminator", json_text(o.extra_losses.discriminator)},
      {"discriminator_width", json_integer(o.extra_losses.discriminator_width)},
      {"discriminator_lr", json_real(o.extra_losses.discriminator_lr)},
      {"dual_weight", json_real(o.extra_losses.dual_weight)},
      {"dual_lr", json_real(o.extra_losses.dual_lr)},
      {"teachers", [&](const nlohmann::json& v) { o.distillation.teachers = read_teachers(path, v); }},
      {"distill_until", json_integer(o.distillation.until)},
  });
}

void check_options(const TrainOptions& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.data.empty()) bad("data", "names no training folder");
  if (o.scale < 2 || o.scale > 4) bad("scale", "is " + std::to_string(o.scale) + "; vsr-train makes x2, x3 and x4 models");
  if (o.iterations < 1) bad("iterations", "must be positive");
  if (o.batch < 1) bad("batch", "must be positive");
  if (o.lr_patch < 8 || o.lr_patch > 512) bad("patch", "must be 8 to 512 LR pixels");
  if (!(o.learning_rate > 0.0)) bad("lr", "must be positive");
  if (o.checkpoint_every < 1) bad("checkpoint_every", "must be positive");
  if (o.threads < 1) bad("threads", "must be positive");
  if (!(o.ema >= 0.0 && o.ema < 1.0)) bad("ema", "must be 0 (off) or a decay in (0, 1)");
  check_device_settings(o.device, o.precision);
  if (!degrade::is_degradation(o.degradation))
    bad("degradation", "'" + o.degradation + "' is not one of " + degrade::degradation_list());
  if (!o.blur_from.empty() && o.degradation != "classic")
    bad("blur_from", "fixes the classic degradation's blur; it needs degradation 'classic', not '" + o.degradation + "'");
  if (!o.blur_from.empty() && !std::filesystem::is_directory(o.blur_from))
    bad("blur_from", "names '" + o.blur_from + "', which is not a folder");
  if (o.blur_prior != "gaussian" && o.blur_prior != "flow") bad("blur_prior", "'" + o.blur_prior + "' is not gaussian or flow");
  const auto losses = loss_names();
  if (std::find(losses.begin(), losses.end(), o.loss) == losses.end()) bad("loss", "'" + o.loss + "' is not one of l1, mse, charbonnier");
  check_loss_mix(o.extra_losses);
  if (o.init_partial && o.init.empty()) bad("init_partial", "needs 'init', the weights to start from");
  check_distillation(o.distillation, o.iterations);
}

}  // namespace vsr::train
