// Joins the encoded segment files into the output without re-encoding, interleaved with a copy of
// every other stream of the input (audio, subtitles, attachments ...), its chapters and metadata.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "media_input.h"
#include "video_pipeline.h"

namespace vsr::transcode {

struct JoinRequest {
  const InputSettings* input = nullptr;
  std::vector<std::string> segment_files;     // in order
  std::string output;
  const AVOutputFormat* container = nullptr;
  const VideoSetup* video = nullptr;          // colour tags and aspect of the upscaled stream
  std::map<std::string, std::string> muxer_options;
  std::map<std::string, std::string> metadata;  // added to the output's global metadata
  bool drop_unsupported = false;
};

struct JoinResult {
  int streams = 0;                 // streams in the output
  int64_t video_packets = 0;
  std::vector<std::string> notes;  // streams left out, and why
};

JoinResult join_segments(const JoinRequest& request);

}  // namespace vsr::transcode
