// vsr-eval: scores models (and the bicubic and Lanczos baselines) on an image folder with the standard
// SR protocol: HR cropped to a multiple of the scale, LR by MATLAB bicubic, PSNR/SSIM on BT.601 Y with
// `scale` pixels shaved. Every method of one run sees the same images, side by side:
//   vsr-eval --model models/zoo/espcn_x2.onnx --bicubic --lanczos --data ../shared/datasets/Set5
//            --json out/eval.json --markdown out/eval.md --html out/eval-report   (one line)
//   vsr-eval --bicubic --scale 2 --data ../shared/datasets/Set5      (must print 33.66-33.69)
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "image_frame.h"
#include "imresize.h"
#include "report.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

int main(int argc, char** argv) {
  std::vector<std::string> models;
  std::string data, json, markdown, html;
  int scale = 0, threads = 0, crop = 96;
  bool bicubic = false, lanczos = false;
  CLI::App app{"vsr-eval: PSNR/SSIM with the standard super-resolution protocol"};
  app.add_option("--model", models, "ONNX model (file or shipped name) to score (repeatable)");
  app.add_flag("--bicubic", bicubic, "score MATLAB bicubic upscaling too");
  app.add_flag("--lanczos", lanczos, "score MATLAB Lanczos-3 upscaling too");
  app.add_option("--data", data, "folder of HR PNG images")->required();
  app.add_option("--scale", scale, "scale (default: the models')");
  app.add_option("--threads", threads, "CPU threads (0 = all)");
  app.add_option("--json", json, "write the scores (per image and mean) as JSON");
  app.add_option("--markdown", markdown, "write the scores as Markdown tables");
  app.add_option("--html", html, "write an HTML report with side-by-side crops into this folder");
  app.add_option("--crop", crop, "side of the report's crops, in HR pixels")->check(CLI::Range(16, 1024));
  CLI11_PARSE(app, argc, argv);
  try {
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

    struct Method {
      std::string name;
      vsr::Upscaler upscale;
    };
    std::vector<Method> methods;
    const double s = scale;
    if (bicubic) methods.push_back({"bicubic", [s](const vsr::Image8& lr) { return vsr::imresize(lr, s, vsr::ResizeFilter::Bicubic); }});
    if (lanczos) methods.push_back({"lanczos3", [s](const vsr::Image8& lr) { return vsr::imresize(lr, s, vsr::ResizeFilter::Lanczos3); }});
    for (size_t i = 0; i < engines.size(); ++i) {
      vsr::Engine* e = engines[i].get();
      const std::string name = std::filesystem::path(e->info().path).stem().string();
      methods.push_back({name, [e, scale](const vsr::Image8& lr_in) {
                           vsr::Image8 lr = lr_in, sr = vsr::blank_rgb(lr.width * scale, lr.height * scale);
                           e->reset();  // every image a stream of its own (multi-frame models too)
                           if (!e->push(vsr::frame_of(lr), vsr::frame_of(sr)) && !e->drain(vsr::frame_of(sr)))
                             throw vsr::Error("no output from the model");
                           return sr;
                         }});
    }

    vsr::Report report;
    report.dataset = std::filesystem::path(data).filename().string();
    if (report.dataset.empty()) report.dataset = std::filesystem::path(data).parent_path().filename().string();
    report.scale = scale;
    std::map<std::string, vsr::CropSet> crops;  // by image
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
    // The terminal table: one row per image, one column per method.
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
    if (!json.empty()) vsr::write_json(report, json);
    if (!markdown.empty()) vsr::write_markdown(report, markdown);
    if (!html.empty()) {
      std::vector<vsr::CropSet> sets;
      for (auto& [name, set] : crops) sets.push_back(std::move(set));
      std::cout << "report: " << vsr::write_html(report, sets, html) << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "vsr-eval: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
