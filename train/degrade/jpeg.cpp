#include "jpeg.h"

#include <cstdlib>

#include "libjpeg_errors.h"
#include "vsr/error.h"

namespace vsr::degrade {

FloatImage jpeg(const FloatImage& image, int quality) {
  if (quality < 1 || quality > 100) throw Error("JPEG quality " + std::to_string(quality) + " is not 1 to 100");
  if (image.channels != 3) throw Error("JPEG degradation takes RGB images");
  const Image8 rgb = to_image8(image);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  JpegErrorManager err;
  jpeg_compress_struct enc;
  enc.err = jpeg_errors(err);
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&enc);
    std::free(buffer);
    throw Error(std::string("JPEG encoding failed: ") + err.message);
  }
  jpeg_create_compress(&enc);
  jpeg_mem_dest(&enc, &buffer, &size);
  enc.image_width = static_cast<JDIMENSION>(rgb.width);
  enc.image_height = static_cast<JDIMENSION>(rgb.height);
  enc.input_components = 3;
  enc.in_color_space = JCS_RGB;
  jpeg_set_defaults(&enc);
  jpeg_set_quality(&enc, quality, TRUE);
  jpeg_start_compress(&enc, TRUE);
  while (enc.next_scanline < enc.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(rgb.row(static_cast<int>(enc.next_scanline)));
    jpeg_write_scanlines(&enc, &row, 1);
  }
  jpeg_finish_compress(&enc);
  jpeg_destroy_compress(&enc);

  Image8 decoded{rgb.width, rgb.height, 3, std::vector<uint8_t>(rgb.pixels.size())};
  jpeg_decompress_struct dec;
  dec.err = jpeg_errors(err);
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&dec);
    std::free(buffer);
    throw Error(std::string("JPEG decoding failed: ") + err.message);
  }
  jpeg_create_decompress(&dec);
  jpeg_mem_src(&dec, buffer, size);
  jpeg_read_header(&dec, TRUE);
  dec.out_color_space = JCS_RGB;
  jpeg_start_decompress(&dec);
  while (dec.output_scanline < dec.output_height) {
    JSAMPROW row = decoded.row(static_cast<int>(dec.output_scanline));
    jpeg_read_scanlines(&dec, &row, 1);
  }
  jpeg_finish_decompress(&dec);
  jpeg_destroy_decompress(&dec);
  std::free(buffer);
  return to_float(decoded);
}

}  // namespace vsr::degrade
