#include "eval/interp_samples.h"

#include <algorithm>
#include <filesystem>

#include "eval/sequence_protocol.h"
#include "vsr/error.h"

namespace fs = std::filesystem;

namespace vsr {

std::string InterpSample::made_name(size_t i) const {
  return truths.size() == 1 ? name + ".png" : name + "_t" + std::to_string(i + 1) + ".png";
}

std::vector<InterpSample> load_interp_samples(const std::string& folder) {
  std::vector<InterpSample> out;
  for (const std::string& d : list_sequence_folders(folder)) {  // a sample is a short sequence
    const auto files = list_png_files(d);
    if (files.size() < 3)
      throw Error(d + ": a sample folder holds 3 or more PNGs (the first and last are the inputs), this one " +
                  std::to_string(files.size()));
    InterpSample s{fs::path(d).filename().string(), read_png_rgb(files.front()), read_png_rgb(files.back()), {}};
    for (size_t i = 1; i + 1 < files.size(); ++i) s.truths.push_back(read_png_rgb(files[i]));
    auto same_size = [&](const Image8& f) { return f.width == s.first.width && f.height == s.first.height; };
    if (!same_size(s.last) || !std::all_of(s.truths.begin(), s.truths.end(), same_size))
      throw Error(d + ": its frames differ in size");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace vsr
