// The trainers' command lines over their JSON configs: a flag for each setting of the trainer's
// SettingsTable (settings_table.h), parsed into a scratch copy of the options, that overrides the
// config's value only when it is given, so `--config F --lr X` changes the learning rate and nothing
// else.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <utility>
#include <vector>

#include "settings_table.h"

namespace vsr::train {

template <typename Options>
class ConfigFlags {
 public:
  ConfigFlags(CLI::App& app, const SettingsTable<Options>& table) {
    for (const auto& s : table.settings())
      if (s.add_flag) overrides_.emplace_back(s.add_flag(app, scratch_), s.copy);
  }
  ConfigFlags(const ConfigFlags&) = delete;  // the flags write into this object's scratch copy
  ConfigFlags& operator=(const ConfigFlags&) = delete;

  // After parsing: copies each setting whose flag was on the command line into `options`.
  void apply_given(Options& options) {
    for (const auto& [option, copy] : overrides_)
      if (option->count() > 0) copy(scratch_, options);
  }

 private:
  Options scratch_;
  std::vector<std::pair<CLI::Option*, std::function<void(Options&, Options&)>>> overrides_;
};

}  // namespace vsr::train
