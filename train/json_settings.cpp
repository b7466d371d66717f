#include "json_settings.h"

#include <fstream>

#include "vsr/error.h"

namespace vsr::train {

void apply_json_settings(const std::string& path, const std::map<std::string, JsonSetter>& keys) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open config '" + path + "'");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error("config '" + path + "' is not valid JSON: " + e.what());
  }
  if (!doc.is_object()) throw Error("config '" + path + "' must be a JSON object of settings");
  apply_json_object(path, doc, keys, "");
}

void apply_json_object(const std::string& path, const nlohmann::json& object, const std::map<std::string, JsonSetter>& keys,
                       const std::string& key_prefix) {
  for (const auto& [key, value] : object.items()) {
    auto it = keys.find(key);
    if (it == keys.end()) {
      std::string known;
      for (const auto& [k, _] : keys) known += (known.empty() ? "" : ", ") + k;
      throw Error("config '" + path + "': unknown key '" + key_prefix + key + "' (known: " + known + ")");
    }
    try {
      it->second(value);
    } catch (const nlohmann::json::exception&) {
      throw Error("config '" + path + "': key '" + key_prefix + key + "' has the wrong type (" + value.type_name() + ")");
    }
  }
}

}  // namespace vsr::train
