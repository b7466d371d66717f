// vsr::Engine: model loading, validation by a probe run, and what the model says about itself.
// The per-frame path is in engine_frames.cpp.
#include <omp.h>

#include <sstream>

#include "engine_impl.h"
#include "kernels/cpu/colour.h"

namespace vsr {

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
  im->net = make_network(g, options);

  ModelInfo& info = im->info;
  info.path = path;
  info.metadata = g.metadata;
  info.arch = metadata_or(g, "vsr.arch", "unknown");
  info.temporal = metadata_or(g, "vsr.temporal", "none");
  info.trained_on = metadata_or(g, "vsr.trained_on", "");
  info.metrics = metadata_or(g, "vsr.metrics", "");
  // vsr.temporal: none, or window:N (N frames stacked on the channel axis, oldest first).
  if (info.temporal.rfind("window:", 0) == 0) {
    try {
      im->window = std::stoi(info.temporal.substr(7));
    } catch (const std::exception&) {
      im->window = 0;
    }
    if (im->window < 1 || im->window > 15 || im->window % 2 == 0)
      throw Error("model '" + path + "': vsr.temporal='" + info.temporal + "' needs an odd window of 1 to 15 frames");
  } else if (info.temporal == "recurrent") {
    im->recurrent = true;  // the loader found the state input and output
    im->state_scale = parse_int_metadata(g, "vsr.state_scale", 1);
    if (im->state_scale < 1 || im->state_scale > model_limits::kMaxUpscale)
      throw Error("model '" + path + "': vsr.state_scale=" + std::to_string(im->state_scale) + " is not 1 to " +
                  std::to_string(model_limits::kMaxUpscale));
  } else if (info.temporal == "interpolate") {
    throw Error("model '" + path + "' is a frame-interpolation model (vsr.temporal=interpolate): run it with "
                "vsr::Interpolator, the vsrinterpolate element or vsr-transcode --fps");
  } else if (info.temporal != "none") {
    throw Error("model '" + path + "': vsr.temporal='" + info.temporal +
                "' is not supported (none, window:N with N odd, and recurrent are)");
  }
  info.latency_frames = (im->window - 1) / 2;
  info.window_frames = im->window;
  const int64_t channels = g.input_shape[1];
  if (channels <= 0 || channels % im->window != 0 || (channels / im->window != 1 && channels / im->window != 3))
    throw Error("model '" + path + "': input '" + g.input + "' has " + std::to_string(channels) +
                " channels; vsr runs RGB (3) and luma (1) models" +
                (im->window > 1 ? ", times the window of " + std::to_string(im->window) + " frames" : std::string()));
  im->colour_channels = static_cast<int>(channels / im->window);
  const std::string colour =
      !options.colour.empty() ? options.colour : metadata_or(g, "vsr.colour", im->colour_channels == 1 ? "y" : "rgb");
  if (colour != "rgb" && colour != "y")
    throw Error("model '" + path + "': colour '" + colour + "' is not one of rgb, y");
  info.colour = colour == "y" ? ModelColour::Y : ModelColour::Rgb;
  if ((info.colour == ModelColour::Y) != (im->colour_channels == 1))
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
  for (const auto& [name, t] : g.constants)
    if (!t.is_int) info.parameters += t.numel();
  info.receptive_field = parse_int_metadata(g, "vsr.receptive_field", estimate_receptive_field(g));

  // Probe run: proves every node runs and measures the scale from shapes, at load time.
  const int64_t ph = g.input_shape[2] > 0 ? g.input_shape[2] : 16, pw = g.input_shape[3] > 0 ? g.input_shape[3] : 16;
  cpu::Tensor probe;
  probe.resize({1, channels, ph, pw});
  for (size_t i = 0; i < probe.data.size(); ++i) probe.data[i] = static_cast<float>(i % 97) / 97.0f;
  if (im->recurrent) im->state.resize({1, g.state_input_shape[1], ph * im->state_scale, pw * im->state_scale});
  const std::string state_hint = im->recurrent ? "state input '" + g.state_input + "' of shape " +
                                                     cpu::shape_string(im->state.shape) + " (vsr.state_scale=" +
                                                     std::to_string(im->state_scale) + " sets the state's size relative to the frame)"
                                               : std::string();
  const cpu::Tensor* probe_out = nullptr;
  try {
    probe_out = &im->net->run(probe, im->recurrent ? &im->state : nullptr);
  } catch (const Error& e) {
    if (!im->recurrent) throw;
    throw Error(std::string(e.what()) + "; the load probe fed the " + state_hint);
  }
  const cpu::Tensor& out = *probe_out;
  if (im->recurrent) {
    const cpu::Tensor& next = im->net->state_output();
    if (next.is_int || next.shape != im->state.shape)
      throw Error("model '" + path + "': state output '" + g.state_output + "' has shape " + cpu::shape_string(next.shape) +
                  (next.is_int ? " (int64)" : "") + " for the " + state_hint + "; they must match");
  }
  if (out.is_int)
    throw Error("model '" + path + "': output '" + g.output + "' is an integer tensor, not an image");
  if (out.shape.size() != 4 || out.shape[1] != im->colour_channels || out.shape[2] % ph != 0 || out.shape[3] % pw != 0 ||
      out.shape[2] / ph != out.shape[3] / pw || out.shape[2] / ph < 1)
    throw Error("model '" + path + "': output '" + g.output + "' has shape " + cpu::shape_string(out.shape) + " for input " +
                cpu::shape_string(probe.shape) + "; expected [1x" + std::to_string(im->colour_channels) + "x(s*H)x(s*W)]");
  const int measured = static_cast<int>(out.shape[2] / ph);
  info.scale = parse_int_metadata(g, "vsr.scale", measured);
  if (info.scale != measured)
    throw Error("model '" + path + "': metadata vsr.scale=" + std::to_string(info.scale) + " but the graph upscales by " +
                std::to_string(measured));
  info.op_types = im->net->op_types();
  info.input_height = g.input_shape[2] > 0 ? static_cast<int>(g.input_shape[2]) : 0;
  info.input_width = g.input_shape[3] > 0 ? static_cast<int>(g.input_shape[3]) : 0;

  im->overlap = options.tile_overlap >= 0 ? options.tile_overlap : info.receptive_field;
  if (im->recurrent || im->net->working_bytes() == 0) {
    im->tile = 0;  // recurrent: the state spans the whole frame; a backend that does not tile
  } else if (options.tile_size > 0) {
    im->tile = options.tile_size;
  } else if (options.tile_size == 0) {
    // The probe's buffers tell how much working memory one input pixel costs.
    const double per_pixel = static_cast<double>(im->net->working_bytes()) / static_cast<double>(ph * pw);
    im->tile = tile_side_for_budget(per_pixel, im->net->memory_budget_bytes(options.memory_budget_mb * 1048576.0),
                                    im->overlap);
  }
  im->runner = std::make_unique<TiledRunner>(*im->net, info.scale);
  return std::unique_ptr<Engine>(new Engine(std::move(im)));
}

const ModelInfo& Engine::info() const { return impl_->info; }
std::string Engine::backend() const { return impl_->net->backend(); }
std::string Engine::precision() const { return impl_->net->precision(); }
int Engine::tile_size() const { return impl_->tile; }
void Engine::set_profiling(bool on) { impl_->net->set_profiling(on); }
std::vector<std::pair<std::string, double>> Engine::profile() const { return impl_->net->profile(); }
int Engine::tile_overlap() const { return impl_->overlap; }

std::string Engine::describe() const {
  const ModelInfo& i = impl_->info;
  std::ostringstream s;
  s << "model: " << i.path << "\n"
    << "arch: " << i.arch << "\n"
    << "scale: " << i.scale << "\n"
    << "colour: " << (i.colour == ModelColour::Rgb ? "rgb" : "y") << " (range " << i.range << ")\n"
    << "backend: " << backend() << " (" << precision() << ")\n"
    << "temporal: " << i.temporal << " (latency " << i.latency_frames << " frames)\n"
    << "parameters: " << i.parameters << "\n"
    << "receptive_field: " << i.receptive_field << "\n"
    << "ops:";
  for (const auto& op : i.op_types) s << " " << op;
  s << "\nsteps: " << impl_->net->step_summary() << "\n"
    << "tiles: " << (impl_->tile > 0 ? std::to_string(impl_->tile) + " px cores, " + std::to_string(impl_->overlap) + " px overlap"
                     : std::string(impl_->recurrent ? "off (recurrent: the state spans the frame)" : "off")) << "\n";
  if (impl_->recurrent)
    s << "state: " << impl_->graph.state_input << " -> " << impl_->graph.state_output << ", "
      << impl_->graph.state_input_shape[1] << " channels at " << impl_->state_scale << "x the frame size\n";
  if (!i.trained_on.empty()) s << "trained_on: " << i.trained_on << "\n";
  if (!i.metrics.empty()) s << "metrics: " << i.metrics << "\n";
  return s.str();
}

}  // namespace vsr
