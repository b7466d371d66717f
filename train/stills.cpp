#include "stills.h"

#include <algorithm>
#include <filesystem>

#include "jpeg_file.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;
namespace {

std::string lower_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext;
}

std::vector<std::string> still_files(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string ext = lower_extension(entry.path());
    if (entry.is_regular_file() && (ext == ".jpg" || ext == ".jpeg" || ext == ".png")) files.push_back(entry.path().string());
  }
  if (ec) throw Error("cannot read photo folder '" + folder + "': " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<Image8> load_stills(const std::vector<std::string>& folders, int jpeg_denominator) {
  std::vector<Image8> stills;
  for (const auto& folder : folders)
    for (const auto& file : still_files(folder))
      stills.push_back(lower_extension(file) == ".png" ? read_png_rgb(file) : read_jpeg_rgb(file, jpeg_denominator));
  return stills;
}

}  // namespace vsr::train
