// vsr-train-interp's JSON config: every key of InterpTrainOptions, nothing else.
#include "interp_trainer.h"
#include "run_settings.h"
#include "vsr/error.h"

namespace vsr::train {

const SettingsTable<InterpTrainOptions>& interp_settings() {
  using O = InterpTrainOptions;
  static const SettingsTable<O> table = [] {
    SettingsTable<O> t;
    t.add("videos", &O::videos,
          "training video file (its last 15% is never used) or folder of frame folders (PNG/JPEG, all used); "
          "repeatable");
    t.add("photos", &O::photos, "folder of JPEG or PNG stills for synthetic motion (repeatable)");
    t.add("validate", &O::validate, "triplet folder scored at each checkpoint (repeatable; the first is val_psnr)");
    t.add("features", &O::features,
          "width1 width2 width3 body refine_width [half_width [refine_layers [stage2_width [stage2_body]]]] "
          "(default 32 64 80 5 16)");
    t.add("init", &O::init, "ONNX export to start from (same-named parameters; a new second stage starts at zero)");
    t.add("gradient_weight", &O::gradient_weight, "weight of the image-gradient L1 term");
    t.add("flow_weight", &O::flow_weight, "weight of the flow L1 term on synthetic samples");
    t.add("batch", &O::batch, "samples per batch");
    t.add("patch", &O::patch, "crop side (multiple of 8)");
    t.add("synthetic_fraction", &O::synthetic_fraction, "share of samples from the stills");
    t.add("max_motion", &O::max_motion, "synthetic motion between frames 0 and 1, pixels");
    t.add("motion_crops", &O::motion_crops, "video crops drawn per sample; the one that moves most is kept");
    add_run_settings(t);
    return t;
  }();
  return table;
}

void load_interp_config(const std::string& path, InterpTrainOptions& o) { interp_settings().read_config(path, o); }

void check_interp_options(const InterpTrainOptions& o) {
  check_run_settings(o);
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.videos.empty() && o.photos.empty()) bad("videos", "and 'photos' name no training source");
  if (o.patch < 16 || o.patch > 512 || o.patch % 8 != 0) bad("patch", "must be a multiple of 8 from 16 to 512");
  if (!(o.gradient_weight >= 0.0)) bad("gradient_weight", "must not be negative");
  if (!(o.flow_weight >= 0.0)) bad("flow_weight", "must not be negative");
  if (!(o.synthetic_fraction >= 0.0 && o.synthetic_fraction <= 1.0)) bad("synthetic_fraction", "must be 0 to 1");
  if (!(o.max_motion >= 0.0 && o.max_motion <= 128.0)) bad("max_motion", "must be 0 to 128 pixels");
  if (o.motion_crops < 1 || o.motion_crops > 64) bad("motion_crops", "must be 1 to 64");
}

}  // namespace vsr::train
