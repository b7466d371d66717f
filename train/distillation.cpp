#include "distillation.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "checkpoint_io.h"
#include "export_readback.h"
#include "optimisation.h"
#include "vsr/error.h"

namespace vsr::train {

namespace {
std::string teacher_key(size_t i, const std::string& field) {
  return "teachers[" + std::to_string(i) + "]." + field;
}
}  // namespace

void check_distillation(const DistillationOptions& o, int iterations) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  const auto archs = architectures();
  for (size_t i = 0; i < o.teachers.size(); ++i) {
    const TeacherOptions& t = o.teachers[i];
    if (std::find(archs.begin(), archs.end(), t.arch) == archs.end())
      bad(teacher_key(i, "arch"), "'" + t.arch + "' is not an architecture of vsr-train");
    if (!(t.weight > 0.0)) bad(teacher_key(i, "weight"), "must be positive");
  }
  if (o.until < 0 || o.until > iterations) bad("distill_until", "must be 0 (the whole run) or an iteration of the run");
  if (o.until > 0 && o.teachers.empty()) bad("distill_until", "ends a distillation stage, but no teacher is set");
}

Distillation::Distillation(const DistillationOptions& options, int scale, const std::string& pixel_loss_name)
    : o_(options), pixel_(pixel_loss_name) {
  for (size_t i = 0; i < o_.teachers.size(); ++i) {
    const TeacherOptions& t = o_.teachers[i];
    // Checked here, not with the other settings: a shipped config may name a run not made yet.
    if (!std::filesystem::is_regular_file(t.weights))
      throw Error("setting '" + teacher_key(i, "weights") + "' names '" + t.weights + "', which is not a file");
    SrModel teacher = make_model({t.arch, scale, t.features});
    try {
      if (is_onnx_export(t.weights))
        load_from_export(*teacher, t.weights);
      else
        load_module(*teacher, t.weights);
    } catch (const std::exception& e) {
      throw Error("setting '" + teacher_key(i, "weights") + "': '" + t.weights + "' does not hold " + t.arch +
                  " x" + std::to_string(scale) + " weights of these features: " + e.what());
    }
    teacher->eval();
    for (auto& p : teacher->parameters()) p.set_requires_grad(false);
    teachers_.push_back(teacher);
  }
}

bool Distillation::active(int iteration) const {
  return !teachers_.empty() && (o_.until == 0 || iteration < o_.until);
}

torch::Tensor Distillation::loss(const torch::Tensor& sr, const torch::Tensor& lr) {
  torch::Tensor total = torch::zeros({}, sr.options());
  for (size_t i = 0; i < teachers_.size(); ++i) {
    torch::Tensor target;
    {
      torch::NoGradGuard no_grad;
      target = teachers_[i]->forward(lr).clamp(0.0, 1.0);
    }
    total = total + o_.teachers[i].weight * pixel_loss(pixel_, sr, target);
  }
  return total;
}

void Distillation::to(torch::Device device) {
  for (auto& teacher : teachers_) teacher->to(device);
}

std::string Distillation::describe() const {
  if (teachers_.empty()) return "";
  std::ostringstream s;
  s << "teachers(";
  for (size_t i = 0; i < o_.teachers.size(); ++i) s << (i ? "," : "") << o_.teachers[i].arch << "*" << o_.teachers[i].weight;
  s << ")";
  if (o_.until > 0) s << "until=" << o_.until;
  return s.str();
}

}  // namespace vsr::train
