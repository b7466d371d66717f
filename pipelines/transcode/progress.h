// Progress of a job on standard error: a bar with fps and ETA on a terminal, or one JSON object per
// line for programs (`--progress json`), or nothing. Redrawn at most four times a second.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace vsr::transcode {

enum class ProgressMode { Auto, Bar, Json, None };
ProgressMode parse_progress_mode(const std::string& text);

class Progress {
 public:
  // total: frames this run will upscale (0 = unknown).
  Progress(ProgressMode mode, std::string label, int64_t total);
  void add_frames(int64_t frames);
  void set_stage(const std::string& stage);  // "segment 3/12", "joining" ...
  // A final line (bar) or a {"event":"summary", ...} object (json).
  void summary(const nlohmann::json& facts, const std::string& text);
  bool json() const { return mode_ == ProgressMode::Json; }

 private:
  void draw(bool force);

  ProgressMode mode_;
  std::string label_;
  std::string stage_;
  int64_t total_;
  int64_t done_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace vsr::transcode
