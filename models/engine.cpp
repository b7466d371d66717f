// vsr::Engine: model loading, validation by a probe run, and the per-frame path
// (frame planes -> planar float -> network -> frame planes).
#include "vsr/engine.h"

#include <omp.h>

#include <sstream>

#include "execution_plan.h"
#include "graph.h"
#include "kernels/cpu/colour.h"
#include "tiled_runner.h"

namespace vsr {

struct Engine::Impl {
  Graph graph;
  std::unique_ptr<ExecutionPlan> plan;
  std::unique_ptr<TiledRunner> runner;
  ModelInfo info;
  int tile = 0;       // core side; 0 = never tile
  int overlap = 0;
  // The network sees value * range_scale + range_offset (vsr.range), frames hold [0,1].
  float range_scale = 1.0f;
  float range_offset = 0.0f;
  cpu::Tensor input;     // reused between frames
  cpu::Tensor unranged;  // network output mapped back to [0,1] when vsr.range is not 0-1
};

namespace {

int parse_int_metadata(const Graph& g, const std::string& key, int fallback) {
  auto it = g.metadata.find(key);
  if (it == g.metadata.end()) return fallback;
  try {
    return std::stoi(it->second);
  } catch (const std::exception&) {
    throw Error("model '" + g.path + "': metadata " + key + "='" + it->second + "' is not an integer");
  }
}

std::string metadata_or(const Graph& g, const std::string& key, const std::string& fallback) {
  auto it = g.metadata.find(key);
  return it == g.metadata.end() ? fallback : it->second;
}

// Radius of the receptive field from the graph's convolutions (for files without vsr.receptive_field).
int estimate_receptive_field(const Graph& g) {
  int r = 0;
  for (const auto& n : g.nodes) {
    if (n.op_type != "Conv") continue;
    auto it = g.constants.find(n.inputs.at(1));
    if (it == g.constants.end() || it->second.shape.size() != 4) continue;
    const auto dil = n.get_ints("dilations", {1, 1});
    r += static_cast<int>(std::max((it->second.shape[2] - 1) * dil[0], (it->second.shape[3] - 1) * dil[1]) / 2);
  }
  return std::max(r, 1);
}

}  // namespace

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::open(const std::string& path, const EngineOptions& options) {
  auto im = std::make_unique<Impl>();
  if (options.threads > 0) omp_set_num_threads(options.threads);
  im->graph = load_onnx_graph(path);
  const Graph& g = im->graph;
  im->plan = std::make_unique<ExecutionPlan>(g, options.use_onednn);

  ModelInfo& info = im->info;
  info.path = path;
  info.metadata = g.metadata;
  info.arch = metadata_or(g, "vsr.arch", "unknown");
  info.temporal = metadata_or(g, "vsr.temporal", "none");
  info.trained_on = metadata_or(g, "vsr.trained_on", "");
  info.metrics = metadata_or(g, "vsr.metrics", "");
  const int64_t channels = g.input_shape[1];
  if (channels != 1 && channels != 3)
    throw Error("model '" + path + "': input '" + g.input + "' has " + std::to_string(channels) +
                " channels; vsr runs RGB (3) and luma (1) models");
  const std::string colour =
      !options.colour.empty() ? options.colour : metadata_or(g, "vsr.colour", channels == 1 ? "y" : "rgb");
  if (colour != "rgb" && colour != "y")
    throw Error("model '" + path + "': colour '" + colour + "' is not one of rgb, y");
  info.colour = colour == "y" ? ModelColour::Y : ModelColour::Rgb;
  if ((info.colour == ModelColour::Y) != (channels == 1))
    throw Error("model '" + path + "': colour '" + colour + "' does not fit input '" + g.input + "' with " +
                std::to_string(channels) + " channels");
  info.range = !options.range.empty() ? options.range : metadata_or(g, "vsr.range", "0-1");
  if (info.range == "0-255") {
    im->range_scale = 255.0f;
  } else if (info.range == "studio" && info.colour == ModelColour::Y) {
    // Classic SRCNN/FSRCNN luma: MATLAB's studio-swing Y (16..235) divided by 255.
    im->range_scale = 219.0f / 255.0f;
    im->range_offset = 16.0f / 255.0f;
  } else if (info.range != "0-1") {
    throw Error("model '" + path + "': range '" + info.range + "' is not one of 0-1, 0-255" +
                (info.colour == ModelColour::Y ? ", studio" : ""));
  }
  if (info.temporal != "none")
    throw Error("model '" + path + "': vsr.temporal='" + info.temporal + "' is not supported yet (single-frame only)");
  for (const auto& [name, t] : g.constants)
    if (!t.is_int) info.parameters += t.numel();
  info.receptive_field = parse_int_metadata(g, "vsr.receptive_field", estimate_receptive_field(g));

  // Probe run: proves every node runs and measures the scale from shapes, at load time.
  const int64_t ph = g.input_shape[2] > 0 ? g.input_shape[2] : 16, pw = g.input_shape[3] > 0 ? g.input_shape[3] : 16;
  cpu::Tensor probe;
  probe.resize({1, channels, ph, pw});
  for (size_t i = 0; i < probe.data.size(); ++i) probe.data[i] = static_cast<float>(i % 97) / 97.0f;
  const cpu::Tensor& out = im->plan->run(probe);
  if (out.shape.size() != 4 || out.shape[1] != channels || out.shape[2] % ph != 0 || out.shape[3] % pw != 0 ||
      out.shape[2] / ph != out.shape[3] / pw || out.shape[2] / ph < 1)
    throw Error("model '" + path + "': output '" + g.output + "' has shape " + cpu::shape_string(out.shape) + " for input " +
                cpu::shape_string(probe.shape) + "; expected [1x" + std::to_string(channels) + "x(s*H)x(s*W)]");
  const int measured = static_cast<int>(out.shape[2] / ph);
  info.scale = parse_int_metadata(g, "vsr.scale", measured);
  if (info.scale != measured)
    throw Error("model '" + path + "': metadata vsr.scale=" + std::to_string(info.scale) + " but the graph upscales by " +
                std::to_string(measured));
  info.op_types = im->plan->op_types();

  im->overlap = options.tile_overlap >= 0 ? options.tile_overlap : info.receptive_field;
  if (options.tile_size > 0) {
    im->tile = options.tile_size;
  } else if (options.tile_size == 0) {
    // The probe's buffers tell how much working memory one input pixel costs.
    const double per_pixel = static_cast<double>(im->plan->working_bytes()) / static_cast<double>(ph * pw);
    im->tile = tile_side_for_budget(per_pixel, options.memory_budget_mb * 1048576.0, im->overlap);
  }
  im->runner = std::make_unique<TiledRunner>(*im->plan, info.scale);
  return std::unique_ptr<Engine>(new Engine(std::move(im)));
}

const ModelInfo& Engine::info() const { return impl_->info; }
int Engine::tile_size() const { return impl_->tile; }
void Engine::set_profiling(bool on) { impl_->plan->set_profiling(on); }
std::vector<std::pair<std::string, double>> Engine::profile() const { return impl_->plan->profile(); }
int Engine::tile_overlap() const { return impl_->overlap; }

std::string Engine::describe() const {
  const ModelInfo& i = impl_->info;
  std::ostringstream s;
  s << "model: " << i.path << "\n"
    << "arch: " << i.arch << "\n"
    << "scale: " << i.scale << "\n"
    << "colour: " << (i.colour == ModelColour::Rgb ? "rgb" : "y") << " (range " << i.range << ")\n"
    << "temporal: " << i.temporal << " (latency " << i.latency_frames << " frames)\n"
    << "parameters: " << i.parameters << "\n"
    << "receptive_field: " << i.receptive_field << "\n"
    << "ops:";
  for (const auto& op : i.op_types) s << " " << op;
  s << "\nsteps: " << impl_->plan->step_count() << " (" << impl_->plan->fused_activations()
    << " activations fused, " << impl_->plan->chained_convolutions()
    << " convolutions chained), buffers: " << impl_->plan->slot_count() << "\n"
    << "tiles: " << (impl_->tile > 0 ? std::to_string(impl_->tile) + " px cores, " + std::to_string(impl_->overlap) + " px overlap" : std::string("off")) << "\n";
  if (!i.trained_on.empty()) s << "trained_on: " << i.trained_on << "\n";
  if (!i.metrics.empty()) s << "metrics: " << i.metrics << "\n";
  return s.str();
}

PlanarImage Engine::run(const PlanarImage& input) {
  const int channels = impl_->info.colour == ModelColour::Y ? 1 : 3;
  if (input.channels != channels || input.height <= 0 || input.width <= 0 ||
      input.values.size() != static_cast<size_t>(input.channels) * input.height * input.width)
    throw Error("Engine::run: input must be " + std::to_string(channels) +
                " x H x W planar floats with matching value count");
  impl_->input.shape = {1, input.channels, input.height, input.width};
  impl_->input.data = input.values;
  const cpu::Tensor& out = impl_->runner->run(impl_->input, impl_->tile, impl_->overlap);
  PlanarImage result;
  result.channels = static_cast<int>(out.shape[1]);
  result.height = static_cast<int>(out.shape[2]);
  result.width = static_cast<int>(out.shape[3]);
  result.values = out.data;
  return result;
}

void Engine::process(const Frame& in, const Frame& out) {
  const int s = impl_->info.scale;
  if (out.width != in.width * s || out.height != in.height * s)
    throw Error("output frame is " + std::to_string(out.width) + "x" + std::to_string(out.height) + ", expected " +
                std::to_string(in.width * s) + "x" + std::to_string(in.height * s) + " (input x" + std::to_string(s) + ")");
  const bool luma = impl_->info.colour == ModelColour::Y;
  cpu::Tensor& x = impl_->input;
  x.resize({1, luma ? 1 : 3, in.height, in.width});
  if (luma)
    cpu::frame_to_planar_luma(in, x.data.data());
  else
    cpu::frame_to_planar_rgb(in, x.data.data());
  const float a = impl_->range_scale, b = impl_->range_offset;
  if (a != 1.0f || b != 0.0f)
    for (float& v : x.data) v = v * a + b;
  const cpu::Tensor* y = &impl_->runner->run(x, impl_->tile, impl_->overlap);
  if (a != 1.0f || b != 0.0f) {
    cpu::Tensor& back = impl_->unranged;
    back.resize(y->shape);
    for (size_t i = 0; i < back.data.size(); ++i) back.data[i] = (y->data[i] - b) / a;
    y = &back;
  }
  if (luma)
    cpu::luma_to_frame(y->data.data(), in, out);
  else
    cpu::planar_rgb_to_frame(y->data.data(), out, &in);
}

}  // namespace vsr
