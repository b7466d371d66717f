// The per-frame path: frame planes -> planar float -> network (tiled) -> frame planes, and the
// multi-frame streams (window models see N frames, output lags by (N-1)/2 frames and drain() empties
// it; recurrent models carry a state from frame to frame, with no lag).
#include <algorithm>

#include "engine_impl.h"
#include "kernels/cpu/colour.h"

namespace vsr {
namespace {

std::string frame_description(PixelFormat f, int w, int h) {
  return to_string(f) + " " + std::to_string(w) + "x" + std::to_string(h);
}

void check_output_size(const Frame& in, const Frame& out, int s) {
  if (out.width != in.width * s || out.height != in.height * s)
    throw Error("output frame is " + std::to_string(out.width) + "x" + std::to_string(out.height) + ", expected " +
                std::to_string(in.width * s) + "x" + std::to_string(in.height * s) + " (input x" + std::to_string(s) + ")");
}

// A model with a fixed input size takes frames of that size only.
void check_input_size(const Frame& in, const ModelInfo& info) {
  if ((info.input_width > 0 && in.width != info.input_width) || (info.input_height > 0 && in.height != info.input_height))
    throw Error("model '" + info.path + "' takes only " + std::to_string(info.input_width) + "x" +
                std::to_string(info.input_height) + " frames (its input size is fixed); the frame is " +
                std::to_string(in.width) + "x" + std::to_string(in.height));
}

}  // namespace

void Engine::Impl::to_planar(const Frame& in, float* dst) const {
  if (info.colour == ModelColour::Y)
    cpu::frame_to_planar_luma(in, dst);
  else
    cpu::frame_to_planar_rgb(in, dst);
}

void Engine::Impl::run_and_write(const Frame& source, const Frame& out) {
  const float a = range_scale, b = range_offset;
  if (a != 1.0f || b != 0.0f)
    for (float& v : input.data) v = v * a + b;
  const cpu::Tensor* y = recurrent ? &net->run(input, &state) : &run_tiled();
  if (a != 1.0f || b != 0.0f) {
    unranged.resize(y->shape);
    for (size_t i = 0; i < unranged.data.size(); ++i) unranged.data[i] = (y->data[i] - b) / a;
    y = &unranged;
  }
  if (info.colour == ModelColour::Y)
    cpu::luma_to_frame(y->data.data(), source, out);
  else
    cpu::planar_rgb_to_frame(y->data.data(), out, &source);
  if (recurrent) state = net->state_output();  // same shape every frame: the copy reuses capacity
}

// Out of device memory: halve the tiles (from the whole frame if it was untiled) and run again, down
// to kMinTile; the smaller tiles stay for later frames.
const cpu::Tensor& Engine::Impl::run_tiled() {
  constexpr int kMinTile = 32;
  for (;;) {
    try {
      return runner->run(input, tile, overlap);
    } catch (const std::exception& e) {
      const int side = tile > 0 ? tile : static_cast<int>(std::max(input.shape[2], input.shape[3]));
      if (!out_of_device_memory(e) || side <= kMinTile) throw;
      tile = std::max(kMinTile, side / 2);
    }
  }
}

void Engine::Impl::push_recurrent(const Frame& in, const Frame& out) {
  if (pushed > 0 && (in.width != stream_width || in.height != stream_height || in.format != stream_format))
    throw Error("frame " + std::to_string(pushed) + " is " + frame_description(in.format, in.width, in.height) +
                " but the stream so far is " + frame_description(stream_format, stream_width, stream_height) +
                ": reset() first (a recurrent model's state is tied to the frame size)");
  check_input_size(in, info);
  check_output_size(in, out, info.scale);
  if (pushed == 0) {
    stream_width = in.width;
    stream_height = in.height;
    stream_format = in.format;
    state.resize({1, graph.state_input_shape[1], static_cast<int64_t>(in.height) * state_scale,
                  static_cast<int64_t>(in.width) * state_scale});
    std::fill(state.data.begin(), state.data.end(), 0.0f);  // a stream starts from a zero state
  }
  input.resize({1, colour_channels, in.height, in.width});
  to_planar(in, input.data.data());
  run_and_write(in, out);
  ++pushed;
  ++emitted;
}

void Engine::Impl::emit(int64_t index, int64_t last, const Frame& out) {
  const int radius = (window - 1) / 2;
  const HeldFrame* centre = nullptr;
  for (const auto& h : held)
    if (h.index == index) centre = &h;
  const Frame& src = centre->source->frame();
  check_output_size(src, out, info.scale);
  const size_t plane = static_cast<size_t>(colour_channels) * src.width * src.height;
  input.resize({1, static_cast<int64_t>(colour_channels) * window, src.height, src.width});
  for (int k = 0; k < window; ++k) {
    // Frames before the first or after the last are the edge frame repeated.
    const int64_t want = std::min(std::max<int64_t>(index - radius + k, 0), last);
    const auto it = std::find_if(held.begin(), held.end(), [&](const HeldFrame& h) { return h.index == want; });
    std::copy(it->planar.begin(), it->planar.end(), input.data.begin() + k * plane);
  }
  run_and_write(src, out);
}

PlanarImage Engine::run(const PlanarImage& input) {
  if (impl_->recurrent)
    throw Error("model '" + impl_->info.path + "' is recurrent: feed it frames with push(), not run()");
  const int channels = impl_->colour_channels * impl_->window;
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
  Impl& im = *impl_;
  if (im.window > 1 || im.recurrent)
    throw Error("model '" + im.info.path + "' is a " + im.info.temporal +
                " model: feed it with push() and drain(), not process()");
  check_input_size(in, im.info);
  check_output_size(in, out, im.info.scale);
  // A backend with its own frame path (CUDA: one upload and one download of the frame's own planes,
  // none for frames already on the device) converts on its device; the CPU converts here.
  // Only whole frames take that path: a frame bigger than a tile goes through the tiled host path.
  const bool whole = im.tile <= 0 || (in.width <= im.tile && in.height <= im.tile);
  try {
    if (whole && im.info.colour == ModelColour::Rgb && im.net->run_frame(in, out, im.range_scale, im.range_offset))
      return;
  } catch (const std::exception& e) {
    if (!out_of_device_memory(e) || in.on_device || out.on_device) throw;
    im.tile = std::max(in.width, in.height) / 2;  // the frame does not fit: tiles from now on
  }
  if (in.on_device || out.on_device)
    throw Error("frames in GPU memory need a single-frame RGB model on backend cuda (model '" + im.info.path +
                "' runs on " + im.net->backend() + (im.info.colour == ModelColour::Y ? ", luma only" : "") + ")");
  im.input.resize({1, im.colour_channels, in.height, in.width});
  im.to_planar(in, im.input.data.data());
  im.run_and_write(in, out);
}

bool Engine::push(const Frame& in, const Frame& out) {
  Impl& im = *impl_;
  if ((in.on_device || out.on_device) && (im.window > 1 || im.recurrent))
    throw Error("frames in GPU memory go through single-frame models only (model '" + im.info.path + "' is " +
                im.info.temporal + ")");
  if (im.recurrent) {
    im.push_recurrent(in, out);
    return true;
  }
  if (im.window == 1) {
    process(in, out);
    ++im.pushed;
    ++im.emitted;
    return true;
  }
  if (!im.held.empty()) {
    const Frame& prev = im.held.back().source->frame();
    if (prev.width != in.width || prev.height != in.height || prev.format != in.format)
      throw Error("frame " + std::to_string(im.pushed) + " is " + frame_description(in.format, in.width, in.height) +
                  " but the stream so far is " +
                  frame_description(prev.format, prev.width, prev.height) + ": drain() and reset() first");
  }
  check_input_size(in, im.info);
  check_output_size(in, out, im.info.scale);
  HeldFrame h{im.pushed, std::make_unique<OwnedFrame>(in), {}};
  h.planar.resize(static_cast<size_t>(im.colour_channels) * in.width * in.height);
  im.to_planar(in, h.planar.data());
  im.held.push_back(std::move(h));
  ++im.pushed;
  const int radius = (im.window - 1) / 2;
  const int64_t ready = im.pushed - 1 - radius;  // the newest frame whose window is complete
  if (ready < im.emitted) return false;
  im.emit(im.emitted, im.pushed - 1, out);
  ++im.emitted;
  // Keep only what the next output's window still reads.
  while (!im.held.empty() && im.held.front().index < im.emitted - radius) im.held.pop_front();
  return true;
}

bool Engine::drain(const Frame& out) {
  Impl& im = *impl_;
  if (out.on_device && im.emitted < im.pushed)
    throw Error("frames in GPU memory go through single-frame models only (model '" + im.info.path + "')");
  if (im.emitted >= im.pushed) return false;
  const int radius = (im.window - 1) / 2;
  im.emit(im.emitted, im.pushed - 1, out);
  ++im.emitted;
  while (!im.held.empty() && im.held.front().index < im.emitted - radius) im.held.pop_front();
  return true;
}

void Engine::reset() {
  impl_->held.clear();
  impl_->pushed = 0;
  impl_->emitted = 0;
}

}  // namespace vsr
