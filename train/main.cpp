// vsr-train: trains a super-resolution model (ESPCN, FSRCNN, SRVGGNetCompact, SRCNN, VDSR, EDSR, RCAN,
// CARN, SRResNet, RRDBNet, RDN) on image folders and
// exports ONNX for the engine. Settings come from a JSON config (--config), then the command line,
// which wins:
//   vsr-train --config train/configs/fsrcnn_x2.json --iterations 200000
//   vsr-train --data ../shared/datasets/T91 --validate ../shared/datasets/Set5 --out train-out --export m.onnx
// Re-running the same command resumes from the last checkpoint in --out.
#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>

#include "trainer.h"
#include "vsr/error.h"

int main(int argc, char** argv) {
  vsr::train::TrainOptions cli;
  std::string config;
  CLI::App app{"vsr-train: train a super-resolution model and export it as ONNX"};
  std::vector<std::pair<CLI::Option*, std::function<void(vsr::train::TrainOptions&)>>> given;
  // Each flag, and how it overrides the config when it is on the command line.
  auto flag = [&](CLI::Option* opt, std::function<void(vsr::train::TrainOptions&)> apply) {
    given.emplace_back(opt, std::move(apply));
    return opt;
  };
  app.add_option("--config", config, "JSON file of settings (keys: the long flags, with _ for -); flags override it");
  flag(app.add_option("--data", cli.data, "training image folder (repeatable)"), [&](auto& o) { o.data = cli.data; });
  flag(app.add_option("--validate", cli.validate, "folder scored with the standard protocol at each checkpoint"),
       [&](auto& o) { o.validate = cli.validate; });
  flag(app.add_option("--out", cli.out_dir, "checkpoint and log folder (resumed if present)"), [&](auto& o) { o.out_dir = cli.out_dir; });
  flag(app.add_option("--export", cli.export_path, "ONNX file written at each checkpoint"),
       [&](auto& o) { o.export_path = cli.export_path; });
  flag(app.add_option("--arch", cli.arch, "espcn, fsrcnn, srvgg, srcnn, vdsr, edsr, rcan, carn, srresnet, rrdb, rdn, drn, spsr, cdc or irn"), [&](auto& o) { o.arch = cli.arch; });
  flag(app.add_option("--scale", cli.scale, "upscaling factor (2 to 4)"), [&](auto& o) { o.scale = cli.scale; });
  flag(app.add_option("--features", cli.features, "the architecture's widths and depths (defaults shown): espcn: 64 32 (one width per hidden layer); "
                      "fsrcnn: 56 12 4 (d s m); srvgg: 64 16 (width, convs); srcnn: 64 32 (w1 w2); vdsr: 64 20 (width, depth); "
                      "edsr: 64 16 (width, blocks; EDSR-baseline) or 256 32 1 (a third value 1 scales residuals by 0.1; EDSR); "
                      "rcan: 64 10 20 16 (width, groups, blocks per group, attention reduction); "
                      "carn: 64 0 (width, mobile: 0 CARN, 1 CARN-M); srresnet: 64 16 (width, blocks); "
                      "rrdb: 64 23 32 (width, RRDB blocks, growth; ESRGAN); rdn: 64 16 8 64 (width, blocks, layers per block, growth); "
                      "drn: 16 30 (width, attention blocks per level; DRN-S, x2/x4, with its dual loop); spsr: 64 16 (width, blocks; "
                      "with the gradient branch); cdc: 64 8 (width, blocks; flat/edge/corner branches); "
                      "irn: 32 4 (width, coupling blocks per x2 stage; the invertible down/up-scaler pair, x2/x4)"),
       [&](auto& o) { o.features = cli.features; });
  flag(app.add_option("--loss", cli.loss, "l1, mse or charbonnier"), [&](auto& o) { o.loss = cli.loss; });
  flag(app.add_option("--ssim-weight", cli.extra_losses.ssim_weight, "weight of the 1 - SSIM term"),
       [&](auto& o) { o.extra_losses.ssim_weight = cli.extra_losses.ssim_weight; });
  flag(app.add_option("--gradient-weight", cli.extra_losses.gradient_weight, "weight of SPSR's gradient-profile term"),
       [&](auto& o) { o.extra_losses.gradient_weight = cli.extra_losses.gradient_weight; });
  flag(app.add_option("--perceptual-weight", cli.extra_losses.perceptual_weight, "weight of the VGG feature L1 term"),
       [&](auto& o) { o.extra_losses.perceptual_weight = cli.extra_losses.perceptual_weight; });
  flag(app.add_option("--texture-weight", cli.extra_losses.texture_weight, "weight of the Gram-matrix texture term"),
       [&](auto& o) { o.extra_losses.texture_weight = cli.extra_losses.texture_weight; });
  flag(app.add_option("--perceptual-weights", cli.extra_losses.perceptual_weights, "VGG19 features file for the perceptual/texture terms"),
       [&](auto& o) { o.extra_losses.perceptual_weights = cli.extra_losses.perceptual_weights; });
  flag(app.add_option("--gan-weight", cli.extra_losses.gan_weight, "weight of the relativistic average GAN term"),
       [&](auto& o) { o.extra_losses.gan_weight = cli.extra_losses.gan_weight; });
  flag(app.add_option("--discriminator", cli.extra_losses.discriminator, "vgg or unet (the GAN's critic)"),
       [&](auto& o) { o.extra_losses.discriminator = cli.extra_losses.discriminator; });
  flag(app.add_option("--dual-weight", cli.extra_losses.dual_weight, "weight of DRN's dual-regression term"),
       [&](auto& o) { o.extra_losses.dual_weight = cli.extra_losses.dual_weight; });
  flag(app.add_option("--degradation", cli.degradation, "bicubic (the standard protocol), classic, second_order (real-world) or video (second_order with H.264)"),
       [&](auto& o) { o.degradation = cli.degradation; });
  flag(app.add_option("--ema", cli.ema, "EMA decay of the weights (0 = off), e.g. 0.999"), [&](auto& o) { o.ema = cli.ema; });
  flag(app.add_option("--iterations", cli.iterations, "total iterations"), [&](auto& o) { o.iterations = cli.iterations; });
  flag(app.add_option("--batch", cli.batch, "patches per batch"), [&](auto& o) { o.batch = cli.batch; });
  flag(app.add_option("--patch", cli.lr_patch, "LR patch size"), [&](auto& o) { o.lr_patch = cli.lr_patch; });
  flag(app.add_option("--lr", cli.learning_rate, "initial learning rate"), [&](auto& o) { o.learning_rate = cli.learning_rate; });
  flag(app.add_option("--checkpoint-every", cli.checkpoint_every, "iterations between checkpoints"),
       [&](auto& o) { o.checkpoint_every = cli.checkpoint_every; });
  flag(app.add_option("--threads", cli.threads, "CPU threads"), [&](auto& o) { o.threads = cli.threads; });
  flag(app.add_option("--device", cli.device, "cpu | cuda | cuda:N (CUDA needs vsr-train built against a CUDA LibTorch)"),
       [&](auto& o) { o.device = cli.device; });
  flag(app.add_option("--precision", cli.precision, "fp32 | bf16 | fp16: the forward under autocast (fp16 on CUDA, loss-scaled)"),
       [&](auto& o) { o.precision = cli.precision; });
  flag(app.add_option("--seed", cli.seed, "random seed"), [&](auto& o) { o.seed = cli.seed; });
  flag(app.add_option("--init", cli.init, "model.pt or ema.pt of an earlier run, or its ONNX export (a zoo model), that a new run starts from"),
       [&](auto& o) { o.init = cli.init; });
  flag(app.add_flag("--init-partial", cli.init_partial,
                    "--init from another scale or width: load the parameters whose names and shapes match (EDSR's x4 from x2)"),
       [&](auto& o) { o.init_partial = cli.init_partial; });
  flag(app.add_option("--distill-until", cli.distillation.until,
                      "iteration where the teachers (config key 'teachers') stop supervising and the ground truth alone fine-tunes"),
       [&](auto& o) { o.distillation.until = cli.distillation.until; });
  flag(app.add_option("--blur-from", cli.blur_from,
                      "folder of LR footage frames (PNG) whose blur the classic degradation's kernel is fitted to"),
       [&](auto& o) { o.blur_from = cli.blur_from; });
  flag(app.add_option("--blur-prior", cli.blur_prior,
                      "the kernel family fitted to --blur-from: gaussian (anisotropic Gaussian) or flow (FKP's learned kernel prior)"),
       [&](auto& o) { o.blur_prior = cli.blur_prior; });
  flag(app.add_option("--trained-on", cli.trained_on, "recorded in the model's vsr.trained_on"),
       [&](auto& o) { o.trained_on = cli.trained_on; });
  CLI11_PARSE(app, argc, argv);
  try {
    vsr::train::TrainOptions o;
    if (!config.empty()) vsr::train::load_config(config, o);
    for (auto& [opt, apply] : given)
      if (opt->count() > 0) apply(o);
    const double psnr = vsr::train::train(o);
    std::cout << "done; validation PSNR " << psnr << " dB" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "vsr-train: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
