// vsr-train-interp: trains the frame-interpolation network (train/interp_net.h) on video files (their
// last 15% held back for evaluation) and synthetic motion from stills, and exports ONNX for
// vsr::Interpolator. Settings come from a JSON config (--config), then the command line, which wins:
//   vsr-train-interp --config train/configs/interp_x1.json
//   vsr-train-interp --videos a.avi --photos stills/ --validate triplets/ --out out/x --export x.onnx
// Re-running the same command resumes from the last checkpoint in --out.
#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>

#include "interp_trainer.h"
#include "vsr/error.h"

int main(int argc, char** argv) {
  using Options = vsr::train::InterpTrainOptions;
  Options cli;
  std::string config;
  CLI::App app{"vsr-train-interp: train a frame-interpolation model and export it as ONNX"};
  std::vector<std::pair<CLI::Option*, std::function<void(Options&)>>> given;
  // Each flag, and how it overrides the config when it is on the command line.
  auto flag = [&](CLI::Option* opt, std::function<void(Options&)> apply) { given.emplace_back(opt, std::move(apply)); };
  app.add_option("--config", config, "JSON file of settings (keys: the long flags, with _ for -); flags override it");
  flag(app.add_option("--videos", cli.videos, "training video (repeatable; its last 15% is never used)"),
       [&](Options& o) { o.videos = cli.videos; });
  flag(app.add_option("--photos", cli.photos, "folder of JPEG or PNG stills for synthetic motion (repeatable)"),
       [&](Options& o) { o.photos = cli.photos; });
  flag(app.add_option("--validate", cli.validate, "triplet folder scored at each checkpoint (repeatable; the first is val_psnr)"),
       [&](Options& o) { o.validate = cli.validate; });
  flag(app.add_option("--out", cli.out_dir, "checkpoint and log folder (resumed if present)"), [&](Options& o) { o.out_dir = cli.out_dir; });
  flag(app.add_option("--export", cli.export_path, "ONNX file written at each checkpoint"),
       [&](Options& o) { o.export_path = cli.export_path; });
  flag(app.add_option("--features", cli.features, "width1 width2 width3 body refine_width [half_width [refine_layers [stage2_width [stage2_body]]]] (default 32 64 80 5 16)"),
       [&](Options& o) { o.features = cli.features; });
  flag(app.add_option("--init", cli.init, "ONNX export to start from (same-named parameters; a new second stage starts at zero)"),
       [&](Options& o) { o.init = cli.init; });
  flag(app.add_option("--loss", cli.loss, "l1, charbonnier or mse"), [&](Options& o) { o.loss = cli.loss; });
  flag(app.add_option("--gradient-weight", cli.gradient_weight, "weight of the image-gradient L1 term"),
       [&](Options& o) { o.gradient_weight = cli.gradient_weight; });
  flag(app.add_option("--flow-weight", cli.flow_weight, "weight of the flow L1 term on synthetic samples"),
       [&](Options& o) { o.flow_weight = cli.flow_weight; });
  flag(app.add_option("--ema", cli.ema, "EMA decay of the weights (0 = off)"), [&](Options& o) { o.ema = cli.ema; });
  flag(app.add_option("--iterations", cli.iterations, "total iterations"), [&](Options& o) { o.iterations = cli.iterations; });
  flag(app.add_option("--stop-after", cli.stop_after, "checkpoint and stop at this iteration (re-run to resume)"),
       [&](Options& o) { o.stop_after = cli.stop_after; });
  flag(app.add_option("--batch", cli.batch, "samples per batch"), [&](Options& o) { o.batch = cli.batch; });
  flag(app.add_option("--patch", cli.patch, "crop side (multiple of 8)"), [&](Options& o) { o.patch = cli.patch; });
  flag(app.add_option("--lr", cli.learning_rate, "initial learning rate"), [&](Options& o) { o.learning_rate = cli.learning_rate; });
  flag(app.add_option("--checkpoint-every", cli.checkpoint_every, "iterations between checkpoints"),
       [&](Options& o) { o.checkpoint_every = cli.checkpoint_every; });
  flag(app.add_option("--checkpoint-minutes", cli.checkpoint_minutes, "also checkpoint after this many minutes"),
       [&](Options& o) { o.checkpoint_minutes = cli.checkpoint_minutes; });
  flag(app.add_option("--progress-every", cli.progress_every, "iterations between progress lines"),
       [&](Options& o) { o.progress_every = cli.progress_every; });
  flag(app.add_option("--threads", cli.threads, "CPU threads"), [&](Options& o) { o.threads = cli.threads; });
  flag(app.add_option("--device", cli.device, "cpu | cuda | cuda:N (CUDA needs the trainer built against a CUDA LibTorch)"),
       [&](Options& o) { o.device = cli.device; });
  flag(app.add_option("--precision", cli.precision, "fp32 | bf16 | fp16: the forward under autocast (fp16 on CUDA, loss-scaled)"),
       [&](Options& o) { o.precision = cli.precision; });
  flag(app.add_option("--seed", cli.seed, "random seed"), [&](Options& o) { o.seed = cli.seed; });
  flag(app.add_option("--synthetic-fraction", cli.synthetic_fraction, "share of samples from the stills"),
       [&](Options& o) { o.synthetic_fraction = cli.synthetic_fraction; });
  flag(app.add_option("--max-motion", cli.max_motion, "synthetic motion between frames 0 and 1, pixels"),
       [&](Options& o) { o.max_motion = cli.max_motion; });
  flag(app.add_option("--motion-crops", cli.motion_crops, "video crops drawn per sample; the one that moves most is kept"),
       [&](Options& o) { o.motion_crops = cli.motion_crops; });
  flag(app.add_option("--trained-on", cli.trained_on, "recorded in the model's vsr.trained_on"),
       [&](Options& o) { o.trained_on = cli.trained_on; });
  CLI11_PARSE(app, argc, argv);
  try {
    Options o;
    if (!config.empty()) vsr::train::load_interp_config(config, o);
    for (auto& [opt, apply] : given)
      if (opt->count() > 0) apply(o);
    const double psnr = vsr::train::train_interp(o);
    std::cout << "done; validation PSNR " << psnr << " dB" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "vsr-train-interp: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
