// vsr-train: trains an ESPCN-class x2/x3/x4 model on image folders and exports ONNX for the engine.
//   vsr-train --data ../shared/datasets/T91 --data ../shared/datasets/BSD200
//             --validate ../shared/datasets/Set5 --out train-out --export model.onnx
// Re-running the same command resumes from the last checkpoint in --out.
#include <CLI/CLI.hpp>

#include <iostream>

#include "trainer.h"
#include "vsr/error.h"

int main(int argc, char** argv) {
  vsr::train::TrainOptions o;
  CLI::App app{"vsr-train: train a super-resolution model and export it as ONNX"};
  app.add_option("--data", o.data, "training image folder (repeatable)")->required();
  app.add_option("--validate", o.validate, "folder scored with the standard protocol at each checkpoint");
  app.add_option("--out", o.out_dir, "checkpoint and log folder (resumed if present)");
  app.add_option("--export", o.export_path, "ONNX file written at each checkpoint");
  app.add_option("--scale", o.scale, "upscaling factor")->check(CLI::Range(2, 4));
  app.add_option("--features", o.features, "hidden widths, e.g. --features 64 32");
  app.add_option("--iterations", o.iterations, "total iterations")->check(CLI::PositiveNumber);
  app.add_option("--batch", o.batch, "patches per batch")->check(CLI::PositiveNumber);
  app.add_option("--patch", o.lr_patch, "LR patch size")->check(CLI::Range(8, 512));
  app.add_option("--lr", o.learning_rate, "initial learning rate");
  app.add_option("--checkpoint-every", o.checkpoint_every, "iterations between checkpoints")->check(CLI::PositiveNumber);
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "random seed");
  app.add_option("--trained-on", o.trained_on, "recorded in the model's vsr.trained_on");
  CLI11_PARSE(app, argc, argv);
  try {
    const double psnr = vsr::train::train_espcn(o);
    std::cout << "done; validation PSNR " << psnr << " dB" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "vsr-train: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
