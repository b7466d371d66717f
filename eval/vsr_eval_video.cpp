// vsr-eval-video: scores models (and the bicubic baseline) on frame sequences, each run as one stream
// through the engine, so window:N and recurrent models are measured the way they are used:
//   vsr-eval-video --data out/video-eval/sequences --model srvgg_x4 --bicubic
//                  [--scale 4] [--threads 1] [--json r.json] [--markdown r.md]
// --data holds one folder per sequence, each with the sequence's HR frames as PNGs (name order; make
// them with scripts/eval/video_sequences.sh). Per frame, the standard SR protocol of vsr-eval: HR
// cropped to a multiple of the scale, LR by MATLAB bicubic (8-bit), PSNR and SSIM on BT.601 Y with
// `scale` pixels shaved; a sequence of single images would score exactly as vsr-eval scores them.
// Models see each sequence as a stream: reset(), push() every LR frame in order, drain() the rest.
//
// tPSNR is a simple unwarped temporal-difference error: PSNR (peak 255, the same shaved Y) between the
// frame differences SR_t - SR_{t-1} and HR_t - HR_{t-1}, the MSE averaged over t = 1..n-1 before the
// log. No motion compensation: it rises when a method's frame-to-frame changes follow the truth's and
// falls with flicker and temporal noise, but it also charges the plain per-frame error twice, so read
// it beside PSNR, not instead of it.
//
// Means: "all frames" averages every frame of every sequence (tPSNR: every transition's MSE);
// "mean of sequences" averages the per-sequence means. JSON writes an infinite score as null.
// "ms per frame" is the median time of the engine calls that wrote a frame (bicubic: one imresize),
// measured during the evaluation itself, so it includes the engine's colour conversion.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

#include "eval/image_frame.h"
#include "eval/imresize.h"
#include "eval/sequence_protocol.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace fs = std::filesystem;

namespace {

// Upscales a whole sequence's LR frames, in order; appends the time of each upscaling call to `ms`.
using SequenceUpscaler = std::function<std::vector<vsr::Image8>(const std::vector<vsr::Image8>& lr, std::vector<double>& ms)>;

struct Method {
  std::string name;
  SequenceUpscaler run;
  std::vector<vsr::SequenceScores> scores;  // one per sequence
  std::vector<double> ms;                   // per output frame
};

double elapsed_ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The engine's streaming API, as vsrupscale uses it. Only calls that wrote a frame are timed: those are
// the ones that ran the network (a window:N model's first pushes only hold their frame).
SequenceUpscaler stream_through(vsr::Engine* engine, const std::string& name, int scale) {
  return [engine, name, scale](const std::vector<vsr::Image8>& lr, std::vector<double>& ms) {
    std::vector<vsr::Image8> sr;
    const int w = lr.front().width * scale, h = lr.front().height * scale;
    auto too_many = [&] { return vsr::Error(name + " wrote more frames than the " + std::to_string(lr.size()) + " pushed"); };
    engine->reset();
    for (const vsr::Image8& frame : lr) {
      vsr::Image8 in = frame, out = vsr::blank_rgb(w, h);
      const auto t0 = std::chrono::steady_clock::now();
      if (!engine->push(vsr::frame_of(in), vsr::frame_of(out))) continue;
      ms.push_back(elapsed_ms(t0));
      if (sr.size() == lr.size()) throw too_many();
      sr.push_back(std::move(out));
    }
    for (;;) {  // drain() until it says the stream is empty, one more call than the frames held
      vsr::Image8 out = vsr::blank_rgb(w, h);
      const auto t0 = std::chrono::steady_clock::now();
      if (!engine->drain(vsr::frame_of(out))) break;
      ms.push_back(elapsed_ms(t0));
      if (sr.size() == lr.size()) throw too_many();
      sr.push_back(std::move(out));
    }
    if (sr.size() != lr.size())
      throw vsr::Error(name + " wrote " + std::to_string(sr.size()) + " of the " + std::to_string(lr.size()) +
                       " frames pushed");
    return sr;
  };
}

SequenceUpscaler bicubic(int scale) {
  return [scale](const std::vector<vsr::Image8>& lr, std::vector<double>& ms) {
    std::vector<vsr::Image8> sr;
    for (const vsr::Image8& frame : lr) {
      const auto t0 = std::chrono::steady_clock::now();
      sr.push_back(vsr::imresize(frame, scale, vsr::ResizeFilter::Bicubic));
      ms.push_back(elapsed_ms(t0));
    }
    return sr;
  };
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Summary {
  double psnr = 0, ssim = 0, tpsnr = 0;
};

// Every frame (and every transition) of every sequence weighs the same.
Summary all_frames(const Method& m) {
  std::vector<double> psnr, ssim, tmse;
  for (const auto& s : m.scores) {
    psnr.insert(psnr.end(), s.psnr.begin(), s.psnr.end());
    ssim.insert(ssim.end(), s.ssim.begin(), s.ssim.end());
    tmse.insert(tmse.end(), s.temporal_mse.begin(), s.temporal_mse.end());
  }
  return {mean(psnr), mean(ssim), vsr::psnr_of_mse(mean(tmse))};
}

// Every sequence weighs the same, however long.
Summary mean_of_sequences(const Method& m) {
  std::vector<double> psnr, ssim, tpsnr;
  for (const auto& s : m.scores) {
    psnr.push_back(s.mean_psnr());
    ssim.push_back(s.mean_ssim());
    tpsnr.push_back(s.tpsnr());
  }
  return {mean(psnr), mean(ssim), mean(tpsnr)};
}

// "a/b/" and "a/b" both name b.
std::string folder_name(const std::string& path) {
  const fs::path p = fs::path(path).lexically_normal();
  return (p.has_filename() ? p.filename() : p.parent_path().filename()).string();
}

struct SequenceInfo {
  std::string name, folder;
  size_t frames = 0;
  int width = 0, height = 0;  // HR after the crop
};

void print_table(const std::vector<SequenceInfo>& seqs, const std::vector<Method>& methods, int scale) {
  std::printf("x%d, PSNR (dB) / SSIM / tPSNR (dB) on BT.601 Y, %d px shaved\n", scale, scale);
  std::printf("%-28s %6s", "sequence", "frames");
  for (const auto& m : methods) std::printf("  %27s", m.name.c_str());
  std::printf("\n");
  auto row = [&](const std::string& label, const std::string& frames, auto summary_of) {
    std::printf("%-28s %6s", label.c_str(), frames.c_str());
    for (const auto& m : methods) {
      const Summary s = summary_of(m);
      std::printf("  %8.3f / %6.4f / %7.3f", s.psnr, s.ssim, s.tpsnr);
    }
    std::printf("\n");
  };
  size_t total = 0;
  for (size_t i = 0; i < seqs.size(); ++i) {
    total += seqs[i].frames;
    row(seqs[i].name, std::to_string(seqs[i].frames), [i](const Method& m) {
      const auto& s = m.scores[i];
      return Summary{s.mean_psnr(), s.mean_ssim(), s.tpsnr()};
    });
  }
  row("all frames", std::to_string(total), all_frames);
  row("mean of sequences", std::to_string(seqs.size()), mean_of_sequences);
  std::printf("%-28s %6s", "ms per frame (median)", "");
  for (const auto& m : methods) std::printf("  %27.2f", median(m.ms));
  std::printf("\n");
}

nlohmann::json summary_json(const Summary& s) { return {{"psnr", s.psnr}, {"ssim", s.ssim}, {"tpsnr", s.tpsnr}}; }

void write_json(const std::string& path, const std::vector<std::string>& data, const std::vector<SequenceInfo>& seqs,
                const std::vector<Method>& methods, int scale) {
  nlohmann::json j = {{"data", data},
                      {"scale", scale},
                      {"protocol", "Y (BT.601), shave = scale, MATLAB bicubic LR, models streamed per sequence"},
                      {"tpsnr", "PSNR of (SR_t - SR_t-1) vs (HR_t - HR_t-1), MSE averaged over t = 1..n-1, unwarped"}};
  j["sequences"] = nlohmann::json::array();
  for (const auto& s : seqs)
    j["sequences"].push_back({{"name", s.name}, {"folder", s.folder}, {"frames", s.frames}, {"width", s.width}, {"height", s.height}});
  j["methods"] = nlohmann::json::array();
  for (const auto& m : methods) {
    nlohmann::json per = nlohmann::json::array();
    for (size_t i = 0; i < seqs.size(); ++i) {
      const auto& s = m.scores[i];
      per.push_back({{"sequence", seqs[i].name}, {"psnr", s.mean_psnr()}, {"ssim", s.mean_ssim()}, {"tpsnr", s.tpsnr()},
                     {"frame_psnr", s.psnr}, {"frame_ssim", s.ssim}});
    }
    j["methods"].push_back({{"method", m.name}, {"all_frames", summary_json(all_frames(m))},
                            {"mean_of_sequences", summary_json(mean_of_sequences(m))}, {"ms_per_frame_median", median(m.ms)},
                            {"sequences", per}});
  }
  std::ofstream out(path);
  if (!(out << j.dump(2) << "\n")) throw vsr::Error("cannot write '" + path + "'");
}

void write_markdown(const std::string& path, const std::vector<SequenceInfo>& seqs, const std::vector<Method>& methods, int scale) {
  char cell[96];
  std::string md = "x" + std::to_string(scale) + ", PSNR (dB) / SSIM on BT.601 Y\n\n| sequence | frames |";
  for (const auto& m : methods) md += " " + m.name + " |";
  md += "\n|---|---|";
  for (size_t k = 0; k < methods.size(); ++k) md += "---|";
  md += "\n";
  size_t total = 0;
  for (size_t i = 0; i < seqs.size(); ++i) {
    total += seqs[i].frames;
    md += "| " + seqs[i].name + " | " + std::to_string(seqs[i].frames) + " |";
    for (const auto& m : methods) {
      std::snprintf(cell, sizeof cell, " %.3f / %.4f |", m.scores[i].mean_psnr(), m.scores[i].mean_ssim());
      md += cell;
    }
    md += "\n";
  }
  md += "| all frames | " + std::to_string(total) + " |";
  for (const auto& m : methods) {
    const Summary s = all_frames(m);
    std::snprintf(cell, sizeof cell, " %.3f / %.4f |", s.psnr, s.ssim);
    md += cell;
  }
  md += "\n\n| method | tPSNR (dB), all frames | ms per frame (median) |\n|---|---|---|\n";
  for (const auto& m : methods) {
    std::snprintf(cell, sizeof cell, " %.3f | %.2f |\n", all_frames(m).tpsnr, median(m.ms));
    md += "| " + m.name + " |" + cell;
  }
  std::ofstream out(path);
  if (!(out << md)) throw vsr::Error("cannot write '" + path + "'");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> data, models;
  std::string json, markdown;
  int scale = 0, threads = 0;
  bool with_bicubic = false;
  CLI::App app{"vsr-eval-video: PSNR/SSIM/tPSNR of models streamed over frame sequences (standard SR protocol)"};
  app.add_option("--data", data, "folder of sequence folders (PNG frames each), repeatable")->required()->allow_extra_args(false);
  app.add_option("--model", models, "ONNX model (file or shipped name) to score, repeatable")->allow_extra_args(false);
  app.add_flag("--bicubic", with_bicubic, "score MATLAB bicubic upscaling too");
  app.add_option("--scale", scale, "scale (default: the models')");
  app.add_option("--threads", threads, "CPU threads (0 = all)");
  app.add_option("--json", json, "write every score (per frame too) as JSON");
  app.add_option("--markdown", markdown, "write the scores as a Markdown table");
  CLI11_PARSE(app, argc, argv);
  try {
    std::vector<std::unique_ptr<vsr::Engine>> engines;
    for (const auto& m : models) {
      vsr::EngineOptions o;
      o.threads = threads;
      engines.push_back(vsr::Engine::open(vsr::resolve_model(m), o));
      const int s = engines.back()->info().scale;
      if (scale == 0) scale = s;
      if (scale != s) throw vsr::Error("model '" + m + "' is x" + std::to_string(s) + ", the run is x" + std::to_string(scale));
    }
    if (engines.empty() && !with_bicubic) throw vsr::Error("give --model or --bicubic");
    if (scale < 2) throw vsr::Error("give --scale (2, 3 or 4) when only bicubic is scored");

    std::vector<Method> methods;
    if (with_bicubic) methods.push_back({"bicubic", bicubic(scale), {}, {}});
    for (const auto& e : engines) {
      const std::string name = fs::path(e->info().path).stem().string();
      methods.push_back({name, stream_through(e.get(), name, scale), {}, {}});
    }

    // Every folder is listed and its frame count checked first, so a bad folder fails the run at once.
    std::vector<SequenceInfo> seqs;
    for (const std::string& d : data)
      for (const std::string& folder : vsr::list_sequence_folders(d)) {
        const std::string base = fs::path(folder).filename().string();
        // With several --data folders, the data folder's name keeps sequence names apart.
        const std::string name = data.size() > 1 ? folder_name(d) + "/" + base : base;
        seqs.push_back({name, folder, vsr::list_sequence_frames(folder).size(), 0, 0});
      }

    for (SequenceInfo& info : seqs) {
      const vsr::Sequence seq = vsr::load_sequence(info.folder, scale);
      info.frames = seq.hr.size();
      info.width = seq.hr.front().width;
      info.height = seq.hr.front().height;
      for (Method& m : methods) {
        std::vector<vsr::Image8> sr;
        try {
          sr = m.run(seq.lr, m.ms);
        } catch (const vsr::Error& e) {  // engine errors name the frame, not the sequence
          throw vsr::Error(m.name + " on sequence '" + info.folder + "': " + e.what());
        }
        m.scores.push_back(vsr::score_sequence(seq, sr, m.name, scale));
      }
    }
    print_table(seqs, methods, scale);
    if (!json.empty()) write_json(json, data, seqs, methods, scale);
    if (!markdown.empty()) write_markdown(markdown, seqs, methods, scale);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vsr-eval-video: %s\n", e.what());
    return 1;
  }
  return 0;
}
