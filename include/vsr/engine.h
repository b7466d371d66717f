// The vsr engine: opens a super-resolution model (ONNX) and upscales frames with it.
//
//   auto engine = vsr::Engine::open("models/zoo/espcn_x2.onnx");
//   vsr::Frame in = ..., out = ...;        // out is in.width * scale by in.height * scale
//   engine->process(in, out);
//
// Every error is a vsr::Error whose message names what was wrong (file, node, tensor, frame).
// Public on purpose: no CUDA, GStreamer, oneDNN or LibTorch types appear here.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vsr/error.h"
#include "vsr/frame.h"

namespace vsr {

enum class ModelColour { Rgb, Y };

struct ModelInfo {
  std::string path;
  std::string arch;             // vsr.arch, or "unknown" for third-party files
  int scale = 0;                // vsr.scale, else measured from the graph's output/input shapes
  ModelColour colour = ModelColour::Rgb;  // Y models run on luma; chroma is upscaled by bicubic
  std::string range = "0-1";    // what the network sees: 0-1, 0-255, or studio (luma 16..235 / 255)
  std::string temporal = "none";  // none | window:N | recurrent (vsr.temporal)
  int window_frames = 1;        // frames one network input holds (window:N models: N)
  int latency_frames = 0;       // frames held back before the first output: (N-1)/2 for window:N
  int input_width = 0;          // the only frame size the model takes, where its input is fixed
  int input_height = 0;         // (0 = any size)
  int64_t parameters = 0;       // learned values in the model
  int receptive_field = 0;      // radius in input pixels one output pixel depends on
  std::string trained_on;
  std::string metrics;
  std::map<std::string, std::string> metadata;  // every metadata_props entry
  std::vector<std::string> op_types;            // distinct op types, in first-use order
};

struct EngineOptions {
  int threads = 0;          // 0 = all cores
  bool use_onednn = true;   // false = the plain reference kernels (slow; the test oracle)
  // Tiling: frames run in tiles whose cores are at most tile_size input pixels on a side, each grown
  // by tile_overlap pixels of context (output equals the untiled run when overlap >= the receptive
  // field). tile_size 0 = chosen so one tile's working memory fits memory_budget_mb; -1 = never tile.
  int tile_size = 0;
  int tile_overlap = -1;    // -1 = the model's receptive field
  int memory_budget_mb = 1024;
  // Override the model's vsr.colour ("rgb" | "y") and vsr.range ("0-1" | "0-255" | "studio"), for
  // third-party files that lack them or get them wrong. Empty = from the model (or its shapes).
  std::string colour;
  std::string range;
  // Where the network runs: "auto" (the best backend this build and machine have), "cpu", "cuda".
  // This build has the CPU backend only: "cuda" is refused with a clear error until the CUDA engine
  // lands, and "auto" means the CPU.
  std::string backend = "auto";
  int device_id = 0;                // CUDA device index (ignored on the CPU)
  std::string precision = "auto";   // "auto" | "fp32" | "fp16" (the CPU engine computes in fp32)
};

// Planar float image (C x H x W), values in the model's range ([0,1] for RGB models).
struct PlanarImage {
  int channels = 0;
  int height = 0;
  int width = 0;
  std::vector<float> values;
};

class Engine {
 public:
  // Loads and validates the model: unsupported ops, bad shapes and missing tensors fail here, with
  // the node and tensor named, never on a later frame.
  static std::unique_ptr<Engine> open(const std::string& model_path, const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const ModelInfo& info() const;
  // The backend and precision this engine runs with ("cpu", "fp32").
  std::string backend() const;
  std::string precision() const;
  // One line per fact, for `vsr-upscale --describe` and logs.
  std::string describe() const;

  // Upscales `in` into `out` (out = in size x scale). Formats may differ between in and out.
  // Single-frame models only. Throws vsr::Error on a size or format mismatch.
  void process(const Frame& in, const Frame& out);

  // Streams, for every model (multi-frame ones need them). push() takes the next frame and writes
  // `out` when an output is ready: the frame info().latency_frames back (window:N models see N
  // frames, the missing ones at the stream's edges replaced by the edge frame; recurrent models
  // write every frame at once, carrying their state to the next). Returns whether `out` was
  // written. After the last frame, drain() writes one held-back frame per call until it returns
  // false: every frame pushed comes out exactly once, in order. reset() forgets the stream (held
  // frames included: drain first; a recurrent model's state returns to zero). All frames of a
  // stream share size and format; `out` is scale x the input size.
  bool push(const Frame& in, const Frame& out);
  bool drain(const Frame& out);
  void reset();

  // Runs the network alone on planar float input (N=1), tiled like process(). Used by tests and
  // parity checks.
  PlanarImage run(const PlanarImage& input);

  // Per-node time in ms summed over the runs since set_profiling(true), in execution order.
  void set_profiling(bool on);
  std::vector<std::pair<std::string, double>> profile() const;

  // Effective tiling: core side in input pixels (0 = frames are never tiled) and overlap.
  int tile_size() const;
  int tile_overlap() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr
