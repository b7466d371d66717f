#include "segment_plan.h"

#include <algorithm>

#include "vsr/error.h"

namespace vsr::transcode {

SegmentPlan plan_segments(MediaInput& input, double segment_seconds) {
  SegmentPlan plan;
  plan.time_base = input.video()->time_base;
  std::vector<int64_t> times;       // every frame's timestamp
  std::vector<int64_t> keyframes;   // keyframe timestamps, in file order
  bool timed = true;
  PacketPtr packet = make_packet();
  while (input.read(packet.get())) {
    if (packet->stream_index == input.video_index() && !(packet->flags & AV_PKT_FLAG_DISCARD)) {
      const int64_t t = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
      if (t == AV_NOPTS_VALUE) timed = false;
      times.push_back(t);
      if (packet->flags & AV_PKT_FLAG_KEY) keyframes.push_back(t);
    }
    av_packet_unref(packet.get());
  }
  plan.frames = static_cast<int64_t>(times.size());
  if (times.empty()) throw Error(input.name() + ": the video stream has no frames");

  std::vector<int64_t> starts;
  if (timed && segment_seconds > 0) {
    const int64_t length = std::max<int64_t>(1, static_cast<int64_t>(segment_seconds / av_q2d(plan.time_base)));
    int64_t current = keyframes.empty() ? INT64_MIN : keyframes.front();
    for (size_t k = 1; k < keyframes.size(); ++k) {
      // Keyframes out of order (a damaged index) are not cut points.
      if (keyframes[k] > current && keyframes[k] - current >= length) {
        starts.push_back(keyframes[k]);
        current = keyframes[k];
      }
    }
  }
  std::sort(times.begin(), times.end());
  for (size_t i = 0; i <= starts.size(); ++i) {
    Segment s;
    s.index = static_cast<int>(i);
    s.start = i == 0 ? INT64_MIN : starts[i - 1];
    s.end = i == starts.size() ? INT64_MAX : starts[i];
    if (!timed) {
      s.frames = plan.frames;
    } else {
      s.frames = std::lower_bound(times.begin(), times.end(), s.end) - std::lower_bound(times.begin(), times.end(), s.start);
    }
    plan.segments.push_back(s);
  }
  return plan;
}

std::pair<int, int> share_range(int segment_count, int share, int shares) {
  if (shares < 1 || share < 0 || share >= shares)
    throw Error("--segment " + std::to_string(share) + "/" + std::to_string(shares) + ": the share must be 0 to " +
                std::to_string(shares - 1) + " of " + std::to_string(shares));
  const int64_t n = segment_count;
  return {static_cast<int>(n * share / shares), static_cast<int>(n * (share + 1) / shares)};
}

nlohmann::json to_json(const SegmentPlan& plan) {
  nlohmann::json segments = nlohmann::json::array();
  for (const Segment& s : plan.segments) segments.push_back({s.start, s.end, s.frames});
  return {{"time_base", {plan.time_base.num, plan.time_base.den}}, {"frames", plan.frames}, {"segments", segments}};
}

SegmentPlan plan_from_json(const nlohmann::json& j) {
  SegmentPlan plan;
  plan.time_base = {j.at("time_base").at(0).get<int>(), j.at("time_base").at(1).get<int>()};
  plan.frames = j.at("frames").get<int64_t>();
  for (const auto& s : j.at("segments")) {
    Segment segment;
    segment.index = static_cast<int>(plan.segments.size());
    segment.start = s.at(0).get<int64_t>();
    segment.end = s.at(1).get<int64_t>();
    segment.frames = s.at(2).get<int64_t>();
    plan.segments.push_back(segment);
  }
  return plan;
}

}  // namespace vsr::transcode
