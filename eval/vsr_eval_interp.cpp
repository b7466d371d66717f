// vsr-eval-interp: frame interpolation measured on triplets (the middle frame made from its two
// neighbours at t = 0.5), every method on the same triplets in one run.
//   vsr-eval-interp --data out/interp-eval/triplets --model interp_ifnet --model blend
//       --predicted minterpolate=out/interp-eval/minterpolate [--json r.json] [--markdown r.md]
//       [--speed 1280x720 --threads 2] [--ensemble 4] [--save out/interp-eval/made]
//   vsr-eval-interp --model interp_ifnet_2stage --speed 1920x1080 --backend cuda --precision fp16
// A triplet is a folder of three PNGs (sorted by name: before, middle, after). PSNR and SSIM on BT.601
// luma (the SR protocol's Y, no border shaved), per triplet and mean. --predicted scores middle frames
// made elsewhere (DIR/<triplet>.png), e.g. FFmpeg's minterpolate. --speed times interpolate() on
// random frames of that size: warm-up, then the median of the runs; without --data it only times (the
// GPU check's real-time question); --profile adds each network node's time in one run (stderr).
// --backend/--precision pick the engine's backend. --save writes each model's middle
// frames as DIR/<method>/<triplet>.png, to look at (or to score again with --predicted).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "eval/image.h"
#include "eval/image_frame.h"
#include "eval/metrics.h"
#include "vsr/error.h"
#include "vsr/interpolator.h"

namespace fs = std::filesystem;

namespace {

struct Triplet {
  std::string name;
  vsr::Image8 before, middle, after;
};

std::vector<Triplet> load_triplets(const std::string& folder) {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  std::vector<Triplet> out;
  for (const fs::path& d : dirs) {
    const auto files = vsr::list_png_files(d.string());
    if (files.size() != 3) throw vsr::Error(d.string() + ": a triplet folder holds 3 PNGs, this one " + std::to_string(files.size()));
    Triplet t{d.filename().string(), vsr::read_png_rgb(files[0]), vsr::read_png_rgb(files[1]), vsr::read_png_rgb(files[2])};
    if (t.before.width != t.middle.width || t.after.width != t.middle.width || t.before.height != t.middle.height ||
        t.after.height != t.middle.height)
      throw vsr::Error(d.string() + ": the three frames differ in size");
    out.push_back(std::move(t));
  }
  if (out.empty()) throw vsr::Error(folder + ": no triplet folders");
  return out;
}

struct Row {
  std::string method;
  std::vector<double> psnr, ssim;
  double mean(const std::vector<double>& v) const {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / v.size();
  }
};

void score(Row& row, const vsr::Image8& made, const vsr::Image8& truth) {
  const auto a = vsr::luma_bt601(made), b = vsr::luma_bt601(truth);
  row.psnr.push_back(vsr::psnr(a, b, 0));
  row.ssim.push_back(vsr::ssim(a, b, 0));
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
  CLI::App app{"vsr-eval-interp: frame interpolation on held-back triplets, PSNR/SSIM (BT.601 Y) per method"};
  std::string data, json_path, markdown_path, speed, save, backend = "cpu", precision = "auto";
  std::vector<std::string> models, predicted;
  int threads = 0, runs = 5, ensemble = 1;
  bool profile = false;
  app.add_option("--data", data, "folder of triplet folders (three PNGs each); without it, --speed only");
  app.add_option("--model", models, "interpolation model (path, shipped name, or blend), repeatable")->allow_extra_args(false);
  app.add_option("--predicted", predicted, "NAME=DIR: middle frames made elsewhere (DIR/<triplet>.png), repeatable")
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
  app.add_option("--save", save, "write each model's middle frames as DIR/<method>/<triplet>.png");
  CLI11_PARSE(app, argc, argv);
  try {
    if (data.empty() && speed.empty()) throw vsr::Error("name --data (quality) or --speed (timing), or both");
    if (data.empty() && !predicted.empty()) throw vsr::Error("--predicted needs --data: it scores frames against the triplets");
    const std::vector<Triplet> triplets = data.empty() ? std::vector<Triplet>{} : load_triplets(data);
    std::vector<Row> rows;
    nlohmann::json speeds = nlohmann::json::object();
    vsr::EngineOptions options;
    options.threads = threads;
    options.backend = backend;
    options.precision = precision;
    for (const std::string& m : models) {
      auto interp = vsr::Interpolator::open(m, options);
      interp->set_ensemble(ensemble);
      Row row{m == "blend" ? "blend" : fs::path(interp->info().path).stem().string(), {}, {}};
      if (ensemble > 1 && m != "blend") row.method += " (ensemble " + std::to_string(ensemble) + ")";
      for (const Triplet& t : triplets) {
        vsr::Image8 before = t.before, after = t.after, made = vsr::blank_rgb(t.middle.width, t.middle.height);
        interp->interpolate(vsr::frame_of(before), vsr::frame_of(after), 0.5, vsr::frame_of(made));
        score(row, made, t.middle);
        if (!save.empty()) {
          fs::create_directories(fs::path(save) / row.method);
          vsr::write_png((fs::path(save) / row.method / (t.name + ".png")).string(), made);
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
      Row row{p.substr(0, eq), {}, {}};
      for (const Triplet& t : triplets) {
        const std::string file = (fs::path(p.substr(eq + 1)) / (t.name + ".png")).string();
        const vsr::Image8 made = vsr::read_png_rgb(file);
        if (made.width != t.middle.width || made.height != t.middle.height) throw vsr::Error(file + ": wrong size");
        score(row, made, t.middle);
      }
      rows.push_back(std::move(row));
    }
    if (rows.empty()) throw vsr::Error("name at least one --model or --predicted");
    if (triplets.empty()) {  // timing only
      nlohmann::json j = {{"backend", backend}, {"precision", precision}, {"speed", speeds}};
      for (const Row& r : rows)
        std::printf("%-36s %10.2f ms per %s frame (%s, %s)\n", r.method.c_str(), speeds[r.method]["median_ms"].get<double>(),
                    speed.c_str(), backend.c_str(), precision.c_str());
      if (!json_path.empty()) std::ofstream(json_path) << j.dump(1) << "\n";
      return 0;
    }

    std::printf("%-28s %8s %8s", "method", "PSNR", "SSIM");
    if (!speed.empty()) std::printf("  %s ms", speed.c_str());
    std::printf("   (%zu triplets from %s)\n", triplets.size(), data.c_str());
    nlohmann::json j = {{"data", data},
                        {"triplets", triplets.size()},
                        {"metric", "BT.601 Y, no shave, t=0.5"},
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
      for (size_t i = 0; i < triplets.size(); ++i)
        per.push_back({{"triplet", triplets[i].name}, {"psnr", r.psnr[i]}, {"ssim", r.ssim[i]}});
      j["methods"][r.method] = {{"psnr", r.mean(r.psnr)}, {"ssim", r.mean(r.ssim)}, {"per_triplet", per}};
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
