// The trainers' settings tables (train/settings_table.h) and command lines (train/config_flags.h): one
// table gives the config's keys and the flags; a flag overrides the config's value only when given.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "train/config_flags.h"
#include "train/interp_trainer.h"
#include "train/settings_table.h"
#include "train/trainer.h"
#include "train/video_trainer.h"
#include "vsr/error.h"

namespace {

struct Settings {
  int iterations = 10;
  double learning_rate = 1e-3;
  std::vector<std::string> videos;
  struct {
    double weight = 0.0;
  } losses;
  bool partial = false;
  std::vector<int> layers;  // config only
};

const vsr::train::SettingsTable<Settings>& table() {
  static const vsr::train::SettingsTable<Settings> t = [] {
    vsr::train::SettingsTable<Settings> t;
    t.add("iterations", &Settings::iterations, "total iterations");
    t.add("lr", &Settings::learning_rate, "learning rate");
    t.add("videos", &Settings::videos, "videos");
    t.add("loss_weight", [](Settings& s) -> auto& { return s.losses.weight; }, "a nested setting");
    t.add("partial", &Settings::partial, "a flag without a value");
    t.add_config_only("layers", [](const std::string&, const nlohmann::json& v, Settings& s) {
      s.layers = v.get<std::vector<int>>();
    });
    return t;
  }();
  return t;
}

// The command line `args` over `config`.
template <typename Options>
Options parse_over(Options config, const vsr::train::SettingsTable<Options>& settings, std::vector<std::string> args) {
  CLI::App app;
  vsr::train::ConfigFlags<Options> flags(app, settings);
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

std::string write_json(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST(ConfigFlags, WithoutFlagsTheConfigStands) {
  const Settings s = parse_over(from_a_config(), table(), {});
  EXPECT_EQ(s.iterations, 77);
  EXPECT_EQ(s.learning_rate, 0.25);
  EXPECT_EQ(s.videos, (std::vector<std::string>{"a.avi", "b.avi"}));
  EXPECT_EQ(s.losses.weight, 3.0);
  EXPECT_FALSE(s.partial);
}

TEST(ConfigFlags, EachFlagGivenOverridesItsSettingAlone) {
  const Settings s =
      parse_over(from_a_config(), table(), {"--lr", "0.5", "--loss-weight", "2", "--partial", "--videos", "c.mp4"});
  EXPECT_EQ(s.iterations, 77);
  EXPECT_EQ(s.learning_rate, 0.5);
  EXPECT_EQ(s.losses.weight, 2.0);
  EXPECT_TRUE(s.partial);
  EXPECT_EQ(s.videos, (std::vector<std::string>{"c.mp4"}));  // a list is replaced, not appended to
}

TEST(ConfigFlags, AFlagAtTheDefaultValueStillOverridesTheConfig) {
  const Settings s = parse_over(from_a_config(), table(), {"--iterations", "10"});  // Settings' own default
  EXPECT_EQ(s.iterations, 10);
}

TEST(ConfigFlags, ABadValueAndAConfigOnlySettingAreRefusedNamingTheFlag) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--iterations", "many"}, std::vector<std::string>{"--layers", "3"}}) {
    try {
      parse_over(from_a_config(), table(), args);
      FAIL() << args[0] << " " << args[1] << " was accepted";
    } catch (const CLI::ParseError& e) {
      EXPECT_NE(std::string(e.what()).find(args[0]), std::string::npos) << e.what();
    }
  }
}

TEST(SettingsTable, TheConfigSetsEachKeysFieldAndNamesWhatItRefuses) {
  Settings s;
  table().read_config(write_json("vsr_settings_ok.json", R"({"lr": 0.5, "videos": "one.avi", "loss_weight": 2,
                                                             "partial": true, "layers": [2, 16]})"),
                      s);
  EXPECT_EQ(s.learning_rate, 0.5);
  EXPECT_EQ(s.videos, (std::vector<std::string>{"one.avi"}));  // a single text for a list of one
  EXPECT_EQ(s.losses.weight, 2.0);
  EXPECT_TRUE(s.partial);
  EXPECT_EQ(s.layers, (std::vector<int>{2, 16}));
  EXPECT_EQ(s.iterations, 10);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {R"({"learning_rate": 0.5})", "unknown key 'learning_rate'"},
      {R"({"iterations": "many"})", "key 'iterations' has the wrong type"},
      {R"({"partial": 1.5})", "key 'partial' has the wrong type"}};
  for (const auto& [json, why] : refused) {
    try {
      table().read_config(write_json("vsr_settings_bad.json", json), s);
      FAIL() << json << " was accepted";
    } catch (const vsr::Error& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("vsr_settings_bad.json"), std::string::npos) << e.what();
    }
  }
}

// Every key of each trainer's config is also its flag, as the --config help promises.
template <typename Options>
void expect_a_flag_for_every_key(const vsr::train::SettingsTable<Options>& settings, const std::string& trainer) {
  CLI::App app;
  vsr::train::ConfigFlags<Options> flags(app, settings);
  for (const auto& s : settings.settings()) {
    if (!s.add_flag) continue;  // structured, config only (vsr-train's teachers)
    EXPECT_NE(app.get_option_no_throw(vsr::train::SettingsTable<Options>::flag_name(s.key)), nullptr)
        << trainer << ": " << s.key;
    EXPECT_FALSE(s.help.empty()) << trainer << ": " << s.key;
  }
}

TEST(SettingsTable, EachTrainerHasAFlagForEveryKeyAndTheFlagsOverrideItsConfig) {
  expect_a_flag_for_every_key(vsr::train::train_settings(), "vsr-train");
  expect_a_flag_for_every_key(vsr::train::video_settings(), "vsr-train-video");
  expect_a_flag_for_every_key(vsr::train::interp_settings(), "vsr-train-interp");

  vsr::train::VideoTrainOptions video;
  vsr::train::load_video_config(write_json("vsr_video_flags.json", R"({"lr": 0.002, "ema": 0.99, "frames": 4})"), video);
  video = parse_over(video, vsr::train::video_settings(), {"--ema", "0", "--validate-frames", "3"});
  EXPECT_EQ(video.learning_rate, 0.002);
  EXPECT_EQ(video.ema, 0.0);
  EXPECT_EQ(video.frames, 4);
  EXPECT_EQ(video.validate_frames, 3);

  vsr::train::TrainOptions train;
  train = parse_over(train, vsr::train::train_settings(), {"--dual-lr", "0.003", "--init-partial"});
  EXPECT_EQ(train.extra_losses.dual_lr, 0.003);
  EXPECT_TRUE(train.init_partial);
}

TEST(TrainerSettings, PairedDataNeedsOneLrFolderPerFolderAndNoDegradation) {
  vsr::train::TrainOptions o;
  o.data = {"a", "b"};
  o.lr_data = {"a_lr"};
  auto error = [&] {
    try {
      vsr::train::check_options(o);
    } catch (const vsr::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error().find("setting 'lr_data' names 1 folders for 2 data folders"), std::string::npos) << error();
  o.lr_data = {"a_lr", "b_lr"};
  EXPECT_EQ(error(), "");
  o.degradation = "video";
  EXPECT_NE(error().find("setting 'lr_data' brings its own LR images"), std::string::npos) << error();
}
