// Frame interpolation: the frame at a fractional time between two frames, from a model trained by
// vsr-train (flow estimation, warping, blending; models/zoo/interp_*.onnx) and run by the vsr engine.
//
//   auto interp = vsr::Interpolator::open("interp_ifnet");
//   interp->interpolate(frame0, frame1, 0.5, middle);   // any t in (0,1)
//
// The model contract (ONNX metadata vsr.temporal=interpolate): one input of 7 channels, frame 0's RGB,
// frame 1's RGB (both [0,1]) and a plane holding t; one output, the RGB frame at t, same size. Its
// height and width must be multiples of vsr.size_multiple (frames are padded by edge replication and
// the result cropped). Frames run whole, never tiled: motion reaches across any tile.
// Public on purpose: no CUDA, GStreamer, oneDNN or LibTorch types appear here.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vsr/engine.h"

namespace vsr {

class Interpolator {
 public:
  // A path or a shipped name, or "blend" (no model: the linear mix of the two frames, the baseline).
  // Throws vsr::Error naming what does not fit the contract.
  static std::unique_ptr<Interpolator> open(const std::string& model, const EngineOptions& options = {});
  ~Interpolator();
  Interpolator(const Interpolator&) = delete;
  Interpolator& operator=(const Interpolator&) = delete;

  const ModelInfo& info() const;
  int size_multiple() const;
  std::string backend() const;

  // Writes the frame at time t in (0,1) between `first` (t = 0) and `second` (t = 1) into `out`.
  // All three have one size; formats may differ (alpha and chroma placement come from `first`).
  void interpolate(const Frame& first, const Frame& second, double t, const Frame& out);

  // Test-time ensemble: the model runs `passes` times on transformed inputs and the results are
  // averaged -- 1 (the default): as given; 2: also with the frames swapped (t -> 1 - t); 4: also both
  // mirrored left-right. Costs `passes` times the time; smooths the flows' one-sided mistakes
  // (docs/BENCHMARKS.md has the gain). The blend ignores it. Throws vsr::Error for another count.
  void set_ensemble(int passes);
  int ensemble() const;

  // Per-node time of the network in ms, summed over the passes since set_profiling(true), in
  // execution order (empty for the blend).
  void set_profiling(bool on);
  std::vector<std::pair<std::string, double>> profile() const;

 private:
  struct Impl;
  explicit Interpolator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr
