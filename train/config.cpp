// vsr-train's JSON config: every key of TrainOptions, nothing else.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>

#include "train/degrade/pipeline.h"
#include "trainer.h"
#include "vsr/error.h"

namespace vsr::train {

std::vector<std::string> loss_names() { return {"l1", "mse", "charbonnier"}; }

void load_config(const std::string& path, TrainOptions& o) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open config '" + path + "'");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error("config '" + path + "' is not valid JSON: " + e.what());
  }
  if (!doc.is_object()) throw Error("config '" + path + "' must be a JSON object of settings");
  using Setter = std::function<void(const nlohmann::json&)>;
  const auto text = [](std::string& field) { return Setter([&field](const nlohmann::json& v) { field = v.get<std::string>(); }); };
  const auto integer = [](int& field) { return Setter([&field](const nlohmann::json& v) { field = v.get<int>(); }); };
  const std::map<std::string, Setter> keys = {
      {"data", [&](const nlohmann::json& v) { o.data = v.is_string() ? std::vector<std::string>{v.get<std::string>()}
                                                                      : v.get<std::vector<std::string>>(); }},
      {"validate", text(o.validate)},
      {"out", text(o.out_dir)},
      {"export", text(o.export_path)},
      {"arch", text(o.arch)},
      {"scale", integer(o.scale)},
      {"features", [&](const nlohmann::json& v) { o.features = v.get<std::vector<int>>(); }},
      {"loss", text(o.loss)},
      {"degradation", text(o.degradation)},
      {"ema", [&](const nlohmann::json& v) { o.ema = v.get<double>(); }},
      {"iterations", integer(o.iterations)},
      {"batch", integer(o.batch)},
      {"patch", integer(o.lr_patch)},
      {"lr", [&](const nlohmann::json& v) { o.learning_rate = v.get<double>(); }},
      {"checkpoint_every", integer(o.checkpoint_every)},
      {"threads", integer(o.threads)},
      {"seed", [&](const nlohmann::json& v) { o.seed = v.get<uint64_t>(); }},
      {"trained_on", text(o.trained_on)},
  };
  for (const auto& [key, value] : doc.items()) {
    auto it = keys.find(key);
    if (it == keys.end()) {
      std::string known;
      for (const auto& [k, _] : keys) known += (known.empty() ? "" : ", ") + k;
      throw Error("config '" + path + "': unknown key '" + key + "' (known: " + known + ")");
    }
    try {
      it->second(value);
    } catch (const nlohmann::json::exception&) {
      throw Error("config '" + path + "': key '" + key + "' has the wrong type (" + value.type_name() + ")");
    }
  }
}

void check_options(const TrainOptions& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.data.empty()) bad("data", "names no training folder");
  if (o.scale < 2 || o.scale > 4) bad("scale", "is " + std::to_string(o.scale) + "; vsr-train makes x2, x3 and x4 models");
  if (o.iterations < 1) bad("iterations", "must be positive");
  if (o.batch < 1) bad("batch", "must be positive");
  if (o.lr_patch < 8 || o.lr_patch > 512) bad("patch", "must be 8 to 512 LR pixels");
  if (!(o.learning_rate > 0.0)) bad("lr", "must be positive");
  if (o.checkpoint_every < 1) bad("checkpoint_every", "must be positive");
  if (o.threads < 1) bad("threads", "must be positive");
  if (!(o.ema >= 0.0 && o.ema < 1.0)) bad("ema", "must be 0 (off) or a decay in (0, 1)");
  if (!degrade::is_degradation(o.degradation))
    bad("degradation", "'" + o.degradation + "' is not one of " + degrade::degradation_list());
  const auto losses = loss_names();
  if (std::find(losses.begin(), losses.end(), o.loss) == losses.end()) bad("loss", "'" + o.loss + "' is not one of l1, mse, charbonnier");
}

}  // namespace vsr::train
