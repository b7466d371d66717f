// vsr_fuzz_replay: runs the fuzz entry point (fuzz_model_loader.cpp) over files without libFuzzer:
// a corpus folder, crash reproducers, and deterministic mutations of each file (truncations and
// byte flips from a fixed seed), so GCC builds and ctest exercise the same path the fuzzer does.
//   vsr_fuzz_replay [--mutations N] [--seed S] [--seeds-must-load] [--verbose] PATH...
// PATH is a file or a folder (read recursively, skipping *.md notes). Exit status 0 when every input ended in a model or
// a vsr::Error; a crash ends the process, any other exception is reported with the input that threw
// it and gives status 1, as does an unmutated file that fails to load under --seeds-must-load.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "fuzz_model_loader.h"
#include "model_mutator.h"
#include "replay_inputs.h"

namespace {

struct Tally {
  size_t loaded = 0, refused = 0, failures = 0;
};

// Runs one input; false when something other than a vsr::Error came out. `refusal` gets the
// vsr::Error's message ("" when the model loaded and ran the probe).
bool run_one(const std::string& bytes, const std::string& what, std::string& refusal) {
  try {
    refusal = vsr::fuzz::load_and_probe(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    return true;
  } catch (const std::exception& e) {
    std::cerr << "FAIL " << what << ": exception escaped the entry point: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "FAIL " << what << ": a non-std exception escaped the entry point\n";
  }
  return false;
}

// N mutants of `bytes`: a third truncations, a third structure-aware edits of the parsed model
// (model_mutator.h), a third 1-8 random bytes overwritten, half of those within the first 2 KB
// (where the graph structure sits in small models).
std::vector<std::string> mutants(const std::string& bytes, int count, std::mt19937& rng) {
  std::vector<std::string> out;
  if (bytes.empty()) return out;
  for (int i = 0; i < count; ++i) {
    std::string m = bytes;
    if (i % 3 == 0) {
      m.resize(rng() % bytes.size());
    } else if (i % 3 == 1 && vsr::fuzz::mutate_model(bytes, rng, m)) {
      // edited as a model
    } else {
      const size_t span = i % 2 ? m.size() : std::min<size_t>(m.size(), 2048);
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f) m[rng() % span] = static_cast<char>(rng() & 0xff);
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int mutations = 0;
  uint32_t seed = 1;
  bool seeds_must_load = false, verbose = false;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mutations" && i + 1 < argc) {
      mutations = std::atoi(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--seeds-must-load") {
      seeds_must_load = true;
    } else if (a == "--verbose") {
      verbose = true;
    } else if (!vsr::fuzz::add_input_path(a, files)) {
      std::cerr << "usage: vsr_fuzz_replay [--mutations N] [--seed S] PATH...\n'" << a << "' is not a file or folder\n";
      return 2;
    }
  }
  if (files.empty()) {
    std::cerr << "vsr_fuzz_replay: no input files\n";
    return 2;
  }
  std::sort(files.begin(), files.end());  // a fixed order: the mutations depend on it
  std::mt19937 rng(seed);
  Tally t;
  auto run = [&](const std::string& bytes, const std::string& what, bool must_load) {
    std::string refusal;
    if (!run_one(bytes, what, refusal)) {
      ++t.failures;
      return;
    }
    ++(refusal.empty() ? t.loaded : t.refused);
    if (verbose) std::cout << what << ": " << (refusal.empty() ? "loaded" : refusal) << "\n";
    if (must_load && !refusal.empty()) {
      std::cerr << "FAIL " << what << " does not load: " << refusal << "\n";
      ++t.failures;
    }
  };
  for (const auto& f : files) {
    const std::string bytes = vsr::fuzz::read_input(f);
    run(bytes, f.string(), seeds_must_load);
    int k = 0;
    for (const std::string& m : mutants(bytes, mutations, rng))
      run(m, f.string() + " mutant " + std::to_string(k++) + " (seed " + std::to_string(seed) + ")", false);
  }
  std::cout << "vsr_fuzz_replay: " << t.loaded + t.refused + t.failures << " inputs from " << files.size()
            << " files (seed " << seed << ", " << mutations << " mutations each): " << t.loaded << " loaded, "
            << t.refused << " refused with a vsr::Error, " << t.failures << " failures\n";
  return t.failures ? 1 : 0;
}
