#include "vsr/model_zoo.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "vsr/error.h"

namespace vsr {

std::vector<std::string> model_search_path() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("VSR_MODEL_PATH")) {
    std::stringstream ss(env);
    for (std::string d; std::getline(ss, d, ':');)
      if (!d.empty()) dirs.push_back(d);
  }
  dirs.push_back(VSR_INSTALLED_MODEL_DIR);
  dirs.push_back(VSR_SOURCE_MODEL_DIR);
  return dirs;
}

std::string resolve_model(const std::string& name) {
  namespace fs = std::filesystem;
  if (name.empty()) throw Error("no model given");
  std::error_code ec;
  if (fs::is_regular_file(name, ec)) return name;
  const bool looks_like_path = name.find('/') != std::string::npos || fs::path(name).extension() == ".onnx";
  std::string tried;
  if (!looks_like_path) {
    for (const auto& dir : model_search_path()) {
      for (const std::string& candidate : {dir + "/" + name + ".onnx", dir + "/" + name}) {
        if (fs::is_regular_file(candidate, ec)) return candidate;
      }
      tried += " " + dir;
    }
  }
  throw Error("model '" + name + "' not found" +
              (looks_like_path ? std::string(" (no such file)") : " as a file or as a shipped name in:" + tried));
}

}  // namespace vsr
