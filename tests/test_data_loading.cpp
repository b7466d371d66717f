// The trainers' data loading (train/parallel_jobs.h, train/batch_prefetcher.h, train/patch_dataset.h):
// what is made does not depend on the loading threads, errors arrive, paired folders give their LR.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "eval/image.h"
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

namespace {

// HR/0001.png (the test image) and LR/0001x2.png: a flat colour of half its size (odd sides: the HR is
// one pixel larger, as DIV2K's may be), which no resize of the HR could make.
std::filesystem::path paired_folders(const std::string& name) {
  const auto root = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "HR");
  std::filesystem::create_directories(root / "LR");
  const vsr::Image8 hr = vsr::read_png_rgb(std::string(VSR_TEST_DATA) + "/imresize_hr.png");  // 127 x 122
  vsr::write_png((root / "HR" / "0001.png").string(), hr);
  vsr::Image8 lr{hr.width / 2, hr.height / 2, 3, {}};
  for (int i = 0; i < lr.width * lr.height; ++i) lr.pixels.insert(lr.pixels.end(), {10, 200, 30});
  vsr::write_png((root / "LR" / "0001x2.png").string(), lr);
  return root;
}

vsr::train::PatchDatasetConfig paired(const std::filesystem::path& root) {
  vsr::train::PatchDatasetConfig c = patches("bicubic", 2);
  c.folders = {(root / "HR").string()};
  c.lr_folders = {(root / "LR").string()};
  return c;
}

std::string error_of(const vsr::train::PatchDatasetConfig& c) {
  try {
    vsr::train::PatchDataset data(c);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(PatchDataset, PairedFoldersTrainOnTheGivenLrImages) {
  const auto root = paired_folders("vsr_paired_ok");
  vsr::train::PatchDataset data(paired(root));
  EXPECT_EQ(data.image_count(), 1u);  // no rescaled copies of a given pair
  const auto b = data.sample(4);
  const size_t plane = 16 * 16;
  for (size_t i = 0; i < 4; ++i)
    for (size_t k = 0; k < plane; ++k) {
      ASSERT_FLOAT_EQ(b.lr[i * 3 * plane + k], 10 / 255.0f) << "patch " << i;
      ASSERT_FLOAT_EQ(b.lr[i * 3 * plane + plane + k], 200 / 255.0f) << "patch " << i;
    }
  EXPECT_NE(*std::min_element(b.hr.begin(), b.hr.end()), *std::max_element(b.hr.begin(), b.hr.end()));  // the photo
}

TEST(PatchDataset, PairedFoldersNameTheMissingOrMisfitLrImage) {
  const auto root = paired_folders("vsr_paired_bad");
  vsr::train::PatchDatasetConfig c = paired(root);
  c.scale = 3;  // 0001x3.png is not there, and 0001x2.png's name does not match
  EXPECT_NE(error_of(c).find("'" + (root / "HR" / "0001.png").string() + "' has no LR image"), std::string::npos)
      << error_of(c);
  std::filesystem::rename(root / "LR" / "0001x2.png", root / "LR" / "0001x3.png");
  EXPECT_NE(error_of(c).find("is 63x61, not 1/3 of its HR image"), std::string::npos) << error_of(c);
  c = paired(root);
  c.degradation = "second_order";
  EXPECT_NE(error_of(c).find("degradation 'second_order' cannot apply"), std::string::npos) << error_of(c);
  c = paired(root);
  c.lr_folders.push_back(c.lr_folders[0]);
  EXPECT_NE(error_of(c).find("2 LR folders for 1 training folders"), std::string::npos) << error_of(c);
}
