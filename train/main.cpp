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
  vsr::train::ConfigFlags<TrainOptions> flags(app);  // each flag overrides the config only when given
  app.add_option("--config", config, "JSON file of settings (keys: the long flags, with _ for -); flags override it");
  flags.option("--data", &TrainOptions::data, "training image folder (repeatable)");
  flags.option("--validate", &TrainOptions::validate, "folder scored with the standard protocol at each checkpoint");
  flags.option("--out", &TrainOptions::out_dir, "checkpoint and log folder (resumed if present)");
  flags.option("--export", &TrainOptions::export_path, "ONNX file written at each checkpoint");
  flags.option("--arch", &TrainOptions::arch,
               "espcn, fsrcnn, srvgg, srcnn, vdsr, edsr, rcan, carn, srresnet, rrdb, rdn, drn, spsr, cdc or irn");
  flags.option("--scale", &TrainOptions::scale, "upscaling factor (2 to 4)");
  flags.option(
      "--features", &TrainOptions::features,
      "the architecture's widths and depths (defaults shown): espcn: 64 32 (one width per hidden layer); "
      "fsrcnn: 56 12 4 (d s m); srvgg: 64 16 (width, convs); srcnn: 64 32 (w1 w2); vdsr: 64 20 (width, depth); "
      "edsr: 64 16 (width, blocks; EDSR-baseline) or 256 32 1 (a third value 1 scales residuals by 0.1; EDSR); "
      "rcan: 64 10 20 16 (width, groups, blocks per group, attention reduction); "
      "carn: 64 0 (width, mobile: 0 CARN, 1 CARN-M); srresnet: 64 16 (width, blocks); "
      "rrdb: 64 23 32 (width, RRDB blocks, growth; ESRGAN); rdn: 64 16 8 64 (width, blocks, layers per block, growth); "
      "drn: 16 30 (width, attention blocks per level; DRN-S, x2/x4, with its dual loop); spsr: 64 16 (width, blocks; "
      "with the gradient branch); cdc: 64 8 (width, blocks; flat/edge/corner branches); "
      "irn: 32 4 (width, coupling blocks per x2 stage; the invertible down/up-scaler pair, x2/x4)");
  flags.option("--loss", &TrainOptions::loss, "l1, mse or charbonnier");
  flags.option(
      "--ssim-weight", [](TrainOptions & o) -> auto& { return o.extra_losses.ssim_weight; },
      "weight of the 1 - SSIM term");
  flags.option(
      "--gradient-weight", [](TrainOptions & o) -> auto& { return o.extra_losses.gradient_weight; },
      "weight of SPSR's gradient-profile term");
  flags.option(
      "--perceptual-weight", [](TrainOptions & o) -> auto& { return o.extra_losses.perceptual_weight; },
      "weight of the VGG feature L1 term");
  flags.option(
      "--texture-weight", [](TrainOptions & o) -> auto& { return o.extra_losses.texture_weight; },
      "weight of the Gram-matrix texture term");
  flags.option(
      "--perceptual-weights", [](TrainOptions & o) -> auto& { return o.extra_losses.perceptual_weights; },
      "VGG19 features file for the perceptual/texture terms");
  flags.option(
      "--gan-weight", [](TrainOptions & o) -> auto& { return o.extra_losses.gan_weight; },
      "weight of the relativistic average GAN term");
  flags.option(
      "--discriminator", [](TrainOptions & o) -> auto& { return o.extra_losses.discriminator; },
      "vgg or unet (the GAN's critic)");
  flags.option(
      "--dual-weight", [](TrainOptions & o) -> auto& { return o.extra_losses.dual_weight; },
      "weight of DRN's dual-regression term");
  flags.option(
      "--degradation", &TrainOptions::degradation,
      "bicubic (the standard protocol), classic, second_order (real-world) or video (second_order with H.264)");
  flags.option("--ema", &TrainOptions::ema, "EMA decay of the weights (0 = off), e.g. 0.999");
  flags.option("--iterations", &TrainOptions::iterations, "total iterations");
  flags.option("--batch", &TrainOptions::batch, "patches per batch");
  flags.option("--patch", &TrainOptions::lr_patch, "LR patch size");
  flags.option("--lr", &TrainOptions::learning_rate, "initial learning rate");
  flags.option("--checkpoint-every", &TrainOptions::checkpoint_every, "iterations between checkpoints");
  flags.option("--threads", &TrainOptions::threads, "CPU threads");
  flags.option("--device", &TrainOptions::device,
               "cpu | cuda | cuda:N (CUDA needs vsr-train built against a CUDA LibTorch)");
  flags.option("--precision", &TrainOptions::precision,
               "fp32 | bf16 | fp16: the forward under autocast (fp16 on CUDA, loss-scaled)");
  flags.option("--seed", &TrainOptions::seed, "random seed");
  flags.option("--init", &TrainOptions::init,
               "model.pt or ema.pt of an earlier run, or its ONNX export (a zoo model), that a new run starts from");
  flags.flag(
      "--init-partial", &TrainOptions::init_partial,
      "--init from another scale or width: load the parameters whose names and shapes match (EDSR's x4 from x2)");
  flags.option(
      "--distill-until", [](TrainOptions & o) -> auto& { return o.distillation.until; },
      "iteration where the teachers (config key 'teachers') stop supervising and the ground truth alone fine-tunes");
  flags.option("--blur-from", &TrainOptions::blur_from,
               "folder of LR footage frames (PNG) whose blur the classic degradation's kernel is fitted to");
  flags.option(
      "--blur-prior", &TrainOptions::blur_prior,
      "the kernel family fitted to --blur-from: gaussian (anisotropic Gaussian) or flow (FKP's learned kernel prior)");
  flags.option("--trained-on", &TrainOptions::trained_on, "recorded in the model's vsr.trained_on");
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
