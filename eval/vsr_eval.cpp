// vsr-eval: scores models (and the bicubic and Lanczos baselines) on an image folder with the standard
// SR protocol: HR cropped to a multiple of the scale, LR by MATLAB bicubic, PSNR/SSIM on BT.601 Y with
// `scale` pixels shaved. Every method of one run sees the same images, side by side:
//   vsr-eval --model models/zoo/espcn_x2.onnx --bicubic --lanczos --data ../shared/datasets/Set5
//            --json out/eval.json --markdown out/eval.md --html out/eval-report   (one line)
//   vsr-eval --bicubic --scale 2 --data ../shared/datasets/Set5      (must print 33.66-33.69)
// Real footage has no HR: `--real DIR` takes a folder of video frames as they are as the LR input and
// shows every method's output on them in the HTML report's second section (crops only, no scores):
//   vsr-eval --real out/real-frames --model srvgg_x2 --bicubic --html out/real-report
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "image_frame.h"
#include "imresize.h"
#include "report.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace {

struct Method {
  std::string name;
  vsr::Upscaler upscale;
};

// The name a folder goes by in the report: its last component, even when given with a trailing '/'.
std::string folder_name(const std::string& folder) {
  std::string name = std::filesystem::path(folder).filename().string();
  if (name.empty()) name = std::filesystem::path(folder).parent_path().filename().string();
  return name;
}

// The combinations of options that cannot work, caught before any model is loaded.
void check_options(const std::string& data, const std::vector<std::string>& real, const std::string& json,
                   const std::string& markdown, const std::string& html) {
  if (data.empty() && real.empty())
    throw vsr::Error("give --data (a folder of HR images to score) or --real (a folder of video frames to show), or both");
  if (!real.empty() && html.empty())
    throw vsr::Error("--real frames are only shown in the HTML report: give --html DIR too");
  if (data.empty() && (!json.empty() || !markdown.empty()))
    throw vsr::Error("--json and --markdown write scores, which need --data (--real footage has no ground truth)");
}

// The baselines asked for, then each model, all upscaling by `scale`.
std::vector<Method> make_methods(const std::vector<std::unique_ptr<vsr::Engine>>& engines, bool bicubic, bool lanczos,
                                 int scale) {
  std::vector<Method> methods;
  const double s = scale;
  if (bicubic) methods.push_back({"bicubic", [s](const vsr::Image8& lr) { return vsr::imresize(lr, s, vsr::ResizeFilter::Bicubic); }});
  if (lanczos) methods.push_back({"lanczos3", [s](const vsr::Image8& lr) { return vsr::imresize(lr, s, vsr::ResizeFilter::Lanczos3); }});
  for (const auto& engine : engines) {
    vsr::Engine* e = engine.get();
    const std::string name = std::filesystem::path(e->info().path).stem().string();
    methods.push_back({name, [e, scale](const vsr::Image8& lr_in) {
                         vsr::Image8 lr = lr_in, sr = vsr::blank_rgb(lr.width * scale, lr.height * scale);
                         e->reset();  // every image a stream of its own (multi-frame models too)
                         if (!e->push(vsr::frame_of(lr), vsr::frame_of(sr)) && !e->drain(vsr::frame_of(sr)))
                           throw vsr::Error("no output from the model");
                         return sr;
                       }});
  }
  return methods;
}

// The terminal table: one row per image, one column per method.
void print_scores(const vsr::Report& report) {
  std::printf("%-20s", "image");
  for (const auto& m : report.methods) std::printf(" %22s", (m.method + " PSNR/SSIM").c_str());
  std::printf("\n");
  for (size_t i = 0; i < report.methods.front().images.size(); ++i) {
    std::printf("%-20s", report.methods.front().images[i].image.c_str());
    for (const auto& m : report.methods) std::printf(" %13.3f / %6.4f", m.images[i].psnr, m.images[i].ssim);
    std::printf("\n");
  }
  std::printf("%-20s", "mean");
  for (const auto& m : report.methods) std::printf(" %13.3f / %6.4f", m.mean_psnr, m.mean_ssim);
  std::printf("\n");
}

// Crops of one real frame: the window is picked on the bicubic upscale (a stand-in for every method's
// output that does not depend on which methods run), with its side and corner on the LR grid so the
// input's window enlarged by nearest neighbour covers exactly the same area.
vsr::RealFrameCrops real_frame_crops(const std::string& file, const std::string& name, const std::vector<Method>& methods,
                                     int scale, int crop_side) {
  const vsr::Image8 frame = vsr::read_png_rgb(file);
  const int lr_side = std::max(1, crop_side / scale), lr_step = std::max(1, lr_side / 4);  // a coarse grid: 4 steps a window
  const vsr::Image8 bicubic = vsr::imresize(frame, scale, vsr::ResizeFilter::Bicubic);
  vsr::RealFrameCrops crops;
  crops.frame = name;
  crops.width = frame.width;
  crops.height = frame.height;
  crops.window = vsr::busiest_window(bicubic, lr_side * scale, lr_step * scale);
  const vsr::CropWindow& w = crops.window;
  crops.by_method[vsr::kRealInputCrop] =
      vsr::upscale_nearest(vsr::crop(frame, {w.x / scale, w.y / scale, w.width / scale, w.height / scale}), scale);
  for (const auto& m : methods) {
    const vsr::Image8 sr = m.upscale(frame);
    if (sr.width != frame.width * scale || sr.height != frame.height * scale)
      throw vsr::Error(m.name + " made " + std::to_string(sr.width) + "x" + std::to_string(sr.height) + " from '" + file +
                       "', expected " + std::to_string(frame.width * scale) + "x" + std::to_string(frame.height * scale));
    crops.by_method[m.name] = vsr::crop(sr, w);
  }
  return crops;
}

// Every frame of every --real folder through every method, one terminal line per frame.
vsr::RealFootage real_footage(const std::vector<std::string>& folders, const std::vector<Method>& methods, int scale,
                              int crop_side) {
  vsr::RealFootage real;
  real.scale = scale;
  for (const auto& m : methods) real.methods.push_back(m.name);
  for (const auto& folder : folders) {
    if (!std::filesystem::is_directory(folder)) throw vsr::Error("no folder '" + folder + "' (--real)");
    const auto files = vsr::list_png_files(folder);
    if (files.empty()) throw vsr::Error("no PNG images in '" + folder + "' (--real)");
    for (const auto& file : files) {
      const std::string name = folder_name(folder) + "/" + std::filesystem::path(file).filename().string();
      real.frames.push_back(real_frame_crops(file, name, methods, scale, crop_side));
      const auto& f = real.frames.back();
      std::printf("real %-40s %dx%d, crop %dx%d at (%d, %d) of the x%d output\n", name.c_str(), f.width, f.height,
                  f.window.width, f.window.height, f.window.x, f.window.y, scale);
    }
  }
  return real;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> models, real;
  std::string data, json, markdown, html;
  int scale = 0, threads = 0, crop = 96;
  bool bicubic = false, lanczos = false;
  CLI::App app{"vsr-eval: PSNR/SSIM with the standard super-resolution protocol"};
  app.add_option("--model", models, "ONNX model (file or shipped name) to score (repeatable)");
  app.add_flag("--bicubic", bicubic, "score MATLAB bicubic upscaling too");
  app.add_flag("--lanczos", lanczos, "score MATLAB Lanczos-3 upscaling too");
  app.add_option("--data", data, "folder of HR PNG images to score (--data, --real or both)");
  app.add_option("--real", real,
                 "folder of PNG frames from real videos, upscaled as they are and shown unscored in the HTML report "
                 "(repeatable)");
  app.add_option("--scale", scale, "scale (default: the models')");
  app.add_option("--threads", threads, "CPU threads (0 = all)");
  app.add_option("--json", json, "write the scores (per image and mean) as JSON");
  app.add_option("--markdown", markdown, "write the scores as Markdown tables");
  app.add_option("--html", html, "write an HTML report with side-by-side crops into this folder");
  app.add_option("--crop", crop, "side of the report's crops, in HR pixels (for --real: output pixels, rounded down to a "
                                 "multiple of the scale)")
      ->check(CLI::Range(16, 1024));
  CLI11_PARSE(app, argc, argv);
  try {
    check_options(data, real, json, markdown, html);
    std::vector<std::unique_ptr<vsr::Engine>> engines;
    for (const auto& m : models) {
      vsr::EngineOptions o;
      o.threads = threads;
      engines.push_back(vsr::Engine::open(vsr::resolve_model(m), o));
      const int s = engines.back()->info().scale;
      if (scale == 0) scale = s;
      if (scale != s)
        throw vsr::Error("model '" + m + "' is x" + std::to_string(s) + ", the run is x" + std::to_string(scale));
    }
    if (engines.empty() && !bicubic && !lanczos) throw vsr::Error("give --model, --bicubic or --lanczos");
    if (scale < 2) throw vsr::Error("give --scale (2, 3 or 4) when only baselines are scored");

    const std::vector<Method> methods = make_methods(engines, bicubic, lanczos, scale);
    vsr::Report report;
    report.scale = scale;
    std::map<std::string, vsr::CropSet> crops;  // by image
    if (!data.empty()) {
      report.dataset = folder_name(data);
      for (const auto& m : methods) {
        report.methods.push_back(vsr::score_folder(m.name, data, scale, m.upscale,
                                                   [&](const std::string& image, const vsr::Image8& hr, const vsr::Image8&,
                                                       const vsr::Image8& sr) {
                                                     if (html.empty()) return;
                                                     vsr::CropSet& set = crops[image];
                                                     set.image = image;
                                                     set.by_method["HR"] = vsr::centre_crop(hr, crop);
                                                     set.by_method[m.name] = vsr::centre_crop(sr, crop);
                                                   }));
      }
      print_scores(report);
    }
    const vsr::RealFootage footage = real_footage(real, methods, scale, crop);
    if (!json.empty()) vsr::write_json(report, json);
    if (!markdown.empty()) vsr::write_markdown(report, markdown);
    if (!html.empty()) {
      std::vector<vsr::CropSet> sets;
      for (auto& [name, set] : crops) sets.push_back(std::move(set));
      std::cout << "report: " << vsr::write_html(report, sets, footage, html) << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "vsr-eval: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
