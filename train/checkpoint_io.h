// What both trainers (trainer.cpp, interp_trainer.cpp) do with weights between iterations: save and
// load a module, keep an EMA copy, replace checkpoint files only once their successor is complete,
// and print durations for the ETA.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

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
// "H:MM:SS".
std::string duration_text(double seconds);

}  // namespace vsr::train
