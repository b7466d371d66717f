#include "loop_pace.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <utility>

namespace vsr::train {

LoopPace::LoopPace(PaceSettings settings)
    : s_(std::move(settings)), tty_(isatty(fileno(stderr))), t0_(std::chrono::steady_clock::now()) {}

double LoopPace::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
}

void LoopPace::stepped(int iter, double loss) {
  loss_sum_ += loss;
  ++loss_count_;
  if ((iter + 1) % s_.progress_every != 0 || (!tty_ && !s_.progress_when_piped)) return;
  const double rate = (iter + 1 - s_.start) / std::max(elapsed_seconds(), 1e-9);
  std::ostringstream line;
  line << s_.label << " " << iter + 1 << "/" << s_.iterations << " loss " << std::setprecision(4) << mean_loss() << " "
       << std::fixed << std::setprecision(2) << rate << " it/s ETA " << duration_text((s_.iterations - iter - 1) / rate);
  if (tty_)
    std::cerr << "\r\033[K" << line.str() << std::flush;  // rewritten in place
  else
    std::cout << line.str() << std::endl;
}

bool LoopPace::checkpoint_due(int iter) const {
  return (iter + 1) % s_.checkpoint_every == 0 || iter + 1 == s_.end ||
         (s_.checkpoint_minutes > 0 && elapsed_seconds() - last_checkpoint_ > 60.0 * s_.checkpoint_minutes);
}

double LoopPace::mean_loss() const { return loss_count_ > 0 ? loss_sum_ / loss_count_ : NAN; }

void LoopPace::checkpointed() {
  loss_sum_ = 0.0;
  loss_count_ = 0;
  last_checkpoint_ = elapsed_seconds();
}

std::string duration_text(double seconds) {
  const long s = static_cast<long>(seconds);
  std::ostringstream out;
  out << s / 3600 << ":" << std::setw(2) << std::setfill('0') << (s / 60) % 60 << ":" << std::setw(2) << s % 60;
  return out.str();
}

}  // namespace vsr::train
