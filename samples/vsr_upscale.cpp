// vsr-upscale: upscales PNG images with a vsr model, and the smallest example of the C++ API.
//   vsr-upscale --model espcn_x2 in.png out.png
//   vsr-upscale --model espcn_x2 --describe
#include <CLI/CLI.hpp>

#include <iostream>

#include "eval/image.h"
#include "eval/image_frame.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

int main(int argc, char** argv) {
  std::string model = vsr::kDefaultModel, input, output;
  bool describe = false;
  int threads = 0;
  CLI::App app{"vsr-upscale: super-resolve PNG images"};
  app.add_option("--model", model, "model file or shipped name");
  app.add_flag("--describe", describe, "print what the model is and exit");
  app.add_option("--threads", threads, "CPU threads (0 = all)");
  app.add_option("input", input, "input PNG");
  app.add_option("output", output, "output PNG");
  CLI11_PARSE(app, argc, argv);
  try {
    vsr::EngineOptions options;
    options.threads = threads;
    auto engine = vsr::Engine::open(vsr::resolve_model(model), options);
    if (describe) {
      std::cout << engine->describe();
      return 0;
    }
    if (input.empty() || output.empty()) throw vsr::Error("give an input and an output PNG (or --describe)");
    vsr::Image8 in = vsr::read_png_rgb(input);
    const int s = engine->info().scale;
    vsr::Image8 out = vsr::blank_rgb(in.width * s, in.height * s);
    engine->process(vsr::frame_of(in), vsr::frame_of(out));
    vsr::write_png(output, out);
    std::cout << input << " (" << in.width << "x" << in.height << ") -> " << output << " (" << out.width << "x"
              << out.height << ")\n";
  } catch (const std::exception& e) {
    std::cerr << "vsr-upscale: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
