// The pace of a trainer's loop, shared by vsr-train, vsr-train-video and vsr-train-interp: the mean
// loss since the last checkpoint, the progress line with its ETA, and when the next checkpoint is due
// (every N iterations, at the run's end, and after a few minutes, so that an interrupted run loses
// little).
#pragma once
#include <chrono>
#include <string>

namespace vsr::train {

struct PaceSettings {
  std::string label;                // the progress line's first word
  int start = 0;                    // the iteration the run starts (or resumes) at
  int iterations = 0;               // the schedule's length (the ETA's end)
  int end = 0;                      // where this run stops (<= iterations)
  int progress_every = 50;          // iterations between progress lines
  bool progress_when_piped = true;  // without a terminal, print them as lines on stdout (else not at all)
  int checkpoint_every = 1000;      // iterations
  double checkpoint_minutes = 0.0;  // > 0: also checkpoint when this much time has passed since the last
};

class LoopPace {
 public:
  explicit LoopPace(PaceSettings settings);
  // After iteration `iter` (0-based) with its loss: counts it and prints the progress line when due.
  void stepped(int iter, double loss);
  // Whether a checkpoint is due after iteration `iter`.
  bool checkpoint_due(int iter) const;
  // The mean loss since the last checkpoint (NaN when no step ran since).
  double mean_loss() const;
  // A checkpoint was written: the mean restarts and the timer towards the next one too.
  void checkpointed();
  double elapsed_seconds() const;

 private:
  PaceSettings s_;
  bool tty_;
  double loss_sum_ = 0.0;
  int loss_count_ = 0;
  std::chrono::steady_clock::time_point t0_;
  double last_checkpoint_ = 0.0;
};

// "H:MM:SS".
std::string duration_text(double seconds);

}  // namespace vsr::train
