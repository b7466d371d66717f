// vsr-train's JSON config: every key of TrainOptions, nothing else.
#include <algorithm>
#include <filesystem>

#include "run_settings.h"
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
    static const SettingsTable<TeacherOptions> keys = [] {
      SettingsTable<TeacherOptions> k;
      k.add("arch", &TeacherOptions::arch, "the teacher's architecture");
      k.add("features", &TeacherOptions::features, "its widths and depths");
      k.add("weights", &TeacherOptions::weights, "its model.pt, ema.pt or ONNX export");
      k.add("weight", &TeacherOptions::weight, "weight of its distillation term");
      return k;
    }();
    TeacherOptions t;
    keys.read_object(path, entry, t, key + ".");
    if (t.arch.empty()) throw Error("config '" + path + "': key '" + key + ".arch' is missing");
    if (t.weights.empty()) throw Error("config '" + path + "': key '" + key + ".weights' is missing");
    teachers.push_back(t);
  }
  return teachers;
}

}  // namespace

const SettingsTable<TrainOptions>& train_settings() {
  using O = TrainOptions;
  static const SettingsTable<O> table = [] {
    SettingsTable<O> t;
    t.add("data", &O::data, "training image folder (repeatable)");
    t.add("lr_data", &O::lr_data,
          "the LR images of each --data folder, in that order (paired data: matched by file name, DIV2K's 0001x2.png "
          "too; no degradation); without it the LR is made from the HR");
    t.add("validate", &O::validate, "folder scored with the standard protocol at each checkpoint");
    t.add("arch", &O::arch, "espcn, fsrcnn, srvgg, srcnn, vdsr, edsr, rcan, carn, srresnet, rrdb, rdn, drn, spsr, cdc or irn");
    t.add("scale", &O::scale, "upscaling factor (2 to 4)");
    t.add("features", &O::features,
          "the architecture's widths and depths (defaults shown): espcn: 64 32 (one width per hidden layer); "
          "fsrcnn: 56 12 4 (d s m); srvgg: 64 16 (width, convs); srcnn: 64 32 (w1 w2); vdsr: 64 20 (width, depth); "
          "edsr: 64 16 (width, blocks; EDSR-baseline) or 256 32 1 (a third value 1 scales residuals by 0.1; EDSR); "
          "rcan: 64 10 20 16 (width, groups, blocks per group, attention reduction); "
          "carn: 64 0 (width, mobile: 0 CARN, 1 CARN-M); srresnet: 64 16 (width, blocks); "
          "rrdb: 64 23 32 (width, RRDB blocks, growth; ESRGAN); rdn: 64 16 8 64 (width, blocks, layers per block, "
          "growth); drn: 16 30 (width, attention blocks per level; DRN-S, x2/x4, with its dual loop); spsr: 64 16 "
          "(width, blocks; with the gradient branch); cdc: 64 8 (width, blocks; flat/edge/corner branches); "
          "irn: 32 4 (width, coupling blocks per x2 stage; the invertible down/up-scaler pair, x2/x4)");
    t.add("degradation", &O::degradation,
          "bicubic (the standard protocol), classic, second_order (real-world) or video (second_order with H.264)");
    t.add("batch", &O::batch, "patches per batch");
    t.add("patch", &O::lr_patch, "LR patch size");
    add_common_run_settings(t);
    t.add("loader_threads", &O::loader_threads,
          "threads that load the images and make the next batch while one trains (degradations in parallel)");
    t.add("init", &O::init,
          "model.pt or ema.pt of an earlier run, or its ONNX export (a zoo model), that a new run starts from");
    t.add("init_partial", &O::init_partial,
          "--init from another scale or width: load the parameters whose names and shapes match (EDSR's x4 from x2)");
    t.add("blur_from", &O::blur_from,
          "folder of LR footage frames (PNG) whose blur the classic degradation's kernel is fitted to");
    t.add("blur_prior", &O::blur_prior,
          "the kernel family fitted to --blur-from: gaussian (anisotropic Gaussian) or flow (FKP's learned kernel "
          "prior)");
    // The loss terms beyond the pixel loss (loss_settings.h).
    auto losses = [](auto member) { return [member](O& o) -> auto& { return o.extra_losses.*member; }; };
    t.add("ssim_weight", losses(&LossMixOptions::ssim_weight), "weight of the 1 - SSIM term");
    t.add("gradient_weight", losses(&LossMixOptions::gradient_weight), "weight of SPSR's gradient-profile term");
    t.add("perceptual_weight", losses(&LossMixOptions::perceptual_weight), "weight of the VGG feature L1 term");
    t.add("texture_weight", losses(&LossMixOptions::texture_weight), "weight of the Gram-matrix texture term");
    t.add("perceptual_weights", losses(&LossMixOptions::perceptual_weights),
          "VGG19 features file for the perceptual/texture terms");
    t.add("perceptual_layers", losses(&LossMixOptions::perceptual_layers),
          "VGG19 convolutions the perceptual/texture terms compare (16 = conv5_4, ESRGAN's)");
    t.add("gan_weight", losses(&LossMixOptions::gan_weight), "weight of the relativistic average GAN term");
    t.add("discriminator", losses(&LossMixOptions::discriminator), "vgg or unet (the GAN's critic)");
    t.add("discriminator_width", losses(&LossMixOptions::discriminator_width), "the critic's first width");
    t.add("discriminator_lr", losses(&LossMixOptions::discriminator_lr), "the critic's learning rate");
    t.add("dual_weight", losses(&LossMixOptions::dual_weight), "weight of DRN's dual-regression term");
    t.add("dual_lr", losses(&LossMixOptions::dual_lr), "learning rate of DRN's dual (down-scaling) models");
    t.add_config_only("teachers", [](const std::string& path, const nlohmann::json& v, O& o) {
      o.distillation.teachers = read_teachers(path, v);
    });
    t.add("distill_until", [](O& o) -> auto& { return o.distillation.until; },
          "iteration where the teachers (config key 'teachers') stop supervising and the ground truth alone "
          "fine-tunes");
    return t;
  }();
  return table;
}

void load_config(const std::string& path, TrainOptions& o) { train_settings().read_config(path, o); }

void check_options(const TrainOptions& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.data.empty()) bad("data", "names no training folder");
  if (!o.lr_data.empty() && o.lr_data.size() != o.data.size())
    bad("lr_data", "names " + std::to_string(o.lr_data.size()) + " folders for " + std::to_string(o.data.size()) +
                       " data folders: one LR folder per data folder");
  if (!o.lr_data.empty() && o.degradation != "bicubic")
    bad("lr_data", "brings its own LR images: it cannot take degradation '" + o.degradation + "'");
  if (o.scale < 2 || o.scale > 4) bad("scale", "is " + std::to_string(o.scale) + "; vsr-train makes x2, x3 and x4 models");
  if (o.lr_patch < 8 || o.lr_patch > 512) bad("patch", "must be 8 to 512 LR pixels");
  check_common_run_settings(o);
  if (o.loader_threads < 1 || o.loader_threads > 64) bad("loader_threads", "must be 1 to 64");
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
