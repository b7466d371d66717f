// The settings of vsr-train's teacher distillation (distillation.h), torch-free so that the config
// reader can fill and check them.
#pragma once
#include <string>
#include <vector>

namespace vsr::train {

// A finished model whose outputs supervise the student: an architecture of sr_model.h at the
// student's scale, with the weights (model.pt or ema.pt) of an earlier vsr-train run or its ONNX
// export (a zoo model).
struct TeacherOptions {
  std::string arch;
  std::vector<int> features;  // its widths/depths (empty: the architecture's defaults)
  std::string weights;
  double weight = 1.0;        // weight of pixel_loss(student(LR), teacher(LR))
};

struct DistillationOptions {
  std::vector<TeacherOptions> teachers;  // none: plain training
  // Stage 1 (iterations before `until`) adds the teachers' terms to the ground-truth loss; stage 2
  // fine-tunes on the ground truth alone. 0: the teachers supervise the whole run.
  int until = 0;
};

// Throws vsr::Error naming the setting ("teachers[1].arch", "distill_until") that is wrong; the
// weights files are checked when the teachers load (Distillation).
void check_distillation(const DistillationOptions& options, int iterations);

}  // namespace vsr::train
