// A deep copy of a Frame (its planes, rows packed), for frames a multi-frame model must hold back:
// the caller's buffer is gone by the time the frame is emitted, but its chroma and alpha are still
// needed then.
#pragma once
#include <cstdint>
#include <vector>

#include "vsr/frame.h"

namespace vsr {

class OwnedFrame {
 public:
  explicit OwnedFrame(const Frame& source);
  OwnedFrame(const OwnedFrame&) = delete;
  OwnedFrame& operator=(const OwnedFrame&) = delete;
  const Frame& frame() const { return frame_; }

 private:
  std::vector<uint8_t> bytes_;
  Frame frame_;
};

}  // namespace vsr
