// vsr-train-video: trains the causal recurrent video SR network (train/recurrent_net.h) on sequences
// from video files (their last 15% held back) and synthetic pans over stills, and exports ONNX that
// vsr::Engine streams with its state carried between frames. Settings come from a JSON config
// (--config), then the command line, which wins:
//   vsr-train-video --config train/configs/recurrent_x4.json
// Re-running the same command resumes from the last checkpoint in --out. With --make-sequences it
// instead writes held-back synthetic sequences (pans over the --photos stills) as PNG folders:
//   vsr-train-video --make-sequences out/video-eval/synthetic --photos stills/ --count 8 --frames 12
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

#include "config_flags.h"
#include "eval/image.h"
#include "stills.h"
#include "synthetic_motion.h"
#include "video_trainer.h"
#include "vsr/error.h"

namespace {

vsr::Image8 to_image8(const std::vector<float>& planar, int size) {
  vsr::Image8 img{size, size, 3, std::vector<uint8_t>(static_cast<size_t>(size) * size * 3)};
  const size_t plane = static_cast<size_t>(size) * size;
  for (size_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c)
      img.pixels[3 * i + c] = static_cast<uint8_t>(std::lround(std::clamp(planar[c * plane + i], 0.0f, 1.0f) * 255.0f));
  return img;
}

// `count` pans over the stills large enough for them (taken in turn), `frames` frames of size x size each, into
// DIR/<still>_<i>/.
void make_sequences(const std::string& dir, const std::vector<std::string>& photos, int count, int frames, int size,
                    double max_step, uint64_t seed) {
  const auto stills = vsr::train::load_stills(photos, 2);
  if (stills.empty()) throw vsr::Error("--make-sequences: no JPEG or PNG stills in --photos");
  std::vector<const vsr::Image8*> usable;
  for (const auto& still : stills)
    if (vsr::train::fits_synthetic_sequence(still, size, frames, max_step)) usable.push_back(&still);
  if (usable.empty())
    throw vsr::Error("--make-sequences: no still is large enough for " + std::to_string(size) + "-pixel pans");
  std::mt19937_64 rng(seed);
  for (int i = 0; i < count; ++i) {
    const auto seq = vsr::train::synthetic_sequence(*usable[i % usable.size()], size, frames, max_step, rng);
    std::ostringstream name;
    name << dir << "/pan_" << std::setw(3) << std::setfill('0') << i;
    std::filesystem::create_directories(name.str());
    for (int k = 0; k < frames; ++k) {
      std::ostringstream file;
      file << name.str() << "/frame_" << std::setw(3) << std::setfill('0') << k << ".png";
      vsr::write_png(file.str(), to_image8(seq[k], size));
    }
  }
  std::cerr << "wrote " << count << " sequences of " << frames << " frames (" << size << "x" << size << ") to " << dir
            << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  using Options = vsr::train::VideoTrainOptions;
  std::string config, sequences_dir;
  int count = 8, size = 192;
  CLI::App app{
      "vsr-train-video: train a recurrent or sliding-window video super-resolution model and export it as ONNX"};
  app.add_option("--config", config, "JSON file of settings (keys: the long flags, with _ for -); flags override it");
  app.add_option("--make-sequences", sequences_dir,
                 "write synthetic pans over --photos as PNG sequence folders here, then exit");
  app.add_option("--count", count, "--make-sequences: how many sequences");
  app.add_option("--size", size, "--make-sequences: frame side in pixels");
  // A flag for every setting of the config (its key with - for _), overriding it only when given.
  vsr::train::ConfigFlags<Options> flags(app, vsr::train::video_settings());
  CLI11_PARSE(app, argc, argv);
  try {
    Options o;
    if (!config.empty()) vsr::train::load_video_config(config, o);
    flags.apply_given(o);
    if (!sequences_dir.empty()) {
      make_sequences(sequences_dir, o.photos, count, o.frames, size, o.max_step, o.seed);
      return 0;
    }
    const double psnr = vsr::train::train_video(o);
    std::cout << "done; validation PSNR " << psnr << " dB" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "vsr-train-video: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
