// One way to read a trainer's JSON config: each known key has a setter that writes one field of the
// options; an unknown key, a wrong type or a file that is not a JSON object is an error naming the
// file and the key. The trainers' settings tables (settings_table.h) read their configs through it.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace vsr::train {

using JsonSetter = std::function<void(const nlohmann::json&)>;

// Parses `path` and applies each key's setter. Throws vsr::Error naming the file and the key.
void apply_json_settings(const std::string& path, const std::map<std::string, JsonSetter>& keys);
// The same for one JSON object inside the config at `path` (a list entry, say): its keys are named
// `key_prefix` + key in the errors ("teachers[0].weight").
void apply_json_object(const std::string& path, const nlohmann::json& object, const std::map<std::string, JsonSetter>& keys,
                       const std::string& key_prefix);

}  // namespace vsr::train
