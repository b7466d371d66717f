// A job cut into segments that start at keyframes of the input, so that each can be decoded on its
// own (after a seek), upscaled and encoded into its own file, and the files joined without
// re-encoding. The plan depends only on the input and the segment length: every run and every
// machine of a split job computes the same one.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "media_input.h"

namespace vsr::transcode {

struct Segment {
  int index = 0;
  int64_t start = INT64_MIN;  // video time base; the first segment is open below,
  int64_t end = INT64_MAX;    // the last open above
  int64_t frames = 0;         // frames whose timestamp lies in [start, end), from the packets
  bool contains(int64_t pts) const { return pts >= start && pts < end; }
};

struct SegmentPlan {
  AVRational time_base{1, 1};
  int64_t frames = 0;
  std::vector<Segment> segments;
};

// Reads every packet of the input's video stream (no decoding) and cuts at the first keyframe at
// least `segment_seconds` after the current segment's start. Streams without timestamps get one
// segment. Leaves the input at its end.
SegmentPlan plan_segments(MediaInput& input, double segment_seconds);

// Segments [first, last) of share `share` of `shares` (contiguous runs, as even as can be).
std::pair<int, int> share_range(int segment_count, int share, int shares);

nlohmann::json to_json(const SegmentPlan& plan);
SegmentPlan plan_from_json(const nlohmann::json& j);

}  // namespace vsr::transcode
