#include "image.h"

#include <png.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "vsr/error.h"

namespace vsr {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { if (f) std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

// Deflate expands at most 1032:1, so image data that would need more than this many bytes of input
// per byte of PNG is a header that lies about the size (refused before allocating for it).
constexpr uint64_t kMaxInflation = 1100;
// 16384 x 16384: far above any frame or training image; decoded, 768 MiB.
constexpr uint64_t kMaxPixels = uint64_t(1) << 28;

// libpng reports errors by longjmp. The functions that call setjmp (read_header, read_rows) hold no
// C++ objects, so a jump out of libpng skips no destructor; the error text waits here for the Error.
struct PngInput {
  const uint8_t* data;
  size_t size;
  size_t position;
  char error[200];
};

[[noreturn]] void on_png_error(png_structp png, png_const_charp message) {
  auto* in = static_cast<PngInput*>(png_get_error_ptr(png));
  std::snprintf(in->error, sizeof in->error, "%s", message ? message : "unknown error");
  png_longjmp(png, 1);
}
void on_png_warning(png_structp, png_const_charp) {}  // benign (bad ancillary chunks): not printed

void read_from_memory(png_structp png, png_bytep out, png_size_t length) {
  auto* in = static_cast<PngInput*>(png_get_io_ptr(png));
  if (length > in->size - in->position) png_error(png, "the data ends early");
  std::memcpy(out, in->data + in->position, length);
  in->position += length;
}

struct PngHeader {
  uint32_t width, height;
  uint64_t stored_bytes;  // the image data as stored (filter bytes included), before inflating
  bool grey;
  size_t rowbytes;        // one decoded row, after the transforms to 8-bit RGB
};

// Reads the header and sets the transforms to 8-bit RGB. False after a libpng error.
bool read_header(png_structp png, png_infop info, PngHeader* h) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  const int colour_type = png_get_color_type(png, info);
  const int bit_depth = png_get_bit_depth(png, info);
  h->width = png_get_image_width(png, info);
  h->height = png_get_image_height(png, info);
  h->stored_bytes = uint64_t(h->height) * (1 + uint64_t(png_get_rowbytes(png, info)));
  h->grey = (colour_type & PNG_COLOR_MASK_COLOR) == 0 && colour_type != PNG_COLOR_TYPE_PALETTE;
  if (colour_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if ((colour_type & PNG_COLOR_MASK_COLOR) == 0 && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (bit_depth == 16) png_set_strip_16(png);
  if (colour_type == PNG_COLOR_TYPE_GRAY || colour_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  png_set_strip_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  h->rowbytes = png_get_rowbytes(png, info);
  return true;
}

// Decodes every row into `rows`. False after a libpng error.
bool read_rows(png_structp png, png_bytep* rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  return true;
}

struct ReadStructDeleter {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~ReadStructDeleter() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

}  // namespace

Image8 read_png_rgb_from_memory(const uint8_t* data, size_t size, const std::string& input_name, bool* was_grey) {
  const std::string name = "'" + input_name + "'";
  if (size < 8 || png_sig_cmp(data, 0, 8) != 0) throw Error(name + " is not a PNG file");
  PngInput in{data, size, 8, ""};
  ReadStructDeleter reader;
  reader.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &in, on_png_error, on_png_warning);
  reader.info = reader.png ? png_create_info_struct(reader.png) : nullptr;
  if (!reader.info) throw Error("out of memory reading " + name);
  png_set_read_fn(reader.png, &in, read_from_memory);
  // Only the pixels matter here: text, ICC profiles, EXIF and the rest are skipped unread rather than
  // buffered (libpng 1.6.39 allocates an ancillary chunk's claimed length, up to 2 GB, before it reads).
  png_set_keep_unknown_chunks(reader.png, PNG_HANDLE_CHUNK_NEVER, nullptr, -1);

  PngHeader header{};
  if (!read_header(reader.png, reader.info, &header)) throw Error("corrupt PNG data in " + name + ": " + in.error);
  if (header.stored_bytes / kMaxInflation > size)
    throw Error("corrupt PNG data in " + name + ": a " + std::to_string(header.width) + "x" +
                std::to_string(header.height) + " image cannot fit in " + std::to_string(size) + " bytes");
  if (uint64_t(header.width) * header.height > kMaxPixels)
    throw Error(name + ": " + std::to_string(header.width) + "x" + std::to_string(header.height) +
                " is too large (at most 2^28 pixels)");
  if (header.rowbytes != size_t(header.width) * 3) throw Error("unsupported PNG layout in " + name);

  Image8 image;
  image.width = static_cast<int>(header.width);
  image.height = static_cast<int>(header.height);
  image.channels = 3;
  image.pixels.resize(size_t(header.width) * header.height * 3);
  std::vector<png_bytep> rows(image.height);
  for (int y = 0; y < image.height; ++y) rows[y] = image.row(y);
  if (!read_rows(reader.png, rows.data())) throw Error("corrupt PNG data in " + name + ": " + in.error);
  if (was_grey) *was_grey = header.grey;
  return image;
}

Image8 read_png_rgb(const std::string& path, bool* was_grey) {
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) throw Error("cannot open image '" + path + "'");
  // Whole, then decoded from memory: one decoder for both, and the size bounds what the header may claim.
  std::vector<uint8_t> bytes;
  uint8_t block[65536];
  size_t n;
  while ((n = std::fread(block, 1, sizeof block, file.get())) > 0) bytes.insert(bytes.end(), block, block + n);
  if (std::ferror(file.get())) throw Error("cannot read image '" + path + "'");
  return read_png_rgb_from_memory(bytes.data(), bytes.size(), path, was_grey);
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
