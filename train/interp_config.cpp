// vsr-train-interp's JSON config: every key of InterpTrainOptions, nothing else.
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <map>

#include "interp_trainer.h"
#include "vsr/error.h"

namespace vsr::train {

void load_interp_config(const std::string& path, InterpTrainOptions& o) {
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
  const auto text = [](std::string& f) { return Setter([&f](const nlohmann::json& v) { f = v.get<std::string>(); }); };
  const auto texts = [](std::vector<std::string>& f) {
    return Setter([&f](const nlohmann::json& v) {
      f = v.is_string() ? std::vector<std::string>{v.get<std::string>()} : v.get<std::vector<std::string>>();
    });
  };
  const auto integer = [](int& f) { return Setter([&f](const nlohmann::json& v) { f = v.get<int>(); }); };
  const auto real = [](double& f) { return Setter([&f](const nlohmann::json& v) { f = v.get<double>(); }); };
  const std::map<std::string, Setter> keys = {
      {"videos", texts(o.videos)},
      {"photos", texts(o.photos)},
      {"validate", texts(o.validate)},
      {"out", text(o.out_dir)},
      {"export", text(o.export_path)},
      {"features", [&](const nlohmann::json& v) { o.features = v.get<std::vector<int>>(); }},
      {"loss", text(o.loss)},
      {"gradient_weight", real(o.gradient_weight)},
      {"flow_weight", real(o.flow_weight)},
      {"ema", real(o.ema)},
      {"iterations", integer(o.iterations)},
      {"stop_after", integer(o.stop_after)},
      {"batch", integer(o.batch)},
      {"patch", integer(o.patch)},
      {"lr", real(o.learning_rate)},
      {"checkpoint_every", integer(o.checkpoint_every)},
      {"checkpoint_minutes", real(o.checkpoint_minutes)},
      {"progress_every", integer(o.progress_every)},
      {"threads", integer(o.threads)},
      {"seed", [&](const nlohmann::json& v) { o.seed = v.get<uint64_t>(); }},
      {"synthetic_fraction", real(o.synthetic_fraction)},
      {"max_motion", real(o.max_motion)},
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

void check_interp_options(const InterpTrainOptions& o) {
  auto bad = [](const std::string& key, const std::string& why) { throw Error("setting '" + key + "' " + why); };
  if (o.videos.empty() && o.photos.empty()) bad("videos", "and 'photos' name no training source");
  if (o.iterations < 1) bad("iterations", "must be positive");
  if (o.stop_after < 0) bad("stop_after", "must be 0 (run to the end) or an iteration");
  if (o.batch < 1) bad("batch", "must be positive");
  if (o.patch < 16 || o.patch > 512 || o.patch % 8 != 0) bad("patch", "must be a multiple of 8 from 16 to 512");
  if (!(o.learning_rate > 0.0)) bad("lr", "must be positive");
  if (o.checkpoint_every < 1) bad("checkpoint_every", "must be positive");
  if (!(o.checkpoint_minutes > 0.0)) bad("checkpoint_minutes", "must be positive");
  if (o.progress_every < 1) bad("progress_every", "must be positive");
  if (o.threads < 1) bad("threads", "must be positive");
  if (!(o.ema >= 0.0 && o.ema < 1.0)) bad("ema", "must be 0 (off) or a decay in (0, 1)");
  if (!(o.gradient_weight >= 0.0)) bad("gradient_weight", "must not be negative");
  if (!(o.flow_weight >= 0.0)) bad("flow_weight", "must not be negative");
  if (!(o.synthetic_fraction >= 0.0 && o.synthetic_fraction <= 1.0)) bad("synthetic_fraction", "must be 0 to 1");
  if (!(o.max_motion >= 0.0 && o.max_motion <= 128.0)) bad("max_motion", "must be 0 to 128 pixels");
  if (o.loss != "l1" && o.loss != "charbonnier") bad("loss", "'" + o.loss + "' is not one of l1, charbonnier");
}

}  // namespace vsr::train
