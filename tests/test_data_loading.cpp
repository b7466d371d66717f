// The trainers' data loading on threads (train/parallel_jobs.h, train/batch_prefetcher.h and
// PatchDataset's loading threads): what is made does not depend on the threads, errors arrive.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "train/batch_prefetcher.h"
#include "train/parallel_jobs.h"
#include "train/patch_dataset.h"

using vsr::train::BatchPrefetcher;

TEST(ParallelJobs, EveryJobRunsOnceOnAnyNumberOfThreads) {
  for (int threads : {1, 2, 5, 64}) {
    std::vector<std::atomic<int>> runs(37);
    vsr::train::run_parallel(runs.size(), threads, [&](size_t i) { ++runs[i]; });
    for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i], 1) << "job " << i << ", " << threads << " threads";
  }
  vsr::train::run_parallel(0, 4, [](size_t) { FAIL() << "a job ran for an empty range"; });
}

TEST(ParallelJobs, AJobsErrorReachesTheCaller) {
  EXPECT_THROW(vsr::train::run_parallel(20, 3,
                                        [](size_t i) {
                                          if (i == 7) throw std::runtime_error("job 7 failed");
                                        }),
               std::runtime_error);
}

TEST(BatchPrefetcher, BatchesComeInTheSamplersOrderWithTheStateBeforeEach) {
  int made = 0;
  BatchPrefetcher<int> loader([&] { return made++; }, [&] { return "before " + std::to_string(made); });
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(loader.state_before_next(), "before " + std::to_string(i));
    EXPECT_EQ(loader.next(), i);
  }
  EXPECT_EQ(loader.state_before_next(), "before 5");  // a checkpoint now resumes at batch 5
}

TEST(BatchPrefetcher, AnErrorMakingABatchArrivesWithThatBatch) {
  int made = 0;
  BatchPrefetcher<int> loader([&] {
    if (made == 2) throw std::runtime_error("decoding failed");
    return made++;
  });
  EXPECT_EQ(loader.next(), 0);
  EXPECT_EQ(loader.next(), 1);
  EXPECT_THROW(loader.next(), std::runtime_error);
}

namespace {

vsr::train::PatchDatasetConfig patches(const std::string& degradation, int threads) {
  vsr::train::PatchDatasetConfig c;
  c.folders = {VSR_TEST_DATA};
  c.scale = 2;
  c.lr_patch = 16;
  c.rescale = {1.0, 0.8};
  c.degradation = degradation;
  c.seed = 7;
  c.threads = threads;
  return c;
}

}  // namespace

TEST(PatchDataset, TheLoadingThreadsMakeTheSamePatches) {
  for (const std::string degradation : {"bicubic", "second_order"}) {
    vsr::train::PatchDataset one(patches(degradation, 1)), three(patches(degradation, 3));
    ASSERT_EQ(one.image_count(), three.image_count());
    for (int batch = 0; batch < 3; ++batch) {
      const auto a = one.sample(6), b = three.sample(6);
      EXPECT_EQ(a.hr, b.hr) << degradation << " batch " << batch;
      EXPECT_EQ(a.lr, b.lr) << degradation << " batch " << batch;
    }
  }
}

TEST(PatchDataset, EachDegradedPatchIsItsOwnDraw) {
  vsr::train::PatchDataset data(patches("second_order", 2));
  const auto b = data.sample(4);
  const size_t lr_patch = 3 * 16 * 16;
  for (size_t i = 1; i < 4; ++i)
    EXPECT_FALSE(std::equal(b.lr.begin(), b.lr.begin() + lr_patch, b.lr.begin() + i * lr_patch)) << "patch " << i;
}
