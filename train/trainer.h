// The training loop: any architecture of sr_model.h, L1/MSE/Charbonnier loss, Adam with cosine decay,
// an EMA of the weights (validated and exported when on), checkpoints that resume, validation with
// the standard protocol (Y-PSNR and SSIM), a CSV log and a progress line with ETA.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "distillation_settings.h"
#include "loss_settings.h"

namespace vsr::train {

template <typename Options>
class SettingsTable;  // settings_table.h

struct TrainOptions {
  std::vector<std::string> data;      // training image folders
  std::vector<std::string> lr_data;   // paired data: the LR folder of each data folder (empty: LR made from the HR)
  std::string validate;               // optional folder scored with the standard protocol
  std::string out_dir = "train-out";  // checkpoints and log
  std::string export_path;            // ONNX written at the end (and at each checkpoint)
  std::string arch = "espcn";         // train/sr_model.h: espcn | fsrcnn | srvgg | srcnn | vdsr | edsr | rcan | carn |
                                      // srresnet | rrdb | rdn
  int scale = 2;
  std::vector<int> features;          // the architecture's widths/depths (empty: its defaults)
  std::string loss = "l1";            // l1 | mse | charbonnier
  LossMixOptions extra_losses;        // weighted SSIM, gradient, perceptual, texture, GAN and dual terms
                                      // (loss_mix.h; its pixel and scale come from loss and scale)
  DistillationOptions distillation;   // trained teachers whose outputs also supervise (distillation.h)
  std::string degradation = "bicubic";  // bicubic | classic | second_order | video (HR-only folders, LR made on the fly)
  double ema = 0.0;                   // EMA decay of the weights (0 = off), e.g. 0.999
  int iterations = 20000;
  int batch = 16;
  int lr_patch = 32;
  double learning_rate = 1e-3;
  int checkpoint_every = 500;
  int threads = 2;
  int loader_threads = 1;             // threads that make the next batch while one trains (decoding, degradations)
  std::string device = "cpu";         // cpu | cuda | cuda:N (mixed_precision.h; CUDA needs a CUDA LibTorch)
  std::string precision = "fp32";     // fp32 | bf16 | fp16: the forward under autocast (fp16: CUDA only,
                                      // with dynamic loss scaling); weights, losses, optimiser stay fp32
  uint64_t seed = 1;
  std::string trained_on;             // recorded in the model's vsr.trained_on
  std::string blur_from;              // a folder of the user's LR footage frames (PNG): the classic
                                      // degradation's blur is fixed to match theirs (kernel_estimation.h)
  std::string blur_prior = "gaussian";  // the kernel family fitted to blur_from: gaussian (anisotropic
                                      // Gaussian, kernel_estimation.h) | flow (FKP's learned prior, kernel_prior.h)
  std::string init;                   // weights (model.pt/ema.pt of an earlier run, same arch, or its .onnx
                                      // export: a zoo model, export_readback.h) that a new run starts
                                      // from, as BasicSR's pretrain_network_g: Real-ESRGAN's GAN stage
                                      // starts from its L1 model. Ignored when resuming.
  bool init_partial = false;          // `init` may be another scale's or width's: the parameters whose
                                      // names and shapes match load, the rest keep their initialisation
};

// Trains (resuming from out_dir if a checkpoint is there) and exports. Returns the last validation
// PSNR (NaN without a validation folder).
double train(const TrainOptions& options);

// Every setting of the config and the command line (settings_table.h).
const SettingsTable<TrainOptions>& train_settings();

// Reads a JSON config file into `options` (command-line flags are applied after it, so they win).
// Unknown keys, wrong types and bad values throw vsr::Error naming the file and the key.
void load_config(const std::string& path, TrainOptions& options);
// Throws vsr::Error naming the setting that is out of range.
void check_options(const TrainOptions& options);
// The loss names train() knows.
std::vector<std::string> loss_names();

}  // namespace vsr::train
