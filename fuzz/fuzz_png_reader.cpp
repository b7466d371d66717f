// Fuzz entry point for the image reader: bytes -> vsr::read_png_rgb_from_memory (the decoder behind
// read_png_rgb). Every input must end in an image or a vsr::Error: libpng's errors are longjmps
// that the reader turns into Errors, and a header may not make it allocate more than the bytes can
// hold. A decoded image is checked against its own size (the callers index rows by it).
#include <cstdio>
#include <cstdlib>

#include "eval/image.h"
#include "vsr/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    bool grey = false;
    const vsr::Image8 image = vsr::read_png_rgb_from_memory(data, size, "fuzz-input.png", &grey);
    if (image.width <= 0 || image.height <= 0 || image.channels != 3 ||
        image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3) {
      std::fprintf(stderr, "decoded %dx%dx%d with %zu values\n", image.width, image.height, image.channels,
                   image.pixels.size());
      std::abort();
    }
  } catch (const vsr::Error&) {
    // the expected way for bad bytes to end
  }
  return 0;
}
