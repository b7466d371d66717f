#include "sr_model.h"

#include "espcn.h"
#include "fsrcnn.h"
#include "preupsample.h"
#include "srvgg.h"
#include "vsr/error.h"

namespace vsr::train {

std::vector<std::string> architectures() { return {"espcn", "fsrcnn", "srvgg", "srcnn", "vdsr"}; }

SrModel make_model(const ModelSpec& spec) {
  const auto& f = spec.features;
  auto need = [&](size_t lo, size_t hi, const char* what) {
    if (!f.empty() && (f.size() < lo || f.size() > hi))
      throw Error("architecture '" + spec.arch + "' takes features " + what + ", got " + std::to_string(f.size()) + " values");
    for (int v : f)
      if (v < 1 || v > 1024) throw Error("architecture '" + spec.arch + "': feature " + std::to_string(v) + " is not 1 to 1024");
  };
  if (spec.arch == "espcn") {
    need(1, 16, "[width, width, ...] (one per hidden layer)");
    EspcnConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.features = f;
    return std::make_shared<EspcnImpl>(c);
  }
  if (spec.arch == "fsrcnn") {
    need(2, 3, "[d, s] or [d, s, m] (feature width, shrunk width, mapping layers)");
    FsrcnnConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.d = f[0], c.s = f[1];
    if (f.size() > 2) c.m = f[2];
    return std::make_shared<FsrcnnImpl>(c);
  }
  if (spec.arch == "srvgg") {
    need(2, 2, "[width, body convolutions]");
    SrvggConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.convs = f[1];
    return std::make_shared<SrvggImpl>(c);
  }
  if (spec.arch == "srcnn" || spec.arch == "vdsr") {
    need(2, 2, spec.arch == "srcnn" ? "[w1, w2]" : "[width, depth]");
    return std::make_shared<PreUpsampleImpl>(PreUpsampleConfig{spec.arch, spec.scale, f});
  }
  std::string known;
  for (const auto& a : architectures()) known += (known.empty() ? "" : ", ") + a;
  throw Error("unknown architecture '" + spec.arch + "' (known: " + known + ")");
}

std::string export_conv(OnnxWriter& w, const std::string& name, const std::string& input, const torch::nn::Conv2d& conv) {
  const int64_t k = conv->options.kernel_size()->at(0);
  w.add_initializer(name + ".weight", dims_of(conv->weight), to_floats(conv->weight));
  w.add_initializer(name + ".bias", dims_of(conv->bias), to_floats(conv->bias));
  w.add_node("Conv", name, {input, name + ".weight", name + ".bias"}, {name + "_out"},
             {OnnxAttribute::integers("kernel_shape", {k, k}), OnnxAttribute::integers("pads", {k / 2, k / 2, k / 2, k / 2})});
  return name + "_out";
}

std::string export_prelu(OnnxWriter& w, const std::string& name, const std::string& input, const torch::nn::PReLU& prelu) {
  w.add_initializer(name + ".slope", {prelu->weight.size(0), 1, 1}, to_floats(prelu->weight));
  w.add_node("PRelu", name, {input, name + ".slope"}, {name + "_out"});
  return name + "_out";
}

std::vector<float> to_floats(const torch::Tensor& t) {
  auto c = t.detach().to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

std::vector<int64_t> dims_of(const torch::Tensor& t) { return std::vector<int64_t>(t.sizes().begin(), t.sizes().end()); }

std::map<std::string, std::string> standard_metadata(const SrModelImpl& m, const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> meta = {
      {"vsr.scale", std::to_string(m.scale())},
      {"vsr.colour", m.colours() == 1 ? "y" : "rgb"},
      {"vsr.range", "0-1"},
      {"vsr.temporal", "none"},
      {"vsr.receptive_field", std::to_string(m.receptive_field())},
      {"vsr.arch", m.arch()},
  };
  for (const auto& [k, v] : extra) meta[k] = v;
  return meta;
}

}  // namespace vsr::train
