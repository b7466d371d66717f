// The inputs of a replayer (fuzz_replay.cpp for the model loader, replay_main.cpp for the other
// targets): each PATH argument is a file or a folder read recursively, skipping *.md notes.
#pragma once
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace vsr::fuzz {

// Adds the file, or every file below the folder, to `files`; false when `path` is neither.
inline bool add_input_path(const std::string& path, std::vector<std::filesystem::path>& files) {
  if (std::filesystem::is_directory(path)) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(path))
      if (e.is_regular_file() && e.path().extension() != ".md") files.push_back(e.path());
    return true;
  }
  if (std::filesystem::is_regular_file(path)) {
    files.push_back(path);
    return true;
  }
  return false;
}

inline std::string read_input(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace vsr::fuzz
