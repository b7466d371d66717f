// The trainers' command lines over their JSON configs (vsr-train, vsr-train-video, vsr-train-interp):
// each flag parses into a scratch copy of the options and overrides the config's value only when it is
// given, so `--config F --lr X` changes the learning rate and nothing else.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace vsr::train {

template <typename Options>
class ConfigFlags {
 public:
  explicit ConfigFlags(CLI::App& app) : app_(app) {}
  ConfigFlags(const ConfigFlags&) = delete;  // the overrides refer to this object's scratch copy
  ConfigFlags& operator=(const ConfigFlags&) = delete;

  // `field`: a pointer to a member of Options, or a function of Options& returning a reference to a
  // nested setting ([](Options& o) -> auto& { return o.losses.weight; }).
  template <typename Field>
  CLI::Option* option(const std::string& name, Field field, const std::string& help) {
    return bind(app_.add_option(name, setting(scratch_, field), help), field);
  }
  // A flag without a value: sets a bool setting to true.
  template <typename Field>
  CLI::Option* flag(const std::string& name, Field field, const std::string& help) {
    return bind(app_.add_flag(name, setting(scratch_, field), help), field);
  }

  // After parsing: copies each flag that was on the command line into `options`.
  void apply_given(Options& options) const {
    for (const auto& [option, apply] : overrides_)
      if (option->count() > 0) apply(options);
  }

 private:
  template <typename Field>
  static auto& setting(Options& o, Field field) {
    if constexpr (std::is_member_object_pointer_v<Field>)
      return o.*field;
    else
      return field(o);
  }
  template <typename Field>
  CLI::Option* bind(CLI::Option* option, Field field) {
    overrides_.emplace_back(option, [this, field](Options& o) { setting(o, field) = setting(scratch_, field); });
    return option;
  }

  CLI::App& app_;
  Options scratch_;
  std::vector<std::pair<CLI::Option*, std::function<void(Options&)>>> overrides_;
};

}  // namespace vsr::train
