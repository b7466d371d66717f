// The trainers' command lines over their configs (train/config_flags.h): a flag overrides the config's
// value only when it is given, whatever value it carries.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "train/config_flags.h"

namespace {

struct Settings {
  int iterations = 10;
  double learning_rate = 1e-3;
  std::vector<std::string> videos;
  struct {
    double weight = 0.0;
  } losses;
  bool partial = false;
};

// The flags of a trainer's main over Settings, parsed from `args`, applied to `config`.
Settings parse_over(Settings config, std::vector<std::string> args) {
  CLI::App app;
  vsr::train::ConfigFlags<Settings> flags(app);
  flags.option("--iterations", &Settings::iterations, "total iterations");
  flags.option("--lr", &Settings::learning_rate, "learning rate");
  flags.option("--videos", &Settings::videos, "videos");
  flags.option("--weight", [](Settings& s) -> auto& { return s.losses.weight; }, "a nested setting");
  flags.flag("--partial", &Settings::partial, "a flag without a value");
  args.insert(args.begin(), "vsr-train-test");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  flags.apply_given(config);
  return config;
}

Settings from_a_config() {
  Settings s;
  s.iterations = 77;
  s.learning_rate = 0.25;
  s.videos = {"a.avi", "b.avi"};
  s.losses.weight = 3.0;
  return s;
}

}  // namespace

TEST(ConfigFlags, WithoutFlagsTheConfigStands) {
  const Settings s = parse_over(from_a_config(), {});
  EXPECT_EQ(s.iterations, 77);
  EXPECT_EQ(s.learning_rate, 0.25);
  EXPECT_EQ(s.videos, (std::vector<std::string>{"a.avi", "b.avi"}));
  EXPECT_EQ(s.losses.weight, 3.0);
  EXPECT_FALSE(s.partial);
}

TEST(ConfigFlags, EachFlagGivenOverridesItsSettingAlone) {
  const Settings s = parse_over(from_a_config(), {"--lr", "0.5", "--weight", "2", "--partial", "--videos", "c.mp4"});
  EXPECT_EQ(s.iterations, 77);
  EXPECT_EQ(s.learning_rate, 0.5);
  EXPECT_EQ(s.losses.weight, 2.0);
  EXPECT_TRUE(s.partial);
  EXPECT_EQ(s.videos, (std::vector<std::string>{"c.mp4"}));  // a list is replaced, not appended to
}

TEST(ConfigFlags, AFlagAtTheDefaultValueStillOverridesTheConfig) {
  const Settings s = parse_over(from_a_config(), {"--iterations", "10"});  // 10 is Settings' own default
  EXPECT_EQ(s.iterations, 10);
}

TEST(ConfigFlags, ABadValueIsRefusedNamingTheFlag) {
  try {
    parse_over(from_a_config(), {"--iterations", "many"});
    FAIL() << "a non-number was accepted";
  } catch (const CLI::ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("--iterations"), std::string::npos) << e.what();
  }
}
