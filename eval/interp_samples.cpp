#include "eval/interp_samples.h"

#include <algorithm>
#include <filesystem>

#include "vsr/error.h"

namespace fs = std::filesystem;

namespace vsr {

std::string InterpSample::made_name(size_t i) const {
  return truths.size() == 1 ? name + ".png" : name + "_t" + std::to_string(i + 1) + ".png";
}

std::vector<InterpSample> load_interp_samples(const std::string& folder) {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  std::vector<InterpSample> out;
  for (const fs::path& d : dirs) {
    const auto files = list_png_files(d.string());
    if (files.size() < 3)
      throw Error(d.string() + ": a sample folder holds 3 or more PNGs (the first and last are the inputs), this one " +
                  std::to_string(files.size()));
    InterpSample s{d.filename().string(), read_png_rgb(files.front()), read_png_rgb(files.back()), {}};
    for (size_t i = 1; i + 1 < files.size(); ++i) s.truths.push_back(read_png_rgb(files[i]));
    auto same_size = [&](const Image8& f) { return f.width == s.first.width && f.height == s.first.height; };
    if (!same_size(s.last) || !std::all_of(s.truths.begin(), s.truths.end(), same_size))
      throw Error(d.string() + ": its frames differ in size");
    out.push_back(std::move(s));
  }
  if (out.empty()) throw Error(folder + ": no sample folders");
  return out;
}

}  // namespace vsr
