#include "progress.h"

#include <unistd.h>

#include <cstdio>

#include "vsr/error.h"

namespace vsr::transcode {

ProgressMode parse_progress_mode(const std::string& text) {
  if (text == "auto") return ProgressMode::Auto;
  if (text == "bar") return ProgressMode::Bar;
  if (text == "json") return ProgressMode::Json;
  if (text == "none") return ProgressMode::None;
  throw Error("--progress '" + text + "': use auto, bar, json or none");
}

Progress::Progress(ProgressMode mode, std::string label, int64_t total)
    : mode_(mode), label_(std::move(label)), total_(total) {
  if (mode_ == ProgressMode::Auto) mode_ = isatty(STDERR_FILENO) ? ProgressMode::Bar : ProgressMode::None;
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

void Progress::add_frames(int64_t frames) {
  done_ += frames;
  draw(false);
}

void Progress::set_stage(const std::string& stage) {
  stage_ = stage;
  draw(true);
}

void Progress::draw(bool force) {
  if (mode_ == ProgressMode::None) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double fps = elapsed > 0 ? done_ / elapsed : 0;
  const double eta = fps > 0 && total_ > done_ ? (total_ - done_) / fps : 0;
  if (mode_ == ProgressMode::Json) {
    nlohmann::json j = {{"event", "progress"}, {"frames", done_}, {"total", total_}, {"fps", fps},
                        {"eta_s", eta}, {"elapsed_s", elapsed}, {"stage", stage_}};
    std::fprintf(stderr, "%s\n", j.dump().c_str());
    return;
  }
  constexpr int kWidth = 30;
  const double fraction = total_ > 0 ? std::min(1.0, static_cast<double>(done_) / total_) : 0;
  std::string bar(kWidth, ' ');
  for (int i = 0; i < static_cast<int>(fraction * kWidth); ++i) bar[i] = '=';
  const int eta_s = static_cast<int>(eta);
  std::fprintf(stderr, "\r%s [%s] %3d%% %lld/%lld frames %6.2f fps ETA %d:%02d:%02d %s\033[K", label_.c_str(),
               bar.c_str(), static_cast<int>(fraction * 100), static_cast<long long>(done_),
               static_cast<long long>(total_), fps, eta_s / 3600, eta_s / 60 % 60, eta_s % 60, stage_.c_str());
  drawn_ = true;
}

void Progress::summary(const nlohmann::json& facts, const std::string& text) {
  if (mode_ == ProgressMode::Json) {
    nlohmann::json j = facts;
    j["event"] = "summary";
    std::fprintf(stderr, "%s\n", j.dump().c_str());
    return;
  }
  if (drawn_) std::fprintf(stderr, "\n");
  std::fprintf(stderr, "%s\n", text.c_str());
}

}  // namespace vsr::transcode
