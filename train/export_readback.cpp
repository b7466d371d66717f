#include "export_readback.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <unistd.h>

#include "models/graph.h"
#include "vsr/error.h"

namespace vsr::train {
namespace {

namespace fs = std::filesystem;

// Indices start at 2 so that a parameter element never reads the same in both probe exports (the
// all-ones export), which is how the graph's own constants are told apart.
constexpr int64_t kIndexBase = 2;
// Indices are stored as floats: exact up to 2^24.
constexpr int64_t kMaxReadableElements = (int64_t(1) << 24) - kIndexBase;

struct ElementSource {
  int64_t element = 0;  // into the model's parameters laid end to end (named_parameters() order)
  float factor = 1.0f;  // what the export multiplied it by
};
struct InitializerSource {
  std::vector<int64_t> shape;
  std::vector<ElementSource> elements;  // one per element of the initializer, row-major
};
using InitializerSources = std::map<std::string, InitializerSource>;

// What a read-back needs of a network: its parameters, the vsr.arch its exports carry, words for
// messages, and its export.
struct Exportable {
  torch::nn::Module& module;
  std::string arch;
  std::string description;  // "edsr (x2, these features)"
  std::function<void(const std::string& path)> export_to;
};

Exportable exportable(SrModelImpl& m) {
  return {m, m.arch(), m.arch() + " (x" + std::to_string(m.scale()) + ", these features)",
          [&m](const std::string& path) { m.export_onnx(path, {}); }};
}

Exportable exportable(InterpNetImpl& m) {
  return {m, InterpNetImpl::arch(), InterpNetImpl::arch() + " (these features)",
          [&m](const std::string& path) { m.export_onnx(path, {}); }};
}

struct ParameterSpan {
  std::string name;
  torch::Tensor tensor;
  int64_t offset = 0;
};

std::vector<ParameterSpan> parameter_spans(torch::nn::Module& m, int64_t& total) {
  std::vector<ParameterSpan> spans;
  total = 0;
  for (auto& item : m.named_parameters()) {
    spans.push_back({item.key(), item.value(), total});
    total += item.value().numel();
  }
  return spans;
}

// Exports `m` with its parameters replaced by `values` (laid end to end) and returns the file's
// initializers; the parameters are restored afterwards, whatever happens.
std::map<std::string, cpu::Tensor> probe_export(const Exportable& m, const std::vector<ParameterSpan>& spans,
                                                const torch::Tensor& values) {
  static std::atomic<int> probes{0};
  const fs::path file = fs::temp_directory_path() /
                        ("vsr-readback-" + std::to_string(::getpid()) + "-" + std::to_string(probes++) + ".onnx");
  std::vector<torch::Tensor> saved;
  torch::NoGradGuard no_grad;
  for (const auto& s : spans) {
    saved.push_back(s.tensor.detach().clone());
    s.tensor.copy_(values.slice(0, s.offset, s.offset + s.tensor.numel()).view_as(s.tensor));
  }
  auto restore = [&] {
    for (size_t i = 0; i < spans.size(); ++i) spans[i].tensor.copy_(saved[i]);
    std::error_code ignored;
    fs::remove(file, ignored);
  };
  try {
    m.export_to(file.string());
    Graph g = load_onnx_graph(file.string());
    restore();
    return std::move(g.constants);
  } catch (...) {
    restore();
    throw;
  }
}

// Which parameter element (and factor) each element of each initializer of m's export comes from.
InitializerSources export_sources(const Exportable& m, const std::vector<ParameterSpan>& spans, int64_t total) {
  if (total > kMaxReadableElements)
    throw Error("a " + m.arch + " of " + std::to_string(total) + " parameters is too large to be read back from ONNX (at most " +
                std::to_string(kMaxReadableElements) + ")");
  const auto indexed = probe_export(m, spans, torch::arange(kIndexBase, total + kIndexBase, torch::kFloat32));
  const auto ones = probe_export(m, spans, torch::ones({total}, torch::kFloat32));
  InitializerSources sources;
  for (const auto& [name, t] : indexed) {
    if (t.data.empty()) continue;  // an integer constant (shapes, axes)
    const cpu::Tensor& unit = ones.at(name);
    if (unit.data == t.data) continue;  // a constant of the graph, not a parameter
    sources[name].shape = t.shape;
    std::vector<ElementSource>& elements = sources[name].elements;
    for (size_t e = 0; e < t.data.size(); ++e) {
      const float factor = unit.data[e];
      const double ratio = factor != 0.0f ? double(t.data[e]) / factor : 0.0;
      const double index = std::nearbyint(ratio);
      if (factor == 0.0f || std::abs(ratio - index) > 0.25 || index < kIndexBase || index >= total + kIndexBase)
        throw Error("the " + m.arch + " export's initializer '" + name + "' is not a copy of its parameters (element " +
                    std::to_string(e) + "); it cannot be read back from ONNX");
      elements.push_back({static_cast<int64_t>(index) - kIndexBase, factor});
    }
  }
  return sources;
}

Graph load_export(const Exportable& m, const std::string& path) {
  Graph g = load_onnx_graph(path);
  const auto arch = g.metadata.find("vsr.arch");
  if (arch != g.metadata.end() && arch->second != m.arch)
    throw Error("'" + path + "' is an export of " + arch->second + ", not of " + m.arch);
  return g;
}

// Parameters a partial read may leave as initialised (all, for another scale's trunk).
using MayBeLeft = std::function<bool(const std::string& parameter)>;

// Copies the file's values into the parameters that it holds whole and names the others.
// `strict`: any initializer missing or of another shape is an error naming it; otherwise a parameter
// the file does not hold is an error unless `may_be_left` accepts it.
ReadBack read_back(const Exportable& m, const std::string& path, bool strict,
                   const MayBeLeft& may_be_left = [](const std::string&) { return true; }) {
  int64_t total = 0;
  const std::vector<ParameterSpan> spans = parameter_spans(m.module, total);
  const InitializerSources sources = export_sources(m, spans, total);
  const Graph file = load_export(m, path);

  std::vector<float> values(static_cast<size_t>(total), 0.0f);
  std::vector<char> found(static_cast<size_t>(total), 0);
  for (const auto& [name, source] : sources) {
    const auto stored = file.constants.find(name);
    if (stored == file.constants.end() || stored->second.shape != source.shape || stored->second.data.empty()) {
      if (strict)
        throw Error("'" + path + "' is not an export of this " + m.description + ": initializer '" + name + "' is " +
                    (stored == file.constants.end() ? std::string("missing")
                                                    : "of shape " + cpu::shape_string(stored->second.shape)));
      continue;
    }
    const std::vector<ElementSource>& elements = source.elements;
    for (size_t e = 0; e < elements.size(); ++e) {
      values[static_cast<size_t>(elements[e].element)] = stored->second.data[e] / elements[e].factor;
      found[static_cast<size_t>(elements[e].element)] = 1;
    }
  }

  std::vector<char> in_export(static_cast<size_t>(total), 0);
  for (const auto& [name, source] : sources)
    for (const ElementSource& e : source.elements) in_export[static_cast<size_t>(e.element)] = 1;

  // Every parameter is checked before any is set: a refused file leaves the model as it was.
  ReadBack result;
  std::vector<const ParameterSpan*> whole;
  for (const auto& s : spans) {
    const auto offset = static_cast<std::ptrdiff_t>(s.offset), end = offset + s.tensor.numel();
    if (std::find(in_export.begin() + offset, in_export.begin() + end, 1) == in_export.begin() + end) {
      result.training_only.push_back(s.name);
    } else if (std::find(found.begin() + offset, found.begin() + end, 0) == found.begin() + end) {
      whole.push_back(&s);
    } else {
      if (strict || !may_be_left(s.name))
        throw Error("'" + path + "' does not hold parameter '" + s.name + "' of this " + m.description);
      result.left.push_back(s.name);
    }
  }
  if (whole.empty()) throw Error("'" + path + "' holds no parameter of this " + m.arch + "'s names and shapes");
  torch::NoGradGuard no_grad;
  const torch::Tensor all = torch::from_blob(values.data(), {total}, torch::kFloat32);
  for (const ParameterSpan* s : whole)
    s->tensor.copy_(all.slice(0, s->offset, s->offset + s->tensor.numel()).view_as(s->tensor));
  return result;
}

}  // namespace

bool is_onnx_export(const std::string& path) { return fs::path(path).extension() == ".onnx"; }

ReadBack load_from_export(SrModelImpl& m, const std::string& path) { return read_back(exportable(m), path, /*strict=*/true); }

ReadBack load_matching_from_export(SrModelImpl& m, const std::string& path) {
  return read_back(exportable(m), path, /*strict=*/false);
}

ReadBack load_matching_from_export(InterpNetImpl& m, const std::string& path) {
  return read_back(exportable(m), path, /*strict=*/false,
                   [](const std::string& parameter) { return parameter.rfind("s2_", 0) == 0; });
}

}  // namespace vsr::train
