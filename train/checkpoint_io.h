// What the trainers (trainer.cpp, video_trainer.cpp, interp_trainer.cpp) do with weights between
// iterations: save and load a module, keep an EMA copy, replace checkpoint files only once their
// successor is complete, and a run's checkpoint folder as a whole.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "mixed_precision.h"

namespace vsr::train {

void save_module(torch::nn::Module& m, const std::string& path);
// Where m's parameters are (the CPU for a module without any).
torch::Device module_device(torch::nn::Module& m);
// Loads onto the device m is on (a checkpoint written on a GPU reads on the CPU and back).
void load_module(torch::nn::Module& m, const std::string& path);
// Loads each parameter of `m` that `path` stores under the same name with the same shape, and leaves
// the others as they are: a model started from another scale's weights (EDSR's x4 from its x2: the
// trunk transfers, the upsampler only in part). Returns the names of the parameters not loaded;
// throws vsr::Error when none could be.
std::vector<std::string> load_matching(torch::nn::Module& m, const std::string& path);
// ema = decay * ema + (1 - decay) * weights, parameter by parameter (decay 0 copies the weights).
void update_ema(torch::nn::Module& ema, torch::nn::Module& model, double decay);
// `writer` writes PATH.partial, which then replaces PATH: an interrupted checkpoint keeps the last one.
void save_atomically(const std::string& path, const std::function<void(const std::string&)>& writer);

// A run's checkpoint in its folder: model.pt, optimizer.pt, ema.pt (runs that keep an EMA),
// loss_scale.txt (fp16 runs) and state.txt, written last: "iteration\n[sampler state\n]".
class RunCheckpoint {
 public:
  explicit RunCheckpoint(const std::string& out_dir);
  // Whether a run left a checkpoint here to resume from.
  bool exists() const;

  struct Resumed {
    int iteration = 0;
    std::string sampler_state;  // empty when the run saved none
  };
  // Weights onto the modules' device, the optimiser's state onto `device`. An EMA that the run did not
  // keep starts as a copy of the weights.
  Resumed load(torch::nn::Module& model, torch::nn::Module* ema, torch::optim::Optimizer& optimizer,
               LossScaler& scaler, const torch::Device& device) const;
  // `trainer_state` (the trainer's own files) runs before state.txt is replaced.
  void save(int iteration, const std::string& sampler_state, torch::nn::Module& model, torch::nn::Module* ema,
            const torch::optim::Optimizer& optimizer, const LossScaler& scaler,
            const std::function<void()>& trainer_state = {}) const;

 private:
  std::string model_path_, optimizer_path_, ema_path_, state_path_, scale_path_;
};

}  // namespace vsr::train
