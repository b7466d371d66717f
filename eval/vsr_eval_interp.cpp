// vsr-eval-interp: frame interpolation measured on held-back samples (the frames between two inputs
// made from them: the middle of a triplet at t = 0.5, the two inner frames of a quadruplet at t = 1/3
// and 2/3; eval/interp_samples.h), every method on the same samples in one run.
//   vsr-eval-interp --data out/interp-eval/triplets --model interp_ifnet --model blend
//       --predicted minterpolate=out/interp-eval/minterpolate [--json r.json] [--markdown r.md]
//       [--speed 1280x720 --threads 2] [--ensemble 4] [--save out/interp-eval/made]
//   vsr-eval-interp --model interp_ifnet_2stage --speed 1920x1080 --backend cuda --precision fp16
// PSNR and SSIM on BT.601 luma (the SR protocol's Y, no border shaved), per made frame, mean, and
// mean per t when the samples ask for more than one. --predicted scores frames made elsewhere
// (DIR/<sample>.png for a triplet, DIR/<sample>_t<i>.png for inner frame i), e.g. FFmpeg's
// minterpolate. --speed times interpolate() on random frames of that size: warm-up, then the median
// of the runs; without --data it only times (the GPU check's real-time question); --profile adds each
// network node's time in one run (stderr). --backend/--precision pick the engine's backend. --save
// writes each model's made frames as DIR/<method>/<sample>[_t<i>].png, to look at (or to score again
// with --predicted).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <utility>

#include "eval/image.h"
#include "eval/image_frame.h"
#include "eval/interp_samples.h"
#include "eval/metrics.h"
#include "vsr/error.h"
#include "vsr/interpolator.h"

namespace fs = std::filesystem;

namespace {

struct Row {
  explicit Row(std::string name) : method(std::move(name)) {}
  std::string method;
  std::vector<double> psnr, ssim, t;  // one per made frame
  std::vector<std::string> sample;
  double mean(const std::vector<double>& v) const {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / v.size();
  }
};

void score(Row& row, const vsr::Image8& made, const vsr::InterpSample& sample, size_t i) {
  const auto a = vsr::luma_bt601(made), b = vsr::luma_bt601(sample.truths[i]);
  row.psnr.push_back(vsr::psnr(a, b, 0));
  row.ssim.push_back(vsr::ssim(a, b, 0));
  row.t.push_back(sample.t(i));
  row.sample.push_back(sample.name);
}

double median_ms(vsr::Interpolator& interp, int w, int h, int runs) {
  vsr::Image8 a = vsr::blank_rgb(w, h), b = vsr::blank_rgb(w, h), out = vsr::blank_rgb(w, h);
  std::mt19937 rng(1);
  for (auto& v : a.pixels) v = static_cast<uint8_t>(rng());
  for (auto& v : b.pixels) v = static_cast<uint8_t>(rng());
  interp.interpolate(vsr::frame_of(a), vsr::frame_of(b), 0.5, vsr::frame_of(out));  // warm-up
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    interp.interpolate(vsr::frame_of(a), vsr::frame_of(b), 0.5, vsr::frame_of(out));
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vsr-eval-interp: frame interpolation on held-back samples, PSNR/SSIM (BT.601 Y) per method"};
  std::string data, json_path, markdown_path, speed, save, backend = "cpu", precision = "auto";
  std::vector<std::string> models, predicted;
  int threads = 0, runs = 5, ensemble = 1;
  bool profile = false;
  app.add_option("--data", data, "folder of sample folders (3 or more PNGs each: inputs first and last); without it, --speed only");
  app.add_option("--model", models, "interpolation model (path, shipped name, or blend), repeatable")->allow_extra_args(false);
  app.add_option("--predicted", predicted, "NAME=DIR: frames made elsewhere (DIR/<sample>.png, DIR/<sample>_t<i>.png), repeatable")
      ->allow_extra_args(false);
  app.add_option("--json", json_path, "write the results as JSON");
  app.add_option("--markdown", markdown_path, "write the results as a Markdown table");
  app.add_option("--speed", speed, "WxH: also time each model on frames of this size");
  app.add_option("--runs", runs, "timed runs for --speed (median)");
  app.add_option("--threads", threads, "engine threads (0 = all cores)");
  app.add_option("--backend", backend, "cpu or cuda (needs a GPU)")->check(CLI::IsMember({"cpu", "cuda"}));
  app.add_option("--precision", precision, "auto, fp32 or fp16 (fp16: CUDA only)")->check(CLI::IsMember({"auto", "fp32", "fp16"}));
  app.add_flag("--profile", profile, "with --speed: print each network node's time for one run (to stderr)");
  app.add_option("--ensemble", ensemble, "passes per frame, averaged: 1, 2 (frames also swapped) or 4 (also mirrored)");
  app.add_option("--save", save, "write each model's made frames as DIR/<method>/<sample>[_t<i>].png");
  CLI11_PARSE(app, argc, argv);
  try {
    if (data.empty() && speed.empty()) throw vsr::Error("name --data (quality) or --speed (timing), or both");
    if (profile && speed.empty()) throw vsr::Error("--profile times the network: it needs --speed WxH");
    if (data.empty() && !predicted.empty()) throw vsr::Error("--predicted needs --data: it scores frames against the samples");
    const std::vector<vsr::InterpSample> samples = data.empty() ? std::vector<vsr::InterpSample>{} : vsr::load_interp_samples(data);
    std::vector<Row> rows;
    nlohmann::json speeds = nlohmann::json::object();
    vsr::EngineOptions options;
    options.threads = threads;
    options.backend = backend;
    options.precision = precision;
    for (const std::string& m : models) {
      auto interp = vsr::Interpolator::open(m, options);
      interp->set_ensemble(ensemble);
      Row row(m == "blend" ? "blend" : fs::path(interp->info().path).stem().string());
      if (ensemble > 1 && m != "blend") row.method += " (ensemble " + std::to_string(ensemble) + ")";
      for (const vsr::InterpSample& sample : samples)
        for (size_t i = 0; i < sample.truths.size(); ++i) {
          vsr::Image8 first = sample.first, last = sample.last, made = vsr::blank_rgb(first.width, first.height);
          interp->interpolate(vsr::frame_of(first), vsr::frame_of(last), sample.t(i), vsr::frame_of(made));
          score(row, made, sample, i);
          if (!save.empty()) {
            fs::create_directories(fs::path(save) / row.method);
            vsr::write_png((fs::path(save) / row.method / sample.made_name(i)).string(), made);
          }
        }
      if (!speed.empty()) {
        int w = 0, h = 0;
        if (std::sscanf(speed.c_str(), "%dx%d", &w, &h) != 2 || w <= 0 || h <= 0) throw vsr::Error("--speed " + speed + ": expected WxH");
        speeds[row.method] = {{"size", speed}, {"median_ms", median_ms(*interp, w, h, runs)}, {"runs", runs}};
        if (profile) {
          interp->set_profiling(true);
          median_ms(*interp, w, h, 1);  // its warm-up is profiled too: halve the sums
          std::fprintf(stderr, "%s at %s, one run:\n", row.method.c_str(), speed.c_str());
          for (const auto& [step, ms] : interp->profile()) std::fprintf(stderr, "  step %-48s %8.2f ms\n", step.c_str(), ms / 2);
          interp->set_profiling(false);
        }
      }
      rows.push_back(std::move(row));
    }
    for (const std::string& p : predicted) {
      const auto eq = p.find('=');
      if (eq == std::string::npos) throw vsr::Error("--predicted " + p + ": expected NAME=DIR");
      Row row(p.substr(0, eq));
      for (const vsr::InterpSample& sample : samples)
        for (size_t i = 0; i < sample.truths.size(); ++i) {
          const std::string file = (fs::path(p.substr(eq + 1)) / sample.made_name(i)).string();
          const vsr::Image8 made = vsr::read_png_rgb(file);
          if (made.width != sample.first.width || made.height != sample.first.height)
            throw vsr::Error(file + ": " + std::to_string(made.width) + "x" + std::to_string(made.height) + ", the sample's frames are " +
                             std::to_string(sample.first.width) + "x" + std::to_string(sample.first.height));
          score(row, made, sample, i);
        }
      rows.push_back(std::move(row));
    }
    if (rows.empty()) throw vsr::Error("name at least one --model or --predicted");
    if (samples.empty()) {  // timing only
      nlohmann::json j = {{"backend", backend}, {"precision", precision}, {"speed", speeds}};
      for (const Row& r : rows)
        std::printf("%-36s %10.2f ms per %s frame (%s, %s)\n", r.method.c_str(), speeds[r.method]["median_ms"].get<double>(),
                    speed.c_str(), backend.c_str(), precision.c_str());
      if (!json_path.empty()) std::ofstream(json_path) << j.dump(1) << "\n";
      return 0;
    }

    std::printf("%-28s %8s %8s", "method", "PSNR", "SSIM");
    if (!speed.empty()) std::printf("  %s ms", speed.c_str());
    const size_t made_frames = rows.front().psnr.size();
    std::printf("   (%zu samples, %zu frames made, from %s)\n", samples.size(), made_frames, data.c_str());
    nlohmann::json j = {{"data", data},
                        {"samples", samples.size()},
                        {"frames_made", made_frames},
                        {"metric", "BT.601 Y, no shave"},
                        {"backend", backend},
                        {"precision", precision}};
    std::string md = "| method | PSNR (dB) | SSIM |" + std::string(speed.empty() ? "" : " ms per " + speed + " frame |") + "\n|---|---|---|" +
                     (speed.empty() ? "" : "---|") + "\n";
    for (const Row& r : rows) {
      std::printf("%-28s %8.3f %8.4f", r.method.c_str(), r.mean(r.psnr), r.mean(r.ssim));
      char line[256];
      std::snprintf(line, sizeof line, "| %s | %.3f | %.4f |", r.method.c_str(), r.mean(r.psnr), r.mean(r.ssim));
      md += line;
      if (!speed.empty()) {
        if (speeds.contains(r.method)) {
          const double ms = speeds[r.method]["median_ms"];
          std::printf("  %8.1f", ms);
          std::snprintf(line, sizeof line, " %.1f |", ms);
          md += line;
        } else {
          md += " |";
        }
      }
      std::printf("\n");
      md += "\n";
      nlohmann::json per = nlohmann::json::array();
      std::map<double, std::vector<double>> by_t;
      for (size_t i = 0; i < r.psnr.size(); ++i) {
        per.push_back({{"sample", r.sample[i]}, {"t", r.t[i]}, {"psnr", r.psnr[i]}, {"ssim", r.ssim[i]}});
        by_t[r.t[i]].push_back(r.psnr[i]);
      }
      j["methods"][r.method] = {{"psnr", r.mean(r.psnr)}, {"ssim", r.mean(r.ssim)}, {"per_frame", per}};
      if (by_t.size() > 1) {  // more than one t: each one's mean too
        std::printf("%-28s", "");
        for (const auto& [t, psnr] : by_t) {
          std::printf("  t=%.3f: %.3f", t, r.mean(psnr));
          char key[16];
          std::snprintf(key, sizeof key, "%.3f", t);
          j["methods"][r.method]["psnr_by_t"][key] = r.mean(psnr);
        }
        std::printf("\n");
      }
    }
    if (!speeds.empty()) j["speed"] = speeds;
    if (!json_path.empty()) std::ofstream(json_path) << j.dump(1) << "\n";
    if (!markdown_path.empty()) std::ofstream(markdown_path) << md;
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vsr-eval-interp: %s\n", e.what());
    return 1;
  }
}
