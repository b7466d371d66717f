// vsr-bench: per-frame time of models in the engine, warm-up then the median of several runs.
//   vsr-bench --model espcn_x2 --size 960x540 --size 480x270 --threads 2 --runs 10 [--format I420] [--json]
// Reports the network alone (planar float in/out, what ONNX Runtime's figure measures) and the full
// frame path (format -> RGB -> network -> format), each as median ms per frame.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "kernels/cpu/colour.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace {

template <typename F>
double median_ms(int warmup, int runs, F f) {
  for (int i = 0; i < warmup; ++i) f();
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// Frame buffers for a format at a size (tightly packed planes).
struct OwnedFrame {
  std::vector<uint8_t> bytes;
  vsr::Frame frame;
};

OwnedFrame make_frame(vsr::PixelFormat format, int w, int h) {
  OwnedFrame f;
  f.frame.format = format;
  f.frame.width = w;
  f.frame.height = h;
  size_t offsets[3] = {0, 0, 0}, total = 0;
  for (int p = 0; p < vsr::plane_count(format); ++p) {
    const vsr::PlaneExtent e = vsr::plane_extent(format, w, h, p);
    offsets[p] = total;
    total += static_cast<size_t>(e.row_bytes) * e.rows;
  }
  f.bytes.resize(total);
  for (int p = 0; p < vsr::plane_count(format); ++p)
    f.frame.planes[p] = {f.bytes.data() + offsets[p], vsr::plane_extent(format, w, h, p).row_bytes};
  std::mt19937 rng(1);
  for (auto& b : f.bytes) b = static_cast<uint8_t>(rng() & 0xff);
  return f;
}

struct Result {
  std::string model, arch;
  int scale, width, height;
  double network_ms, full_ms;
};

Result bench_one(const std::string& model, int w, int h, vsr::PixelFormat format, const vsr::EngineOptions& options,
                 int warmup, int runs, bool profile) {
  auto engine = vsr::Engine::open(vsr::resolve_model(model), options);
  const auto& info = engine->info();
  const int s = info.scale;
  vsr::PlanarImage in;
  in.channels = (info.colour == vsr::ModelColour::Y ? 1 : 3) * info.window_frames;
  in.height = h;
  in.width = w;
  in.values.resize(static_cast<size_t>(in.channels) * w * h);
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  for (float& v : in.values) v = dist(rng);
  Result r{model, info.arch, s, w, h, -1.0, 0.0};
  // A recurrent model's network needs its state: it only runs through push() (the frame path).
  const bool stream_only = info.temporal == "recurrent";
  if (!stream_only) r.network_ms = median_ms(warmup, runs, [&] { engine->run(in); });
  if (profile && !stream_only) {
    engine->set_profiling(true);
    engine->run(in);
    for (const auto& [step, ms] : engine->profile()) std::fprintf(stderr, "  step %-40s %8.2f ms\n", step.c_str(), ms);
    engine->set_profiling(false);
  }
  // push() is the stream path every model supports (window models hold frames back: after the
  // warm-up every push runs the network once, as in steady state).
  OwnedFrame src = make_frame(format, w, h), dst = make_frame(format, w * s, h * s);
  r.full_ms = median_ms(warmup + info.window_frames, runs, [&] { engine->push(src.frame, dst.frame); });
  return r;
}

std::string cpu_name() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> models = {vsr::kDefaultModel}, sizes = {"960x540"};
  std::string format = "I420";
  int threads = 2, runs = 10, warmup = 2;
  bool reference = false, profile = false, json = false;
  std::string device = "cpu", precision = "auto";
  CLI::App app{"vsr-bench: engine speed per frame (median of --runs after --warmup)"};
  app.add_option("--model", models, "model files or shipped names (repeatable)");
  app.add_option("--size", sizes, "input sizes WxH (repeatable)");
  app.add_option("--threads", threads, "CPU threads");
  app.add_option("--runs", runs, "timed runs")->check(CLI::PositiveNumber);
  app.add_option("--warmup", warmup, "untimed runs first");
  app.add_option("--format", format, "frame format for the full path (RGB, RGBA, BGRx, I420, NV12, P010_10LE, ...)");
  app.add_flag("--reference", reference, "use the plain reference kernels instead of oneDNN");
  app.add_option("--backend", device, "cpu or cuda (needs a GPU)")->check(CLI::IsMember({"cpu", "cuda"}));
  app.add_option("--precision", precision, "auto, fp32 or fp16 (fp16: CUDA only)")->check(CLI::IsMember({"auto", "fp32", "fp16"}));
  app.add_flag("--profile", profile, "print each step's time for one network run (to stderr)");
  app.add_flag("--json", json, "print one JSON document instead of text");
  CLI11_PARSE(app, argc, argv);
  try {
    const std::map<std::string, vsr::PixelFormat> formats = {
        {"RGB", vsr::PixelFormat::RGB},   {"BGR", vsr::PixelFormat::BGR},   {"RGBA", vsr::PixelFormat::RGBA},
        {"BGRA", vsr::PixelFormat::BGRA}, {"RGBx", vsr::PixelFormat::RGBx}, {"BGRx", vsr::PixelFormat::BGRx},
        {"I420", vsr::PixelFormat::I420}, {"NV12", vsr::PixelFormat::NV12}, {"YV12", vsr::PixelFormat::YV12},
        {"Y444", vsr::PixelFormat::Y444}, {"GRAY8", vsr::PixelFormat::GRAY8}, {"I420_10LE", vsr::PixelFormat::I420_10LE},
        {"P010_10LE", vsr::PixelFormat::P010_10LE}};
    if (!formats.count(format)) throw vsr::Error("unknown --format '" + format + "'");
    vsr::EngineOptions options;
    options.threads = threads;
    options.use_onednn = !reference;
    options.backend = device;
    options.precision = precision;
    const std::string backend = device == "cuda" ? "cuda-" + (precision == "fp32" ? std::string("fp32") : std::string("fp16"))
                                : reference      ? "cpu-reference"
                                                 : "cpu-onednn";
    nlohmann::json doc = {{"tool", "vsr-bench"}, {"cpu", cpu_name()}, {"threads", threads}, {"runs", runs},
                          {"warmup", warmup}, {"backend", backend}, {"format", format}, {"results", nlohmann::json::array()}};
    for (const auto& model : models) {
      for (const auto& size : sizes) {
        int w = 0, h = 0;
        if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2 || w <= 0 || h <= 0)
          throw vsr::Error("--size '" + size + "' is not WxH");
        const Result r = bench_one(model, w, h, formats.at(format), options, warmup, runs, profile);
        doc["results"].push_back({{"model", r.model}, {"arch", r.arch}, {"scale", r.scale}, {"input", size},
                                  {"output", std::to_string(w * r.scale) + "x" + std::to_string(h * r.scale)},
                                  {"network_ms_median", r.network_ms < 0 ? nlohmann::json() : nlohmann::json(r.network_ms)},
                                  {"network_fps", r.network_ms < 0 ? nlohmann::json() : nlohmann::json(1000.0 / r.network_ms)},
                                  {"frame_path_ms_median", r.full_ms}, {"frame_path_fps", 1000.0 / r.full_ms}});
        if (!json) {
          std::printf("vsr-bench model=%s arch=%s x%d %dx%d threads=%d runs=%d backend=%s\n", model.c_str(),
                      r.arch.c_str(), r.scale, w, h, threads, runs, backend.c_str());
          if (r.network_ms < 0)
            std::printf("  network only: n/a (a recurrent model runs with its state, through the frame path only)\n");
          else
            std::printf("  network only (planar float): median %.2f ms/frame (%.1f fps)\n", r.network_ms, 1000.0 / r.network_ms);
          std::printf("  full frame path (%s in/out): median %.2f ms/frame (%.1f fps)\n", format.c_str(), r.full_ms,
                      1000.0 / r.full_ms);
        }
      }
    }
    if (json) std::printf("%s\n", doc.dump(2).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vsr-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
