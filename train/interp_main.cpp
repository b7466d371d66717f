// vsr-train-interp: trains the frame-interpolation network (train/interp_net.h) on video files (their
// last 15% held back for evaluation) and synthetic motion from stills, and exports ONNX for
// vsr::Interpolator. Settings come from a JSON config (--config), then the command line, which wins:
//   vsr-train-interp --config train/configs/interp_x1.json
//   vsr-train-interp --videos a.avi --photos stills/ --validate triplets/ --out out/x --export x.onnx
// Re-running the same command resumes from the last checkpoint in --out.
#include <CLI/CLI.hpp>

#include <iostream>

#include "config_flags.h"
#include "interp_trainer.h"
#include "vsr/error.h"

int main(int argc, char** argv) {
  using Options = vsr::train::InterpTrainOptions;
  std::string config;
  CLI::App app{"vsr-train-interp: train a frame-interpolation model and export it as ONNX"};
  vsr::train::ConfigFlags<Options> flags(app);  // each flag overrides the config only when given
  app.add_option("--config", config, "JSON file of settings (keys: the long flags, with _ for -); flags override it");
  flags.option("--videos", &Options::videos, "training video (repeatable; its last 15% is never used)");
  flags.option("--photos", &Options::photos, "folder of JPEG or PNG stills for synthetic motion (repeatable)");
  flags.option("--validate", &Options::validate,
               "triplet folder scored at each checkpoint (repeatable; the first is val_psnr)");
  flags.option("--out", &Options::out_dir, "checkpoint and log folder (resumed if present)");
  flags.option("--export", &Options::export_path, "ONNX file written at each checkpoint");
  flags.option("--features", &Options::features,
               "width1 width2 width3 body refine_width [half_width [refine_layers [stage2_width [stage2_body]]]] "
               "(default 32 64 80 5 16)");
  flags.option("--init", &Options::init,
               "ONNX export to start from (same-named parameters; a new second stage starts at zero)");
  flags.option("--loss", &Options::loss, "l1, charbonnier or mse");
  flags.option("--gradient-weight", &Options::gradient_weight, "weight of the image-gradient L1 term");
  flags.option("--flow-weight", &Options::flow_weight, "weight of the flow L1 term on synthetic samples");
  flags.option("--ema", &Options::ema, "EMA decay of the weights (0 = off)");
  flags.option("--iterations", &Options::iterations, "total iterations");
  flags.option("--stop-after", &Options::stop_after, "checkpoint and stop at this iteration (re-run to resume)");
  flags.option("--batch", &Options::batch, "samples per batch");
  flags.option("--patch", &Options::patch, "crop side (multiple of 8)");
  flags.option("--lr", &Options::learning_rate, "initial learning rate");
  flags.option("--checkpoint-every", &Options::checkpoint_every, "iterations between checkpoints");
  flags.option("--checkpoint-minutes", &Options::checkpoint_minutes, "also checkpoint after this many minutes");
  flags.option("--progress-every", &Options::progress_every, "iterations between progress lines");
  flags.option("--threads", &Options::threads, "CPU threads");
  flags.option("--device", &Options::device,
               "cpu | cuda | cuda:N (CUDA needs the trainer built against a CUDA LibTorch)");
  flags.option("--precision", &Options::precision,
               "fp32 | bf16 | fp16: the forward under autocast (fp16 on CUDA, loss-scaled)");
  flags.option("--seed", &Options::seed, "random seed");
  flags.option("--synthetic-fraction", &Options::synthetic_fraction, "share of samples from the stills");
  flags.option("--max-motion", &Options::max_motion, "synthetic motion between frames 0 and 1, pixels");
  flags.option("--motion-crops", &Options::motion_crops,
               "video crops drawn per sample; the one that moves most is kept");
  flags.option("--trained-on", &Options::trained_on, "recorded in the model's vsr.trained_on");
  CLI11_PARSE(app, argc, argv);
  try {
    Options o;
    if (!config.empty()) vsr::train::load_interp_config(config, o);
    flags.apply_given(o);
    const double psnr = vsr::train::train_interp(o);
    std::cout << "done; validation PSNR " << psnr << " dB" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "vsr-train-interp: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
