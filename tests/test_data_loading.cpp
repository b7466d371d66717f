// The trainers' data loading (train/parallel_jobs.h, train/batch_prefetcher.h, train/patch_dataset.h):
// what is made does not depend on the loading threads, errors arrive, paired folders give their LR.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "eval/image.h"
#include "train/batch_prefetcher.h"
#include "train/crop.h"
#include "train/frame_sequence_dataset.h"
#include "train/parallel_jobs.h"
#include "train/patch_dataset.h"
#include "train/training_clips.h"
#include "train/video_sequence_dataset.h"

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

namespace {

// A frame whose every pixel is `value`: the frame's index, to read the clip's order back.
vsr::Image8 flat_frame(int w, int h, uint8_t value) {
  return vsr::Image8{w, h, 3, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3, value)};
}

// ROOT/walk: frame_0 .. frame_11 (unpadded names), ROOT/more/pan: im1 .. im5, ROOT/more/one: a single
// frame (no clip), ROOT/notes.txt.
std::filesystem::path frame_folders(const std::string& name) {
  const auto root = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "walk");
  std::filesystem::create_directories(root / "more" / "pan");
  std::filesystem::create_directories(root / "more" / "one");
  for (int k = 0; k < 12; ++k)
    vsr::write_png((root / "walk" / ("frame_" + std::to_string(k) + ".png")).string(), flat_frame(40, 36, k));
  for (int k = 1; k <= 5; ++k)
    vsr::write_png((root / "more" / "pan" / ("im" + std::to_string(k) + ".png")).string(), flat_frame(40, 36, 100 + k));
  vsr::write_png((root / "more" / "one" / "im1.png").string(), flat_frame(40, 36, 0));
  std::ofstream(root / "notes.txt") << "not a frame";
  return root;
}

// 4-frame x2 sequences of 8-pixel LR crops from the frame folders under `root`.
vsr::train::VideoSequenceConfig sequences_of(const std::filesystem::path& root) {
  vsr::train::VideoSequenceConfig c;
  c.videos = {root.string()};
  c.frames = 4;
  c.scale = 2;
  c.lr_patch = 8;
  return c;
}

}  // namespace

TEST(TrainingClips, EachFrameFolderIsAClipOfAllItsFramesInNumberOrder) {
  const auto root = frame_folders("vsr_frame_folders");
  const auto clips = vsr::train::load_training_clips(root.string());
  ASSERT_EQ(clips.size(), 2u);
  EXPECT_EQ(clips[0].name, "vsr_frame_folders/more/pan");
  EXPECT_EQ(clips[1].name, "vsr_frame_folders/walk");
  ASSERT_EQ(clips[1].frames.size(), 12u);  // nothing held back
  for (int k = 0; k < 12; ++k) EXPECT_EQ(clips[1].frames[k].pixels[0], k) << "frame_" << k << " out of order";
  EXPECT_EQ(clips[0].frames.size(), 5u);
  EXPECT_NE(vsr::train::describe_clips(root.string(), clips).find("2 frame folders, 17 frames"), std::string::npos)
      << vsr::train::describe_clips(root.string(), clips);
}

TEST(TrainingClips, AFrameOfAnotherSizeAndAFolderWithoutFramesAreNamed) {
  const auto root = frame_folders("vsr_frame_folders_bad");
  vsr::write_png((root / "walk" / "frame_5.png").string(), flat_frame(40, 38, 5));
  try {
    vsr::train::load_training_clips(root.string());
    FAIL() << "a frame of another size was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("frame_5.png' is 40x38, the frames before it in its folder 40x36"),
              std::string::npos)
        << e.what();
  }
  const auto empty = std::filesystem::temp_directory_path() / "vsr_no_frames";
  std::filesystem::create_directories(empty);
  EXPECT_THROW(vsr::train::load_training_clips(empty.string()), std::exception);
}

TEST(TrainingClips, BothSequenceDatasetsTrainOnFrameFolders) {
  const auto root = frame_folders("vsr_frame_folders_train");
  vsr::train::VideoSequenceDataset video(sequences_of(root));
  EXPECT_NE(video.summary().at(0).find("2 frame folders"), std::string::npos) << video.summary().at(0);
  EXPECT_EQ(video.sample(3).hr.size(), 3u * 4 * 3 * 16 * 16);

  vsr::train::FrameSequenceConfig f;
  f.videos = {root.string()};
  f.patch = 16;
  vsr::train::FrameSequenceDataset interp(f);
  const auto b = interp.sample(4);
  EXPECT_EQ(b.input.size(), 4u * 7 * 16 * 16);
  for (float known : b.has_flow) EXPECT_EQ(known, 0.0f);  // all from the frame folders (no stills)
}

TEST(Crops, TheDihedralTransformsFlipThenTranspose) {
  vsr::Image8 img{5, 4, 3, {}};  // pixel (x, y) holds 10 * y + x in every channel
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 5; ++x) img.pixels.insert(img.pixels.end(), 3, static_cast<uint8_t>(10 * y + x));
  auto at = [](const std::vector<float>& dst, int x, int y) { return static_cast<int>(dst[y * 3 + x] * 255.0f + 0.5f); };
  std::vector<float> dst(3 * 9);
  vsr::train::copy_crop(img, 1, 1, 3, {false, false, false}, dst.data());  // the crop at (1, 1)
  EXPECT_EQ(at(dst, 2, 0), 13);
  vsr::train::copy_crop(img, 1, 1, 3, {false, false, true}, dst.data());  // transposed
  EXPECT_EQ(at(dst, 2, 0), 31);
  EXPECT_EQ(at(dst, 0, 2), 13);
  vsr::train::copy_crop(img, 1, 1, 3, {true, false, true}, dst.data());  // flipped across, then transposed:
  EXPECT_EQ(at(dst, 0, 0), 31);                                           // a quarter turn
  EXPECT_EQ(at(dst, 2, 2), 13);
  EXPECT_EQ(dst[9 + 4], dst[4]);  // every channel alike
}

TEST(VideoSequenceDataset, TheLoadingThreadsMakeTheSameBatches) {
  const auto root = frame_folders("vsr_frame_folders_threads");
  vsr::train::VideoSequenceConfig c = sequences_of(root);
  vsr::train::VideoSequenceDataset one(c);
  c.threads = 3;
  vsr::train::VideoSequenceDataset three(c);
  for (int batch = 0; batch < 3; ++batch) {
    const auto a = one.sample(5), b = three.sample(5);
    EXPECT_EQ(a.hr, b.hr) << "batch " << batch;
    EXPECT_EQ(a.lr, b.lr) << "batch " << batch;
  }
}
