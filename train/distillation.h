// Two-stage enhanced supervision (RTSR's dual-teacher knowledge distillation, DIPNet's enhanced
// targets): a small student learns from the ground truth and, in a first stage, from the outputs of
// larger trained teachers, which are easier targets than the HR itself (they hold only what can be
// recovered from the LR); a second stage then fine-tunes on the ground truth alone. The teachers are
// frozen: they run in eval mode without gradients, so a resumed run continues bit for bit.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "distillation_settings.h"
#include "sr_model.h"

namespace vsr::train {

class Distillation {
 public:
  // Builds and loads each teacher at `scale`. Throws vsr::Error naming the teacher setting whose
  // weights are missing or do not fit its architecture.
  Distillation(const DistillationOptions& options, int scale, const std::string& pixel_loss_name);
  // True while the teachers supervise: they exist and `iteration` is in stage 1.
  bool active(int iteration) const;
  // sum over teachers of weight x pixel_loss(sr, teacher(lr)).
  torch::Tensor loss(const torch::Tensor& sr, const torch::Tensor& lr);
  // Moves the teachers to `device` (the student's).
  void to(torch::Device device);
  // "teachers(edsr*1,rcan*0.5)until=8000" for the export's vsr.metrics; "" without teachers.
  std::string describe() const;

 private:
  DistillationOptions o_;
  std::string pixel_;
  std::vector<SrModel> teachers_;
};

}  // namespace vsr::train
