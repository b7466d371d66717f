// 8-bit interleaved images and the PNG files they come from. Used by the trainer, vsr-eval and
// vsr-upscale; never by the engine itself (the engine sees frame planes).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vsr {

// Interleaved 8-bit image, `channels` values per pixel (1 or 3), rows packed.
struct Image8 {
  int width = 0;
  int height = 0;
  int channels = 3;
  std::vector<uint8_t> pixels;

  uint8_t* row(int y) { return pixels.data() + static_cast<size_t>(y) * width * channels; }
  const uint8_t* row(int y) const { return pixels.data() + static_cast<size_t>(y) * width * channels; }
};

// Reads any PNG as RGB (grey is replicated, alpha dropped, 16-bit reduced). `was_grey` reports whether
// the file itself had one colour channel (the evaluation protocol scores such images on raw grey).
// Throws vsr::Error naming the file on failure.
Image8 read_png_rgb(const std::string& path, bool* was_grey = nullptr);
// The same from PNG bytes in memory (one decoder serves both); `name` stands for the input in errors.
// A header that claims more pixels than the bytes could hold is refused before anything is allocated.
Image8 read_png_rgb_from_memory(const uint8_t* data, size_t size, const std::string& name, bool* was_grey = nullptr);
void write_png(const std::string& path, const Image8& image);

// Top-left crop to a multiple of `scale` (the SR evaluation protocol's "modcrop").
Image8 modcrop(const Image8& image, int scale);

// Lists *.png files in a folder, sorted by name. Throws vsr::Error if the folder cannot be read.
std::vector<std::string> list_png_files(const std::string& folder);

}  // namespace vsr
