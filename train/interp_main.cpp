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
  app.add_option("--config", config, "JSON file of settings (keys: the long flags, with _ for -); flags override it");
  // A flag for every setting of the config (its key with - for _), overriding it only when given.
  vsr::train::ConfigFlags<Options> flags(app, vsr::train::interp_settings());
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
