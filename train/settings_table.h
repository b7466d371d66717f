// A trainer's settings, each named once: its key in the JSON config, the field of the options it
// sets and its help text. The config reader (unknown keys and wrong types named, json_settings.h) and
// the command line (config_flags.h: the flag is the key with - for _) are both made from the table, so
// every key has its flag and the two cannot drift apart. vsr-train, vsr-train-video and
// vsr-train-interp each have one (train_settings(), video_settings(), interp_settings()).
#pragma once
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "json_settings.h"

namespace vsr::train {

template <typename Options>
class SettingsTable {
 public:
  struct Setting {
    std::string key, help;
    std::function<void(const std::string& path, const nlohmann::json& value, Options& o)> read;
    // Null for a config-only setting. Adds the flag to app, parsed into `scratch`'s field.
    std::function<CLI::Option*(CLI::App& app, Options& scratch)> add_flag;
    std::function<void(Options& from, Options& to)> copy;  // the field alone
  };

  // `field`: a pointer to a member of Options, or a function of Options& returning a reference to a
  // nested setting ([](Options& o) -> auto& { return o.losses.weight; }). A list of texts also takes
  // a single string in the config; a bool is a flag without a value on the command line.
  template <typename Field>
  void add(const std::string& key, Field field, const std::string& help) {
    Setting s;
    s.key = key;
    s.help = help;
    s.read = [field](const std::string&, const nlohmann::json& v, Options& o) { read_value(v, setting(o, field)); };
    s.add_flag = [field, key, help](CLI::App& app, Options& scratch) -> CLI::Option* {
      auto& value = setting(scratch, field);
      if constexpr (std::is_same_v<std::remove_reference_t<decltype(value)>, bool>)
        return app.add_flag(flag_name(key), value, help);
      else
        return app.add_option(flag_name(key), value, help);
    };
    s.copy = [field](Options& from, Options& to) { setting(to, field) = setting(from, field); };
    settings_.push_back(std::move(s));
  }

  // A structured setting read from the config only (vsr-train's list of teachers).
  void add_config_only(const std::string& key,
                       std::function<void(const std::string& path, const nlohmann::json& value, Options& o)> read) {
    settings_.push_back({key, "", std::move(read), nullptr, nullptr});
  }

  // Applies the config at `path` to `o`. Throws vsr::Error naming the file and the key.
  void read_config(const std::string& path, Options& o) const { apply_json_settings(path, setters(path, o)); }
  // The same for one object inside the config (an entry of a list): its keys are named `key_prefix` +
  // key in the errors ("teachers[0].weight").
  void read_object(const std::string& path, const nlohmann::json& object, Options& o,
                   const std::string& key_prefix) const {
    apply_json_object(path, object, setters(path, o), key_prefix);
  }

  const std::vector<Setting>& settings() const { return settings_; }

  // "checkpoint_every" -> "--checkpoint-every".
  static std::string flag_name(std::string key) {
    for (char& c : key)
      if (c == '_') c = '-';
    return "--" + key;
  }

 private:
  template <typename Field>
  static auto& setting(Options& o, Field field) {
    if constexpr (std::is_member_object_pointer_v<Field>)
      return o.*field;
    else
      return field(o);
  }
  template <typename T>
  static void read_value(const nlohmann::json& v, T& field) {
    if constexpr (std::is_same_v<T, std::vector<std::string>>)
      field = v.is_string() ? std::vector<std::string>{v.get<std::string>()} : v.get<T>();
    else
      field = v.get<T>();
  }

  std::map<std::string, JsonSetter> setters(const std::string& path, Options& o) const {
    std::map<std::string, JsonSetter> keys;
    for (const Setting& s : settings_)
      keys[s.key] = [&path, &o, read = s.read](const nlohmann::json& v) { read(path, v, o); };
    return keys;
  }

  std::vector<Setting> settings_;
};

}  // namespace vsr::train
