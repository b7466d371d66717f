// Engine internals shared by engine.cpp (loading, description) and engine_frames.cpp (the per-frame
// path and multi-frame streams).
#pragma once
#include <deque>
#include <memory>
#include <vector>

#include "graph.h"
#include "network.h"
#include "owned_frame.h"
#include "tiled_runner.h"
#include "vsr/engine.h"

namespace vsr {

// One frame of a multi-frame stream, kept until no later output needs it.
struct HeldFrame {
  int64_t index;
  std::unique_ptr<OwnedFrame> source;  // for chroma/alpha when this frame is emitted
  std::vector<float> planar;           // what the network sees of it (C x H x W)
};

struct Engine::Impl {
  Graph graph;
  std::unique_ptr<Network> net;  // the backend's prepared network (CPU or CUDA)
  std::unique_ptr<TiledRunner> runner;
  ModelInfo info;
  int colour_channels = 3;  // 3 (RGB) or 1 (Y) per frame
  int window = 1;           // frames per network input (vsr.temporal=window:N); 1 = single-frame
  bool recurrent = false;   // vsr.temporal=recurrent: a state goes from each frame to the next
  int state_scale = 1;      // the state's size relative to the frame (vsr.state_scale)
  int tile = 0;             // core side; 0 = never tile
  int overlap = 0;
  // The network sees value * range_scale + range_offset (vsr.range), frames hold [0,1].
  float range_scale = 1.0f;
  float range_offset = 0.0f;
  cpu::Tensor input;     // reused between frames
  cpu::Tensor unranged;  // network output mapped back to [0,1] when vsr.range is not 0-1

  // Multi-frame stream state.
  std::deque<HeldFrame> held;
  int64_t pushed = 0;   // frames received since the last reset
  int64_t emitted = 0;  // frames written out since the last reset
  cpu::Tensor state;    // recurrent models: what the previous frame left (zeros after a reset)
  int stream_width = 0, stream_height = 0;  // recurrent models: the stream's frame size and format
  PixelFormat stream_format = PixelFormat::RGB;

  // Frame -> planar C x H x W in [0,1].
  void to_planar(const Frame& in, float* dst) const;
  // Runs the network on `input` (already stacked) and writes `out`, using `source` for chroma/alpha.
  // Recurrent models read `state` and leave the next state in it.
  void run_and_write(const Frame& source, const Frame& out);
  // The network on `input`, tiled; smaller tiles after the GPU runs out of memory.
  const cpu::Tensor& run_tiled();
  // One frame of a recurrent model's stream.
  void push_recurrent(const Frame& in, const Frame& out);
  // Emits output frame `index` from the held frames (window edges replicated up to `last`).
  void emit(int64_t index, int64_t last, const Frame& out);
};

}  // namespace vsr
