// vsr-train-video's training loop for video super-resolution: sequences from
// video_sequence_dataset.h, the causal recurrent network (recurrent_net.h) trained through time over
// each sequence (or, as the same-data single-frame control, any sr_model.h architecture on every frame
// alone), the pixel loss averaged over the frames, Adam with cosine decay, an EMA of the weights
// (validated and exported), checkpoints that resume exactly (model, EMA, optimizer, iteration, sampler
// state), validation on held-back sequence folders, a CSV log with curves, train.log, a progress line
// with ETA, and the ONNX at each checkpoint.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vsr::train {

template <typename Options>
class SettingsTable;  // settings_table.h

struct VideoTrainOptions {
  std::vector<std::string> videos;    // video files (their last 15% is never used) or folders of frame
                                      // folders (all used; training_clips.h)
  std::vector<std::string> photos;    // folders of stills for synthetic pans
  std::vector<std::string> validate;  // folders of sequence folders; the first is val_psnr
  int validate_frames = 0;            // at most this many frames of each validation sequence (0 = all)
  std::string out_dir = "out/train-video";
  std::string export_path;            // ONNX written at each checkpoint
  std::string arch = "recurrent";     // recurrent, window, or a single-frame architecture of sr_model.h (the control)
  int scale = 4;
  std::vector<int> features;          // recurrent: [width, convs, hidden] (32 5 16); window: [width, convs,
                                      // flow_width] (32 4 16); others: sr_model.h
  std::string loss = "l1";            // l1 | mse | charbonnier
  double ema = 0.999;                 // EMA decay (0 = off)
  int iterations = 10000;
  int stop_after = 0;                 // > 0: checkpoint and stop here (the schedule still spans `iterations`)
  int batch = 8;
  int frames = 6;                     // sequence length trained through
  int patch = 32;                     // LR crop side
  double learning_rate = 1e-3;
  int checkpoint_every = 1000;        // iterations
  double checkpoint_minutes = 5.0;    // also checkpoint when this much time has passed since the last
  int progress_every = 50;            // iterations between progress lines
  int threads = 1;
  int loader_threads = 1;             // threads that make a batch's LR frames (beside the next-batch thread)
  std::string device = "cpu";         // cpu | cuda | cuda:N (device_settings.h; CUDA needs a CUDA LibTorch)
  std::string precision = "fp32";     // fp32 | bf16 | fp16: the forward under autocast (fp16: CUDA only, loss-scaled)
  uint64_t seed = 1;
  double synthetic_fraction = 0.5;
  double max_step = 6.0;              // synthetic pans: HR pixels per frame
  std::string trained_on;             // recorded in the model's vsr.trained_on
};

// Trains (resuming from out_dir when a checkpoint is there) and exports. Returns the last validation
// PSNR of the first validation folder (NaN without one).
double train_video(const VideoTrainOptions& options);

// Every setting of the config and the command line (settings_table.h).
const SettingsTable<VideoTrainOptions>& video_settings();

// Reads a JSON config into `options`. Unknown keys, wrong types and bad values throw vsr::Error naming
// the file and the key.
void load_video_config(const std::string& path, VideoTrainOptions& options);
// Throws vsr::Error naming the setting that is out of range.
void check_video_options(const VideoTrainOptions& options);

}  // namespace vsr::train
