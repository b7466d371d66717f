#include "image.h"

#include <png.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "vsr/error.h"

namespace vsr {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { if (f) std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

}  // namespace

Image8 read_png_rgb(const std::string& path, bool* was_grey) {
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) throw Error("cannot open image '" + path + "'");
  png_byte signature[8];
  if (std::fread(signature, 1, 8, file.get()) != 8 || png_sig_cmp(signature, 0, 8) != 0)
    throw Error("'" + path + "' is not a PNG file");

  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    throw Error("out of memory reading '" + path + "'");
  }
  Image8 image;
  // libpng reports errors by longjmp; everything below owns no C++ objects with destructors that
  // matter except `image`, which is fine to abandon.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error("corrupt PNG data in '" + path + "'");
  }
  png_init_io(png, file.get());
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  const int colour_type = png_get_color_type(png, info);
  const int bit_depth = png_get_bit_depth(png, info);
  if (was_grey) *was_grey = (colour_type & PNG_COLOR_MASK_COLOR) == 0 && colour_type != PNG_COLOR_TYPE_PALETTE;
  if (colour_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if ((colour_type & PNG_COLOR_MASK_COLOR) == 0 && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (bit_depth == 16) png_set_strip_16(png);
  if (colour_type == PNG_COLOR_TYPE_GRAY || colour_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  png_set_strip_alpha(png);
  png_read_update_info(png, info);
  image.width = static_cast<int>(png_get_image_width(png, info));
  image.height = static_cast<int>(png_get_image_height(png, info));
  image.channels = 3;
  if (png_get_rowbytes(png, info) != static_cast<size_t>(image.width) * 3) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error("unsupported PNG layout in '" + path + "'");
  }
  image.pixels.resize(static_cast<size_t>(image.width) * image.height * 3);
  std::vector<png_bytep> rows(image.height);
  for (int y = 0; y < image.height; ++y) rows[y] = image.row(y);
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return image;
}

void write_png(const std::string& path, const Image8& image) {
  if (image.channels != 1 && image.channels != 3) throw Error("write_png: channels must be 1 or 3");
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file) throw Error("cannot create image '" + path + "'");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw Error("out of memory writing '" + path + "'");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw Error("failed writing PNG '" + path + "'");
  }
  png_init_io(png, file.get());
  png_set_IHDR(png, info, image.width, image.height, 8,
               image.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y) png_write_row(png, const_cast<png_bytep>(image.row(y)));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  if (std::fflush(file.get()) != 0) throw Error("failed writing PNG '" + path + "' (disk full?)");
}

Image8 modcrop(const Image8& image, int scale) {
  Image8 out;
  out.width = image.width - image.width % scale;
  out.height = image.height - image.height % scale;
  out.channels = image.channels;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * out.channels);
  for (int y = 0; y < out.height; ++y)
    std::copy(image.row(y), image.row(y) + static_cast<size_t>(out.width) * out.channels, out.row(y));
  return out;
}

std::vector<std::string> list_png_files(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    std::string ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (entry.is_regular_file() && ext == ".png") files.push_back(entry.path().string());
  }
  if (ec) throw Error("cannot read folder '" + folder + "': " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace vsr
