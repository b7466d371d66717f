// What the sequence trainers (video_trainer.cpp, interp_trainer.cpp) write as they go: train.log (and
// stdout) line by line, train.csv with a row per checkpoint, the curves PNG beside it, and the
// vsr.metrics text their ONNX exports carry.
#pragma once
#include <fstream>
#include <string>
#include <vector>

namespace vsr::train {

// One validation set's scores at a checkpoint (NaN before the first).
struct ValidationScore {
  std::string name;
  double psnr, ssim;
};

class RunLog {
 public:
  // Appends to OUT/train.log and OUT/train.csv; a new CSV gets its header at the first checkpoint: a
  // psnr/ssim column pair per validation set after the first (whose pair is val_psnr, val_ssim, as
  // vsr-train writes).
  explicit RunLog(const std::string& out_dir);
  // A line on stdout and in train.log.
  void say(const std::string& line);
  // "iter N loss L lr R <set> P dB / S ... elapsed_s T" (no loss when no step ran since the last
  // checkpoint: `mean_loss` NaN), its CSV row and the redrawn curves.
  void checkpoint(int iter, double mean_loss, double lr, const std::vector<ValidationScore>& scores, double seconds);

 private:
  std::string out_dir_;
  std::ofstream log_, csv_;
  bool csv_needs_header_;
  bool tty_;  // a progress line may be standing on stderr: it is cleared first
};

// vsr.metrics: "<set>_psnr_y=..;<set>_ssim_y=..;iterations=N;loss=L[;ema=E]".
std::string checkpoint_metrics(const std::vector<ValidationScore>& scores, int iter, const std::string& loss, double ema);

}  // namespace vsr::train
