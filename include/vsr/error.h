// The one exception type vsr throws. Messages name what was wrong: the file, node, tensor, property
// or frame.
#pragma once
#include <stdexcept>
#include <string>

namespace vsr {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace vsr
