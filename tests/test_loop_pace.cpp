// The trainers' loop pace (train/loop_pace.h): the mean loss between checkpoints and when they are due.
#include <gtest/gtest.h>

#include <cmath>

#include "train/loop_pace.h"

using vsr::train::LoopPace;
using vsr::train::PaceSettings;

namespace {

PaceSettings settings(int start, int end, int every) {
  PaceSettings s;
  s.label = "test";
  s.start = start;
  s.iterations = 100;
  s.end = end;
  s.progress_every = 1000;  // no progress lines in the test's output
  s.checkpoint_every = every;
  return s;
}

}  // namespace

TEST(LoopPace, CheckpointsEveryNIterationsAndAtTheRunsEnd) {
  const LoopPace pace(settings(5, 37, 10));
  std::vector<int> due;
  for (int iter = 5; iter < 37; ++iter)
    if (pace.checkpoint_due(iter)) due.push_back(iter + 1);
  EXPECT_EQ(due, (std::vector<int>{10, 20, 30, 37}));  // 37: a stop_after before the schedule's end
}

TEST(LoopPace, TheMeanLossCoversTheStepsSinceTheLastCheckpoint) {
  LoopPace pace(settings(0, 100, 10));
  EXPECT_TRUE(std::isnan(pace.mean_loss()));  // nothing trained yet (a finished run resumed)
  pace.stepped(0, 1.0);
  pace.stepped(1, 3.0);
  EXPECT_DOUBLE_EQ(pace.mean_loss(), 2.0);
  pace.checkpointed();
  EXPECT_TRUE(std::isnan(pace.mean_loss()));
  pace.stepped(2, 5.0);
  EXPECT_DOUBLE_EQ(pace.mean_loss(), 5.0);
}

TEST(LoopPace, TheTimedCheckpointIsOffAtZeroMinutesAndDueOnceTheTimeHasPassed) {
  PaceSettings s = settings(0, 100, 1000);
  EXPECT_FALSE(LoopPace(s).checkpoint_due(3));
  s.checkpoint_minutes = 1e-9;  // already past
  LoopPace timed(s);
  EXPECT_TRUE(timed.checkpoint_due(3));
  s.checkpoint_minutes = 60.0;
  EXPECT_FALSE(LoopPace(s).checkpoint_due(3));
}

TEST(LoopPace, DurationsReadAsHoursMinutesSeconds) {
  EXPECT_EQ(vsr::train::duration_text(0), "0:00:00");
  EXPECT_EQ(vsr::train::duration_text(3725.9), "1:02:05");
}
