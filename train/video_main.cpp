// vsr-train-video: trains the causal recurrent video SR network (train/recurrent_net.h) on sequences
// from video files (their last 15% held back) and synthetic pans over stills, and exports ONNX that
// vsr::Engine streams with its state carried between frames. Settings come from a JSON config
// (--config), then the command line, which wins:
//   vsr-train-video --config train/configs/recurrent_x4.json
// Re-running the same command resumes from the last checkpoint in --out. With --make-sequences it
// instead writes held-back synthetic sequences (pans over the --photos stills) as PNG folders:
//   vsr-train-video --make-sequences out/video-eval/synthetic --photos stills/ --count 8 --frames 12
#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

#include "eval/image.h"
#include "stills.h"
#include "synthetic_motion.h"
#include "video_trainer.h"
#include "vsr/error.h"

namespace {

vsr::Image8 to_image8(const std::vector<float>& planar, int size) {
  vsr::Image8 img{size, size, 3, std::vector<uint8_t>(static_cast<size_t>(size) * size * 3)};
  const size_t plane = static_cast<size_t>(size) * size;
  for (size_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c)
      img.pixels[3 * i + c] = static_cast<uint8_t>(std::lround(std::clamp(planar[c * plane + i], 0.0f, 1.0f) * 255.0f));
  return img;
}

// `count` pans over the stills large enough for them (taken in turn), `frames` frames of size x size each, into DIR/<still>_<i>/.
void make_sequences(const std::string& dir, const std::vector<std::string>& photos, int count, int frames, int size,
                    double max_step, uint64_t seed) {
  const auto stills = vsr::train::load_stills(photos, 2);
  if (stills.empty()) throw vsr::Error("--make-sequences: no JPEG or PNG stills in --photos");
  std::vector<const vsr::Image8*> usable;
  for (const auto& still : stills)
    if (vsr::train::fits_synthetic_sequence(still, size, frames, max_step)) usable.push_back(&still);
  if (usable.empty()) throw vsr::Error("--make-sequences: no still is large enough for " + std::to_string(size) + "-pixel pans");
  std::mt19937_64 rng(seed);
  for (int i = 0; i < count; ++i) {
    const auto seq = vsr::train::synthetic_sequence(*usable[i % usable.size()], size, frames, max_step, rng);
    std::ostringstream name;
    name << dir << "/pan_" << std::setw(3) << std::setfill('0') << i;
    std::filesystem::create_directories(name.str());
    for (int k = 0; k < frames; ++k) {
      std::ostringstream file;
      file << name.str() << "/frame_" << std::setw(3) << std::setfill('0') << k << ".png";
      vsr::write_png(file.str(), to_image8(seq[k], size));
    }
  }
  std::cerr << "wrote " << count << " sequences of " << frames << " frames (" << size << "x" << size << ") to " << dir << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  using Options = vsr::train::VideoTrainOptions;
  Options cli;
  std::string config, sequences_dir;
  int count = 8, size = 192;
  CLI::App app{"vsr-train-video: train a recurrent or sliding-window video super-resolution model and export it as ONNX"};
  std::vector<std::pair<CLI::Option*, std::function<void(Options&)>>> given;
  // Each flag, and how it overrides the config when it is on the command line.
  auto flag = [&](CLI::Option* opt, std::function<void(Options&)> apply) { given.emplace_back(opt, std::move(apply)); };
  app.add_option("--config", config, "JSON file of settings (keys: the long flags, with _ for -); flags override it");
  flag(app.add_option("--videos", cli.videos, "training video (repeatable; its last 15% is never used)"),
       [&](Options& o) { o.videos = cli.videos; });
  flag(app.add_option("--photos", cli.photos, "folder of JPEG or PNG stills for synthetic pans (repeatable)"),
       [&](Options& o) { o.photos = cli.photos; });
  flag(app.add_option("--validate", cli.validate, "folder of sequence folders scored at each checkpoint (repeatable)"),
       [&](Options& o) { o.validate = cli.validate; });
  flag(app.add_option("--out", cli.out_dir, "checkpoint and log folder (resumed if present)"), [&](Options& o) { o.out_dir = cli.out_dir; });
  flag(app.add_option("--export", cli.export_path, "ONNX file written at each checkpoint"),
       [&](Options& o) { o.export_path = cli.export_path; });
  flag(app.add_option("--arch", cli.arch, "recurrent, window (3 frames, flow-aligned), or a single-frame architecture of vsr-train (the same-data control)"),
       [&](Options& o) { o.arch = cli.arch; });
  flag(app.add_option("--scale", cli.scale, "upscaling factor (2 to 4)"), [&](Options& o) { o.scale = cli.scale; });
  flag(app.add_option("--features", cli.features, "recurrent: width convs hidden (32 5 16); window: width convs flow_width (32 4 16)"),
       [&](Options& o) { o.features = cli.features; });
  flag(app.add_option("--iterations", cli.iterations, "total iterations"), [&](Options& o) { o.iterations = cli.iterations; });
  flag(app.add_option("--stop-after", cli.stop_after, "checkpoint and stop at this iteration (re-run to resume)"),
       [&](Options& o) { o.stop_after = cli.stop_after; });
  flag(app.add_option("--batch", cli.batch, "sequences per batch"), [&](Options& o) { o.batch = cli.batch; });
  flag(app.add_option("--frames", cli.frames, "sequence length (also of --make-sequences)"), [&](Options& o) { o.frames = cli.frames; });
  flag(app.add_option("--patch", cli.patch, "LR crop side"), [&](Options& o) { o.patch = cli.patch; });
  flag(app.add_option("--checkpoint-every", cli.checkpoint_every, "iterations between checkpoints"),
       [&](Options& o) { o.checkpoint_every = cli.checkpoint_every; });
  flag(app.add_option("--threads", cli.threads, "CPU threads"), [&](Options& o) { o.threads = cli.threads; });
  flag(app.add_option("--device", cli.device, "cpu | cuda | cuda:N (CUDA needs the trainer built against a CUDA LibTorch)"),
       [&](Options& o) { o.device = cli.device; });
  flag(app.add_option("--precision", cli.precision, "fp32 | bf16 | fp16: the forward under autocast (fp16 on CUDA, loss-scaled)"),
       [&](Options& o) { o.precision = cli.precision; });
  flag(app.add_option("--seed", cli.seed, "random seed"), [&](Options& o) { o.seed = cli.seed; });
  flag(app.add_option("--max-step", cli.max_step, "synthetic pans: HR pixels per frame (also of --make-sequences)"),
       [&](Options& o) { o.max_step = cli.max_step; });
  app.add_option("--make-sequences", sequences_dir, "write synthetic pans over --photos as PNG sequence folders here, then exit");
  app.add_option("--count", count, "--make-sequences: how many sequences");
  app.add_option("--size", size, "--make-sequences: frame side in pixels");
  CLI11_PARSE(app, argc, argv);
  try {
    Options o;
    if (!config.empty()) vsr::train::load_video_config(config, o);
    for (auto& [opt, apply] : given)
      if (opt->count() > 0) apply(o);
    if (!sequences_dir.empty()) {
      make_sequences(sequences_dir, o.photos, count, o.frames, size, o.max_step, o.seed);
      return 0;
    }
    const double psnr = vsr::train::train_video(o);
    std::cout << "done; validation PSNR " << psnr << " dB" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "vsr-train-video: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
