#include "checkpoint_io.h"

#include <filesystem>
#include <fstream>

#include "vsr/error.h"

namespace vsr::train {

void save_module(torch::nn::Module& m, const std::string& path) {
  torch::serialize::OutputArchive archive;
  m.save(archive);
  archive.save_to(path);
}

torch::Device module_device(torch::nn::Module& m) {
  const auto params = m.parameters();
  return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

void load_module(torch::nn::Module& m, const std::string& path) {
  // Module::load replaces each tensor with the stored one, shape and all: weights of another width
  // would load without a word and change the model. The shapes are compared afterwards.
  std::vector<std::pair<std::string, std::vector<int64_t>>> expected;
  for (const auto& item : m.named_parameters()) expected.emplace_back(item.key(), item.value().sizes().vec());
  torch::serialize::InputArchive archive;
  archive.load_from(path, module_device(m));
  m.load(archive);
  const auto loaded = m.named_parameters();
  for (const auto& [name, shape] : expected) {
    const auto stored = loaded[name].sizes().vec();
    if (stored != shape)
      throw Error("'" + path + "': parameter '" + name + "' has shape " + c10::str(c10::IntArrayRef(stored)) +
                  ", the model's is " + c10::str(c10::IntArrayRef(shape)));
  }
}

namespace {

// Module::save nests one archive per submodule; this walks the same tree.
void load_matching_into(torch::nn::Module& m, torch::serialize::InputArchive& archive, const std::string& prefix,
                        std::vector<std::string>& skipped, size_t& loaded) {
  torch::NoGradGuard no_grad;
  for (auto& item : m.named_parameters(/*recurse=*/false)) {
    torch::Tensor stored;
    if (archive.try_read(item.key(), stored) && stored.sizes() == item.value().sizes()) {
      item.value().copy_(stored);
      ++loaded;
    } else {
      skipped.push_back(prefix + item.key());
    }
  }
  for (auto& child : m.named_children()) {
    torch::serialize::InputArchive sub;
    if (archive.try_read(child.key(), sub)) {
      load_matching_into(*child.value(), sub, prefix + child.key() + ".", skipped, loaded);
    } else {
      for (auto& p : child.value()->named_parameters()) skipped.push_back(prefix + child.key() + "." + p.key());
    }
  }
}

}  // namespace

std::vector<std::string> load_matching(torch::nn::Module& m, const std::string& path) {
  torch::serialize::InputArchive archive;
  archive.load_from(path, module_device(m));
  std::vector<std::string> skipped;
  size_t loaded = 0;
  load_matching_into(m, archive, "", skipped, loaded);
  if (loaded == 0) throw Error("'" + path + "' holds no parameter of this model's names and shapes");
  return skipped;
}

void update_ema(torch::nn::Module& ema, torch::nn::Module& model, double decay) {
  torch::NoGradGuard no_grad;
  auto e = ema.parameters(), p = model.parameters();
  for (size_t i = 0; i < e.size(); ++i) e[i].mul_(decay).add_(p[i], 1.0 - decay);
}

void save_atomically(const std::string& path, const std::function<void(const std::string&)>& writer) {
  const std::string tmp = path + ".partial";
  writer(tmp);
  std::filesystem::rename(tmp, path);
}

RunCheckpoint::RunCheckpoint(const std::string& out_dir)
    : model_path_(out_dir + "/model.pt"),
      optimizer_path_(out_dir + "/optimizer.pt"),
      ema_path_(out_dir + "/ema.pt"),
      state_path_(out_dir + "/state.txt"),
      scale_path_(out_dir + "/loss_scale.txt") {}

bool RunCheckpoint::exists() const {
  namespace fs = std::filesystem;
  return fs::exists(state_path_) && fs::exists(model_path_) && fs::exists(optimizer_path_);
}

RunCheckpoint::Resumed RunCheckpoint::load(torch::nn::Module& model, torch::nn::Module* ema,
                                           torch::optim::Optimizer& optimizer, LossScaler& scaler,
                                           const torch::Device& device) const {
  load_module(model, model_path_);
  torch::load(optimizer, optimizer_path_, device);
  scaler.load(scale_path_);
  if (ema) {
    if (std::filesystem::exists(ema_path_))
      load_module(*ema, ema_path_);
    else
      update_ema(*ema, model, 0.0);  // a run that kept no EMA before
  }
  Resumed r;
  std::ifstream state(state_path_);
  if (!(state >> r.iteration)) throw Error("'" + state_path_ + "' does not start with the iteration it was written at");
  std::getline(state >> std::ws, r.sampler_state);
  return r;
}

void RunCheckpoint::save(int iteration, const std::string& sampler_state, torch::nn::Module& model,
                         torch::nn::Module* ema, const torch::optim::Optimizer& optimizer, const LossScaler& scaler,
                         const std::function<void()>& trainer_state) const {
  save_atomically(model_path_, [&](const std::string& p) { save_module(model, p); });
  save_atomically(optimizer_path_, [&](const std::string& p) { torch::save(optimizer, p); });
  if (ema) save_atomically(ema_path_, [&](const std::string& p) { save_module(*ema, p); });
  if (scaler.enabled()) save_atomically(scale_path_, [&](const std::string& p) { scaler.save(p); });
  if (trainer_state) trainer_state();
  save_atomically(state_path_, [&](const std::string& p) {
    std::ofstream out(p);
    out << iteration << "\n";
    if (!sampler_state.empty()) out << sampler_state << "\n";
  });
}

}  // namespace vsr::train
