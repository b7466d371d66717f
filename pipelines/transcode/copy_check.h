// Copied audio is copied, not re-encoded -- but a damaged packet copied is damage passed on. Each
// copied audio stream's packets are also run through its decoder (cheap beside the video), so that a
// damaged one is reported with its stream and time: an error, or with --tolerate-errors a count that
// marks the output partial.
#pragma once
#include <map>
#include <string>

#include "av_check.h"

namespace vsr::transcode {

class CopyCheck {
 public:
  // input: the demuxer context of the copied streams; `name` for messages.
  CopyCheck(const AVFormatContext* input, std::string name, bool tolerate);
  // Checks a packet of a copied stream (other media types pass unchecked).
  void check(const AVPacket& packet);
  int damaged() const { return damaged_; }

 private:
  const AVFormatContext* input_;
  std::string name_;
  bool tolerate_;
  std::map<int, CodecContextPtr> decoders_;  // per audio stream index; absent: no decoder here
  FramePtr frame_ = make_frame();
  int damaged_ = 0;
};

}  // namespace vsr::transcode
