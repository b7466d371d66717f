// vsr-eval: scores a model (or MATLAB bicubic) on an image folder with the standard SR protocol:
// HR cropped to a multiple of the scale, LR by MATLAB bicubic, PSNR/SSIM on BT.601 Y with `scale`
// pixels shaved. Example:
//   vsr-eval --model models/zoo/espcn_x2.onnx --data ../shared/datasets/Set5
//   vsr-eval --bicubic --scale 2 --data ../shared/datasets/Set5      (must print 33.66-33.69)
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "image_frame.h"
#include "imresize.h"
#include "metrics.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

int main(int argc, char** argv) {
  std::string model, data;
  int scale = 0, threads = 0;
  bool bicubic = false;
  CLI::App app{"vsr-eval: PSNR/SSIM with the standard super-resolution protocol"};
  app.add_option("--model", model, "ONNX model (file or shipped name) to score");
  app.add_flag("--bicubic", bicubic, "score MATLAB bicubic upscaling instead of a model");
  app.add_option("--data", data, "folder of HR PNG images")->required();
  app.add_option("--scale", scale, "scale (default: the model's)");
  app.add_option("--threads", threads, "CPU threads (0 = all)");
  CLI11_PARSE(app, argc, argv);
  try {
    std::unique_ptr<vsr::Engine> engine;
    if (!bicubic) {
      if (model.empty()) throw vsr::Error("give --model or --bicubic");
      vsr::EngineOptions o;
      o.threads = threads;
      engine = vsr::Engine::open(vsr::resolve_model(model), o);
      if (scale == 0) scale = engine->info().scale;
      if (scale != engine->info().scale)
        throw vsr::Error("--scale " + std::to_string(scale) + " differs from the model's x" + std::to_string(engine->info().scale));
    }
    if (scale < 2) throw vsr::Error("give --scale (2, 3 or 4) for --bicubic");
    double psnr_sum = 0, ssim_sum = 0;
    const auto files = vsr::list_png_files(data);
    if (files.empty()) throw vsr::Error("no PNG images in '" + data + "'");
    std::printf("%-24s %8s %8s\n", "image", "PSNR", "SSIM");
    for (const auto& f : files) {
      bool grey = false;
      vsr::Image8 hr = vsr::modcrop(vsr::read_png_rgb(f, &grey), scale);
      vsr::Image8 lr = vsr::imresize_bicubic(hr, 1.0 / scale);
      vsr::Image8 sr;
      if (bicubic) {
        sr = vsr::imresize_bicubic(lr, double(scale));
      } else {
        sr = vsr::blank_rgb(hr.width, hr.height);
        engine->process(vsr::frame_of(lr), vsr::frame_of(sr));
      }
      const auto a = vsr::luma_bt601(sr, grey), b = vsr::luma_bt601(hr, grey);
      const double p = vsr::psnr(a, b, scale), s = vsr::ssim(a, b, scale);
      psnr_sum += p;
      ssim_sum += s;
      std::printf("%-24s %8.3f %8.4f\n", std::filesystem::path(f).filename().c_str(), p, s);
    }
    std::printf("%-24s %8.3f %8.4f\n", "mean", psnr_sum / files.size(), ssim_sum / files.size());
  } catch (const std::exception& e) {
    std::cerr << "vsr-eval: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
