// vsr-train-video's JSON config: every key of VideoTrainOptions, nothing else.
#include "run_settings.h"
#include "video_trainer.h"
#include "vsr/error.h"

namespace vsr::train {

const SettingsTable<VideoTrainOptions>& video_settings() {
  using O = VideoTrainOptions;
  static const SettingsTable<O> table = [] {
    SettingsTable<O> t;
    t.add("videos", &O::videos,
          "training video file (its last 15% is never used) or folder of frame folders (PNG/JPEG, all used); "
          "repeatable");
    t.add("photos", &O::photos, "folder of JPEG or PNG stills for synthetic pans (repeatable)");
    t.add("validate", &O::validate, "folder of sequence folders scored at each checkpoint (repeatable; the first is val_psnr)");
    t.add("validate_frames", &O::validate_frames, "at most this many frames of each validation sequence (0 = all)");
    t.add("arch", &O::arch,
          "recurrent, window (3 frames, flow-aligned), or a single-frame architecture of vsr-train (the same-data "
          "control)");
    t.add("scale", &O::scale, "upscaling factor (2 to 4)");
    t.add("features", &O::features, "recurrent: width convs hidden (32 5 16); window: width convs flow_width (32 4 16)");
    t.add("batch", &O::batch, "sequences per batch");
    t.add("frames", &O::frames, "sequence length (also of --make-sequences)");
    t.add("patch", &O::patch, "LR crop side");
    t.add("synthetic_fraction", &O::synthetic_fraction, "share of sequences panned over the stills");
    t.add("max_step", &O::max_step, "synthetic pans: HR pixels per frame (also of --make-sequences)");
    t.add("loader_threads", &O::loader_threads,
          "threads that make the next batch's LR frames while one trains");
    add_run_settings(t);
    return t;
  }();
  return table;
}

void load_video_config(const std::string& path, VideoTrainOptions& o) { video_settings().read_config(path, o); }

void check_video_options(const VideoTrainOptions& o) {
  check_run_settings(o);
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.videos.empty() && o.photos.empty()) bad("videos", "and 'photos' name no training source");
  if (o.arch.empty()) bad("arch", "is empty (recurrent, window, or a single-frame architecture of vsr-train)");
  if (o.scale < 2 || o.scale > 4) bad("scale", "must be 2 to 4");
  if (o.frames < 2 || o.frames > 64) bad("frames", "must be 2 to 64");
  if (o.patch < 8 || o.patch > 256) bad("patch", "must be 8 to 256 LR pixels");
  if (o.validate_frames < 0) bad("validate_frames", "must be 0 (all) or positive");
  if (o.loader_threads < 1 || o.loader_threads > 64) bad("loader_threads", "must be 1 to 64");
  if (!(o.synthetic_fraction >= 0.0 && o.synthetic_fraction <= 1.0)) bad("synthetic_fraction", "must be 0 to 1");
  if (!(o.max_step >= 0.0 && o.max_step <= 32.0)) bad("max_step", "must be 0 to 32 pixels per frame");
}

}  // namespace vsr::train
