// vsr-train-interp's training loop for the frame-interpolation network (interp_net.h): samples from
// frame_sequence_dataset.h, L1 (or Charbonnier) loss plus optional gradient and flow terms, Adam with
// cosine decay, an EMA of the weights (validated and exported), checkpoints every few minutes that
// resume exactly (model, EMA, optimizer, iteration, sampler state), validation on triplet folders
// (Y-PSNR/SSIM at t = 0.5), a CSV log, train.log, a progress line with ETA, and the ONNX at each
// checkpoint.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vsr::train {

template <typename Options>
class SettingsTable;  // settings_table.h

struct InterpTrainOptions {
  std::vector<std::string> videos;    // video files (their last 15% is never used) or folders of frame
                                      // folders (all used; training_clips.h)
  std::vector<std::string> photos;    // folders of JPEG stills for synthetic motion
  std::vector<std::string> validate;  // triplet folders (each subfolder: 3 PNGs in name order); the first is val_psnr
  std::string out_dir = "out/train-interp";
  std::string export_path;            // ONNX written at each checkpoint
  std::vector<int> features;          // interp_net.h: [width1, width2, width3, body, refine width, ...]
  std::string init;                   // a run's or the zoo's ONNX export to start from (parameters of the same
                                      // names and shapes; a second flow stage added to it starts at zero)
  std::string loss = "l1";            // l1 | charbonnier | mse (PSNR's own measure: where motion is ambiguous
                                      // it prefers the mean of the candidates to the sharpest one)
  double gradient_weight = 0.0;       // L1 of the image gradients' difference
  double flow_weight = 0.01;          // L1 (pixels) against the true flows of synthetic samples
  double ema = 0.999;                 // EMA decay (0 = off)
  int iterations = 10000;
  int stop_after = 0;                 // > 0: checkpoint and stop at this iteration (the schedule still
                                      // spans `iterations`; re-running resumes)
  int batch = 8;
  int patch = 128;
  double learning_rate = 5e-4;
  int checkpoint_every = 1000;        // iterations
  double checkpoint_minutes = 5.0;    // also checkpoint when this much time has passed since the last
  int progress_every = 50;            // iterations between progress lines
  int threads = 1;
  std::string device = "cpu";         // cpu | cuda | cuda:N (device_settings.h; CUDA needs a CUDA LibTorch)
  std::string precision = "fp32";     // fp32 | bf16 | fp16: the forward under autocast (fp16: CUDA only, loss-scaled)
  uint64_t seed = 1;
  double synthetic_fraction = 0.3;
  double max_motion = 24.0;           // synthetic motion, pixels between frames 0 and 1
  int motion_crops = 1;               // video crops drawn per sample; the one that moves most is kept
  std::string trained_on;             // recorded in the model's vsr.trained_on
};

// Trains (resuming from out_dir when a checkpoint is there) and exports. Returns the last validation
// PSNR of the first validation folder (NaN without one).
double train_interp(const InterpTrainOptions& options);

// Every setting of the config and the command line (settings_table.h).
const SettingsTable<InterpTrainOptions>& interp_settings();

// Reads a JSON config into `options` (command-line flags are applied after it, so they win).
// Unknown keys, wrong types and bad values throw vsr::Error naming the file and the key.
void load_interp_config(const std::string& path, InterpTrainOptions& options);
// Throws vsr::Error naming the setting that is out of range.
void check_interp_options(const InterpTrainOptions& options);

}  // namespace vsr::train
