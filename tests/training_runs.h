// The short vsr-train runs the trainer tests make on tests/data, and what they read back from them.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "train/trainer.h"

// ESPCN x2 at its defaults on the test images: 30 iterations of 4 12-pixel patches, one thread, one
// checkpoint at the end; tests change what they exercise.
inline vsr::train::TrainOptions tiny_run(const std::filesystem::path& out) {
  vsr::train::TrainOptions o;
  o.data = {VSR_TEST_DATA};
  o.out_dir = out.string();
  o.iterations = 30;
  o.checkpoint_every = 30;
  o.batch = 4;
  o.lr_patch = 12;
  o.threads = 1;
  o.learning_rate = 2e-3;
  return o;
}

// The CSV log's loss column, one value per checkpoint.
inline std::vector<double> csv_losses(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "iteration,loss,lr,val_psnr,val_ssim,elapsed_s");
  std::vector<double> losses;
  while (std::getline(in, line)) losses.push_back(std::stod(line.substr(line.find(',') + 1)));
  return losses;
}
