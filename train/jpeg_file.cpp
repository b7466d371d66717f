#include "jpeg_file.h"

#include <cstdio>
#include <memory>

#include "train/degrade/libjpeg_errors.h"
#include "vsr/error.h"

namespace vsr::train {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

}  // namespace

Image8 read_jpeg_rgb(const std::string& path, int scale_denominator) {
  if (scale_denominator != 1 && scale_denominator != 2 && scale_denominator != 4 && scale_denominator != 8)
    throw Error("JPEG scale 1/" + std::to_string(scale_denominator) + " is not 1/1, 1/2, 1/4 or 1/8");
  std::unique_ptr<FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw Error("cannot open JPEG '" + path + "'");
  Image8 img;
  degrade::JpegErrorManager err;
  jpeg_decompress_struct dec;
  dec.err = degrade::jpeg_errors(err);
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&dec);
    throw Error("JPEG '" + path + "': " + err.message);
  }
  jpeg_create_decompress(&dec);
  jpeg_stdio_src(&dec, file.get());
  jpeg_read_header(&dec, TRUE);
  dec.out_color_space = JCS_RGB;
  dec.scale_num = 1;
  dec.scale_denom = static_cast<unsigned>(scale_denominator);
  jpeg_start_decompress(&dec);
  img.width = static_cast<int>(dec.output_width);
  img.height = static_cast<int>(dec.output_height);
  img.channels = 3;
  img.pixels.resize(static_cast<size_t>(img.width) * img.height * 3);
  while (dec.output_scanline < dec.output_height) {
    JSAMPROW row = img.row(static_cast<int>(dec.output_scanline));
    jpeg_read_scanlines(&dec, &row, 1);
  }
  jpeg_finish_decompress(&dec);
  jpeg_destroy_decompress(&dec);
  return img;
}

}  // namespace vsr::train
