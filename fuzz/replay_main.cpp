// A main() for any libFuzzer entry point, so that GCC builds and ctest run it without libFuzzer:
// each input file, then deterministic mutants of it (truncations, overwritten bytes, deleted and
// repeated spans, all from a fixed seed), go through LLVMFuzzerTestOneInput.
//   vsr_fuzz_<target>_replay [--mutations N] [--seed S] [--verbose] PATH...
// PATH is a file or a folder (read recursively, skipping *.md notes). The entry point turns every
// input it refuses into a vsr::Error itself; anything that escapes it is a failure (status 1) named
// with the input and mutant that threw. A crash or sanitizer report ends the process, as it would
// under libFuzzer. (fuzz_replay.cpp is the model loader's own replayer: it adds model-aware edits.)
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "replay_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Optional in a target (the caps target initialises GStreamer there), as under libFuzzer.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

// The i-th of a file's mutants. The kinds rotate so that every file gets each of them: cutting the
// end off (the common damage of a copy), overwriting 1-8 bytes (half of the time in the first 1 KB,
// where headers sit), deleting a span, repeating a span (length fields that no longer match).
std::string mutant(const std::string& bytes, int i, std::mt19937& rng) {
  std::string m = bytes;
  if (bytes.empty()) return m;
  switch (i % 4) {
    case 0:
      m.resize(rng() % bytes.size());
      break;
    case 1: {
      const size_t span = i % 8 == 1 ? std::min<size_t>(m.size(), 1024) : m.size();
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f) m[rng() % span] = static_cast<char>(rng() & 0xff);
      break;
    }
    case 2: {
      const size_t at = rng() % m.size(), length = 1 + rng() % std::min<size_t>(64, m.size() - at);
      m.erase(at, length);
      break;
    }
    default: {
      const size_t at = rng() % m.size(), length = 1 + rng() % std::min<size_t>(64, m.size() - at);
      m.insert(at, bytes.substr(at, length));
      break;
    }
  }
  return m;
}

// False when something escaped the entry point.
bool run_one(const std::string& bytes, const std::string& what) {
  try {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    return true;
  } catch (const std::exception& e) {
    std::cerr << "FAIL " << what << ": exception escaped the entry point: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "FAIL " << what << ": a non-std exception escaped the entry point\n";
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  const std::string self = std::filesystem::path(argv[0]).filename().string();
  int mutations = 0;
  uint32_t seed = 1;
  bool verbose = false;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mutations" && i + 1 < argc) {
      mutations = std::atoi(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--verbose") {
      verbose = true;
    } else if (!vsr::fuzz::add_input_path(a, files)) {
      std::cerr << "usage: " << self << " [--mutations N] [--seed S] [--verbose] PATH...\n'" << a
                << "' is not a file or folder\n";
      return 2;
    }
  }
  if (files.empty()) {
    std::cerr << self << ": no input files\n";
    return 2;
  }
  std::sort(files.begin(), files.end());  // a fixed order: the mutants depend on it
  std::mt19937 rng(seed);
  size_t inputs = 0, failures = 0;
  for (const auto& f : files) {
    const std::string bytes = vsr::fuzz::read_input(f);
    for (int k = -1; k < mutations; ++k) {
      const std::string what = k < 0 ? f.string() : f.string() + " mutant " + std::to_string(k) + " (seed " + std::to_string(seed) + ")";
      if (verbose) std::cout << what << "\n" << std::flush;  // before the run: a crash names its input
      ++inputs;
      if (!run_one(k < 0 ? bytes : mutant(bytes, k, rng), what)) ++failures;
    }
  }
  std::cout << self << ": " << inputs << " inputs from " << files.size() << " files (seed " << seed << ", "
            << mutations << " mutants each), " << failures << " failures\n";
  return failures ? 1 : 0;
}
