// vsr::Interpolator: a vsr.temporal=interpolate model run on two frames and a time. The frames go
// through the same colour conversion as the upscaler's; the network runs whole frames on the
// engine's backend (CPU, or CUDA where built and asked for).
#include "vsr/interpolator.h"

#include <omp.h>

#include <algorithm>

#include "graph.h"
#include "kernels/cpu/colour.h"
#include "network.h"
#include "vsr/model_zoo.h"

namespace vsr {

struct Interpolator::Impl {
  bool blend = false;  // "blend": no model, the linear mix of the two frames
  Graph graph;
  std::unique_ptr<Network> net;
  ModelInfo info;
  int multiple = 1;
  int passes = 1;  // set_ensemble
  cpu::Tensor input;
  std::vector<float> rgb0, rgb1, result;
};

namespace {

std::string metadata_or(const Graph& g, const std::string& key, const std::string& fallback) {
  auto it = g.metadata.find(key);
  return it == g.metadata.end() ? fallback : it->second;
}

// Copies a C x h x w planar image into channels [c0, c0 + C) of `dst` (C' x H x W, H >= h, W >= w),
// mirrored left-right if asked, replicating the last row and column into the padding.
void place_padded(const float* src, int channels, int h, int w, cpu::Tensor& dst, int c0, bool mirror) {
  const int64_t H = dst.shape[2], W = dst.shape[3];
  for (int c = 0; c < channels; ++c)
    for (int64_t y = 0; y < H; ++y) {
      const float* row = src + (static_cast<size_t>(c) * h + std::min<int64_t>(y, h - 1)) * w;
      float* out = dst.data.data() + ((c0 + c) * H + y) * W;
      if (mirror)
        std::reverse_copy(row, row + w, out);
      else
        std::copy(row, row + w, out);
      std::fill(out + w, out + W, out[w - 1]);
    }
}

void check_frames(const Frame& a, const Frame& b, const Frame& out) {
  if (a.width != b.width || a.height != b.height || a.width != out.width || a.height != out.height)
    throw Error("interpolate: the frames are " + std::to_string(a.width) + "x" + std::to_string(a.height) + ", " +
                std::to_string(b.width) + "x" + std::to_string(b.height) + " and " + std::to_string(out.width) + "x" +
                std::to_string(out.height) + "; all three must have one size");
  if (a.width <= 0 || a.height <= 0) throw Error("interpolate: empty frame");
}

}  // namespace

Interpolator::Interpolator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Interpolator::~Interpolator() = default;

std::unique_ptr<Interpolator> Interpolator::open(const std::string& model, const EngineOptions& options) {
  auto im = std::make_unique<Impl>();
  if (model == "blend") {
    im->blend = true;
    im->info.path = "blend";
    im->info.arch = "blend";
    im->info.temporal = "interpolate";
    im->info.scale = 1;
    return std::unique_ptr<Interpolator>(new Interpolator(std::move(im)));
  }
  if (options.threads > 0) omp_set_num_threads(options.threads);
  const std::string path = resolve_model(model);
  im->graph = load_onnx_graph(path);
  const Graph& g = im->graph;
  ModelInfo& info = im->info;
  info.path = path;
  info.metadata = g.metadata;
  info.arch = metadata_or(g, "vsr.arch", "unknown");
  info.temporal = metadata_or(g, "vsr.temporal", "none");
  info.trained_on = metadata_or(g, "vsr.trained_on", "");
  info.metrics = metadata_or(g, "vsr.metrics", "");
  info.scale = 1;
  if (info.temporal != "interpolate")
    throw Error("model '" + path + "': vsr.temporal='" + info.temporal +
                "'; an interpolation model says vsr.temporal=interpolate");
  if (g.input_shape.size() != 4 || g.input_shape[1] != 7)
    throw Error("model '" + path + "': input '" + g.input + "' must have 7 channels (frame 0 RGB, frame 1 RGB, t)");
  try {
    im->multiple = std::stoi(metadata_or(g, "vsr.size_multiple", "1"));
  } catch (const std::exception&) {
    im->multiple = 0;
  }
  if (im->multiple < 1 || im->multiple > 256)
    throw Error("model '" + path + "': vsr.size_multiple must be 1 to 256");
  for (const auto& [name, t] : g.constants)
    if (!t.is_int) info.parameters += t.numel();
  im->net = make_network(g, options);

  // Probe run: every node runs and the output is the RGB frame at the input's size.
  const int64_t side = std::max(16, 2 * im->multiple);
  cpu::Tensor probe;
  probe.resize({1, 7, side, side});
  for (size_t i = 0; i < probe.data.size(); ++i) probe.data[i] = static_cast<float>(i % 89) / 89.0f;
  const cpu::Tensor& out = im->net->run(probe);
  if (out.is_int || out.shape != std::vector<int64_t>{1, 3, side, side})
    throw Error("model '" + path + "': output '" + g.output + "' has shape " + cpu::shape_string(out.shape) +
                " for input " + cpu::shape_string(probe.shape) + "; expected the RGB frame at the same size");
  info.op_types = im->net->op_types();
  return std::unique_ptr<Interpolator>(new Interpolator(std::move(im)));
}

void Interpolator::set_ensemble(int passes) {
  if (passes != 1 && passes != 2 && passes != 4)
    throw Error("interpolation ensemble of " + std::to_string(passes) + " passes: expected 1, 2 or 4");
  impl_->passes = passes;
}

int Interpolator::ensemble() const { return impl_->passes; }

void Interpolator::set_profiling(bool on) {
  if (!impl_->blend) impl_->net->set_profiling(on);
}

std::vector<std::pair<std::string, double>> Interpolator::profile() const {
  return impl_->blend ? std::vector<std::pair<std::string, double>>{} : impl_->net->profile();
}

const ModelInfo& Interpolator::info() const { return impl_->info; }
int Interpolator::size_multiple() const { return impl_->multiple; }
std::string Interpolator::backend() const { return impl_->blend ? "cpu" : impl_->net->backend(); }

void Interpolator::interpolate(const Frame& first, const Frame& second, double t, const Frame& out) {
  if (!(t > 0 && t < 1)) throw Error("interpolate: t=" + std::to_string(t) + " is not in (0, 1)");
  check_frames(first, second, out);
  Impl& im = *impl_;
  const int w = first.width, h = first.height, m = im.multiple;
  const int64_t H = (h + m - 1) / m * m, W = (w + m - 1) / m * m;
  const size_t plane = static_cast<size_t>(w) * h;
  im.rgb0.resize(3 * plane);
  im.rgb1.resize(3 * plane);
  cpu::frame_to_planar_rgb(first, im.rgb0.data());
  cpu::frame_to_planar_rgb(second, im.rgb1.data());
  if (im.blend) {
    im.result.resize(3 * plane);
    const auto w1 = static_cast<float>(t), w0 = 1.0f - w1;
    for (size_t i = 0; i < im.result.size(); ++i) im.result[i] = w0 * im.rgb0[i] + w1 * im.rgb1[i];
    cpu::planar_rgb_to_frame(im.result.data(), out, &first);
    return;
  }
  im.input.resize({1, 7, H, W});
  im.result.assign(3 * plane, 0.0f);
  const float share = 1.0f / static_cast<float>(im.passes);
  for (int pass = 0; pass < im.passes; ++pass) {
    const bool swap = pass % 2 == 1, mirror = pass >= 2;  // passes: as given, swapped, mirrored, both
    place_padded((swap ? im.rgb1 : im.rgb0).data(), 3, h, w, im.input, 0, mirror);
    place_padded((swap ? im.rgb0 : im.rgb1).data(), 3, h, w, im.input, 3, mirror);
    std::fill(im.input.data.begin() + 6 * H * W, im.input.data.end(), static_cast<float>(swap ? 1.0 - t : t));
    const cpu::Tensor& y = im.net->run(im.input);
    for (int c = 0; c < 3; ++c)
      for (int row = 0; row < h; ++row) {
        const float* src = y.data.data() + (c * H + row) * W;
        float* dst = im.result.data() + (static_cast<size_t>(c) * h + row) * w;
        for (int x = 0; x < w; ++x) dst[x] += share * src[mirror ? w - 1 - x : x];
      }
  }
  cpu::planar_rgb_to_frame(im.result.data(), out, &first);
}

}  // namespace vsr
