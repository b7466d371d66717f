// vsr-upscale: upscales PNG images with any vsr model, and the smallest example of the C++ API.
//   vsr-upscale --model espcn_x2 in.png out.png
//   vsr-upscale --model espcn_x2 --input-dir photos/ --output-dir photos_x2/
//   vsr-upscale --model espcn_x2 --describe
// Multi-frame (window) models see each image as a one-frame stream (the image repeated).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "eval/image.h"
#include "eval/image_frame.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace {

void upscale_file(vsr::Engine& engine, const std::string& input, const std::string& output) {
  vsr::Image8 in = vsr::read_png_rgb(input);
  const int s = engine.info().scale;
  vsr::Image8 out = vsr::blank_rgb(in.width * s, in.height * s);
  // push + drain works for every model; a single-frame model writes on push.
  engine.reset();
  if (!engine.push(vsr::frame_of(in), vsr::frame_of(out)) && !engine.drain(vsr::frame_of(out)))
    throw vsr::Error("no output for '" + input + "'");
  // Written under a temporary name first: an interrupted run never leaves a truncated PNG behind.
  const std::string partial = output + ".partial";
  vsr::write_png(partial, out);
  std::filesystem::rename(partial, output);
  std::cout << input << " (" << in.width << "x" << in.height << ") -> " << output << " (" << out.width << "x"
            << out.height << ")\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string model = vsr::kDefaultModel, input, output, input_dir, output_dir, colour, range;
  bool describe = false;
  int threads = 0, tile = 0;
  CLI::App app{"vsr-upscale: super-resolve PNG images"};
  app.add_option("--model", model, "model file or shipped name");
  app.add_flag("--describe", describe, "print what the model is and exit");
  app.add_option("--threads", threads, "CPU threads (0 = all)");
  app.add_option("--tile", tile, "tile core size in input pixels (0 = from the memory budget, -1 = never)");
  app.add_option("--colour", colour, "override the model's colour: rgb or y");
  app.add_option("--range", range, "override the model's range: 0-1, 0-255 or studio (y)");
  app.add_option("--input-dir", input_dir, "upscale every PNG in this folder");
  app.add_option("--output-dir", output_dir, "where --input-dir results go (same file names)");
  app.add_option("input", input, "input PNG");
  app.add_option("output", output, "output PNG");
  CLI11_PARSE(app, argc, argv);
  try {
    vsr::EngineOptions options;
    options.threads = threads;
    options.tile_size = tile;
    options.colour = colour;
    options.range = range;
    auto engine = vsr::Engine::open(vsr::resolve_model(model), options);
    if (describe) {
      std::cout << engine->describe();
      return 0;
    }
    if (!input_dir.empty()) {
      if (output_dir.empty()) throw vsr::Error("--input-dir needs --output-dir");
      std::filesystem::create_directories(output_dir);
      const auto files = vsr::list_png_files(input_dir);
      if (files.empty()) throw vsr::Error("no PNG images in '" + input_dir + "'");
      for (const auto& f : files)
        upscale_file(*engine, f, (std::filesystem::path(output_dir) / std::filesystem::path(f).filename()).string());
      return 0;
    }
    if (input.empty() || output.empty()) throw vsr::Error("give an input and an output PNG, --input-dir, or --describe");
    upscale_file(*engine, input, output);
  } catch (const std::exception& e) {
    std::cerr << "vsr-upscale: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
