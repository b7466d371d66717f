#include "run_log.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "curves.h"

namespace vsr::train {

RunLog::RunLog(const std::string& out_dir)
    : out_dir_(out_dir), csv_needs_header_(!std::filesystem::exists(out_dir + "/train.csv")), tty_(isatty(fileno(stderr))) {
  log_.open(out_dir + "/train.log", std::ios::app);
  csv_.open(out_dir + "/train.csv", std::ios::app);
}

void RunLog::say(const std::string& line) {
  std::cout << line << std::endl;
  log_ << line << std::endl;
}

void RunLog::checkpoint(int iter, double mean_loss, double lr, const std::vector<ValidationScore>& scores, double seconds) {
  std::ostringstream line;
  line << "iter " << iter;
  if (!std::isnan(mean_loss)) line << " loss " << std::setprecision(5) << mean_loss << " lr " << lr;
  line << std::fixed;
  for (const auto& s : scores) line << " " << s.name << " " << std::setprecision(3) << s.psnr << " dB / " << std::setprecision(4) << s.ssim;
  line << " elapsed_s " << std::setprecision(0) << seconds;
  if (tty_) std::cerr << "\r\033[K";
  say(line.str());
  if (csv_needs_header_) {
    csv_ << "iteration,loss,lr,val_psnr,val_ssim,elapsed_s";
    for (size_t v = 1; v < scores.size(); ++v) csv_ << "," << scores[v].name << "_psnr," << scores[v].name << "_ssim";
    csv_ << "\n";
    csv_needs_header_ = false;
  }
  csv_ << iter << "," << mean_loss << "," << lr;
  for (size_t v = 0; v < scores.size(); ++v) {
    csv_ << "," << scores[v].psnr << "," << scores[v].ssim;
    if (v == 0) csv_ << "," << seconds;
  }
  if (scores.empty()) csv_ << ",nan,nan," << seconds;
  csv_ << std::endl;
  draw_curves(out_dir_ + "/train.csv", out_dir_ + "/train_curves.png");
}

std::string checkpoint_metrics(const std::vector<ValidationScore>& scores, int iter, const std::string& loss, double ema) {
  std::ostringstream metrics;
  for (const auto& s : scores)
    metrics << s.name << "_psnr_y=" << std::fixed << std::setprecision(3) << s.psnr << ";" << s.name << "_ssim_y="
            << std::setprecision(4) << s.ssim << ";";
  metrics << "iterations=" << iter << ";loss=" << loss << (ema > 0 ? ";ema=" + std::to_string(ema) : "");
  return metrics.str();
}

}  // namespace vsr::train
