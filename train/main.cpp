// vsr-train: trains a super-resolution model (ESPCN, FSRCNN, SRVGGNetCompact, SRCNN, VDSR, EDSR, RCAN,
// CARN, SRResNet, RRDBNet, RDN) on image folders and
// exports ONNX for the engine. Settings come from a JSON config (--config), then the command line,
// which wins:
//   vsr-train --config train/configs/fsrcnn_x2.json --iterations 200000
//   vsr-train --data ../shared/datasets/T91 --validate ../shared/datasets/Set5 --out train-out --export m.onnx
// Re-running the same command resumes from the last checkpoint in --out.
#include <CLI/CLI.hpp>

#include <iostream>

#include "config_flags.h"
#include "trainer.h"
#include "vsr/error.h"

int main(int argc, char** argv) {
  using TrainOptions = vsr::train::TrainOptions;
  std::string config;
  CLI::App app{"vsr-train: train a super-resolution model and export it as ONNX"};
  app.add_option("--config", config, "JSON file of settings (keys: the long flags, with _ for -); flags override it");
  // A flag for every setting of the config (its key with - for _), overriding it only when given.
  vsr::train::ConfigFlags<TrainOptions> flags(app, vsr::train::train_settings());
  CLI11_PARSE(app, argc, argv);
  try {
    TrainOptions o;
    if (!config.empty()) vsr::train::load_config(config, o);
    flags.apply_given(o);
    const double psnr = vsr::train::train(o);
    std::cout << "done; validation PSNR " << psnr << " dB" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "vsr-train: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
