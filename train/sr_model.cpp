#include "sr_model.h"

#include <sstream>

#include "carn.h"
#include "cdc.h"
#include "drn.h"
#include "edsr.h"
#include "espcn.h"
#include "fsrcnn.h"
#include "irn.h"
#include "preupsample.h"
#include "rcan.h"
#include "rdn.h"
#include "rrdb.h"
#include "spsr.h"
#include "srresnet.h"
#include "srvgg.h"
#include "vsr/error.h"

namespace vsr::train {

std::vector<std::string> architectures() {
  return {"espcn", "fsrcnn", "srvgg", "srcnn", "vdsr", "edsr", "rcan", "carn", "srresnet", "rrdb", "rdn", "drn", "spsr", "cdc", "irn"};
}

ModelSpec parse_model_spec(const std::string& text, int scale) {
  ModelSpec spec;
  spec.scale = scale;
  const auto colon = text.find(':');
  spec.arch = text.substr(0, colon);
  if (colon != std::string::npos) {
    std::stringstream list(text.substr(colon + 1));
    for (std::string item; std::getline(list, item, ',');) {
      try {
        size_t used = 0;
        spec.features.push_back(std::stoi(item, &used));
        if (used != item.size()) throw std::invalid_argument(item);
      } catch (const std::logic_error&) {
        throw Error("architecture '" + text + "': feature '" + item + "' is not a number");
      }
    }
  }
  return spec;
}

SrModel make_model(const ModelSpec& spec) {
  const auto& f = spec.features;
  // min_value 0 lets a feature be a switch (carn's mobile flag).
  auto need = [&](size_t lo, size_t hi, const char* what, int min_value = 1) {
    if (!f.empty() && (f.size() < lo || f.size() > hi))
      throw Error("architecture '" + spec.arch + "' takes features " + what + ", got " + std::to_string(f.size()) + " values");
    for (int v : f)
      if (v < min_value || v > 1024)
        throw Error("architecture '" + spec.arch + "': feature " + std::to_string(v) + " is not " +
                    std::to_string(min_value) + " to 1024");
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
  if (spec.arch == "edsr") {
    need(2, 3, "[width, residual blocks] or [width, residual blocks, 1] (1: residual scaling 0.1)");
    EdsrConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.blocks = f[1];
    if (f.size() > 2) {
      if (f[2] != 1) throw Error("architecture 'edsr': the third feature turns on residual scaling 0.1 and must be 1");
      c.residual_scale = 0.1f;
    }
    return std::make_shared<EdsrImpl>(c);
  }
  if (spec.arch == "rcan") {
    need(4, 4, "[width, residual groups, blocks per group, channel-attention reduction]");
    RcanConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.groups = f[1], c.blocks = f[2], c.reduction = f[3];
    return std::make_shared<RcanImpl>(c);
  }
  if (spec.arch == "carn") {
    need(2, 2, "[width, mobile] (mobile 0: CARN, 1: CARN-M)", 0);
    CarnConfig c;
    c.scale = spec.scale;
    if (!f.empty()) {
      if (f[0] < 1 || f[1] > 1) throw Error("architecture 'carn': features are [width >= 1, mobile 0 (CARN) or 1 (CARN-M)]");
      c.width = f[0], c.mobile = f[1] == 1;
    }
    return std::make_shared<CarnImpl>(c);
  }
  if (spec.arch == "srresnet") {
    need(2, 2, "[width, residual blocks]");
    SrresnetConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.blocks = f[1];
    return std::make_shared<SrresnetImpl>(c);
  }
  if (spec.arch == "rrdb") {
    need(3, 3, "[width, RRDB blocks, growth channels]");
    RrdbConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.blocks = f[1], c.growth = f[2];
    return std::make_shared<RrdbImpl>(c);
  }
  if (spec.arch == "rdn") {
    need(4, 4, "[width, residual dense blocks, layers per block, growth]");
    RdnConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.blocks = f[1], c.layers = f[2], c.growth = f[3];
    return std::make_shared<RdnImpl>(c);
  }
  if (spec.arch == "drn") {
    need(2, 2, "[width, channel-attention blocks per level]");
    DrnConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.blocks = f[1];
    return std::make_shared<DrnImpl>(c);
  }
  if (spec.arch == "spsr") {
    need(2, 2, "[width, residual blocks]");
    SpsrConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.blocks = f[1];
    return std::make_shared<SpsrImpl>(c);
  }
  if (spec.arch == "cdc") {
    need(2, 2, "[width, residual blocks]");
    CdcConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.blocks = f[1];
    return std::make_shared<CdcImpl>(c);
  }
  if (spec.arch == "irn") {
    need(2, 2, "[width, coupling blocks per x2 stage]");
    IrnConfig c;
    c.scale = spec.scale;
    if (!f.empty()) c.width = f[0], c.blocks = f[1];
    return std::make_shared<IrnImpl>(c);
  }
  std::string known;
  for (const auto& a : architectures()) known += (known.empty() ? "" : ", ") + a;
  throw Error("unknown architecture '" + spec.arch + "' (known: " + known + ")");
}

std::string export_conv(OnnxWriter& w, const std::string& name, const std::string& input, const torch::nn::Conv2d& conv,
                        float output_scale) {
  w.add_initializer(name + ".weight", dims_of(conv->weight), to_floats(conv->weight * output_scale));
  w.add_initializer(name + ".bias", dims_of(conv->bias), to_floats(conv->bias * output_scale));
  return export_conv_reusing(w, name, name, input, conv);
}

std::string export_conv_reusing(OnnxWriter& w, const std::string& name, const std::string& weights_name,
                                const std::string& input, const torch::nn::Conv2d& conv) {
  const int64_t k = conv->options.kernel_size()->at(0), groups = conv->options.groups(), stride = conv->options.stride()->at(0);
  std::vector<OnnxAttribute> attributes = {OnnxAttribute::integers("kernel_shape", {k, k}),
                                           OnnxAttribute::integers("pads", {k / 2, k / 2, k / 2, k / 2})};
  if (stride != 1) attributes.push_back(OnnxAttribute::integers("strides", {stride, stride}));
  if (groups != 1) attributes.push_back(OnnxAttribute::integer("group", groups));
  w.add_node("Conv", name, {input, weights_name + ".weight", weights_name + ".bias"}, {name + "_out"}, attributes);
  return name + "_out";
}

std::string export_node(OnnxWriter& w, const std::string& op_type, const std::string& name,
                        const std::vector<std::string>& inputs, const std::vector<OnnxAttribute>& attributes) {
  w.add_node(op_type, name, inputs, {name + "_out"}, attributes);
  return name + "_out";
}

std::string export_concat(OnnxWriter& w, const std::string& name, const std::vector<std::string>& inputs) {
  return export_node(w, "Concat", name, inputs, {OnnxAttribute::integer("axis", 1)});
}

void export_shuffle_plus_nearest(OnnxWriter& w, const std::string& residual, const std::string& image, int s,
                                 const std::string& output) {
  w.add_node("DepthToSpace", "shuffle", {residual}, {"residual"},
             {OnnxAttribute::integer("blocksize", s), OnnxAttribute::string("mode", "CRD")});
  w.add_initializer("skip_scales", {4}, {1.0f, 1.0f, float(s), float(s)});
  w.add_node("Resize", "skip", {image, "", "skip_scales"}, {"base"},
             {OnnxAttribute::string("mode", "nearest"), OnnxAttribute::string("coordinate_transformation_mode", "asymmetric"),
              OnnxAttribute::string("nearest_mode", "floor")});
  w.add_node("Add", "add_skip", {"residual", "base"}, {output});
}

torch::Tensor bicubic_upsample(const torch::Tensor& image, int scale) {
  namespace F = torch::nn::functional;
  const double s = scale;
  return F::interpolate(image, F::InterpolateFuncOptions().scale_factor(std::vector<double>{s, s}).mode(torch::kBicubic).align_corners(false));
}

std::string export_bicubic_upsample(OnnxWriter& w, const std::string& name, const std::string& input, int s) {
  w.add_initializer(name + ".scales", {4}, {1.0f, 1.0f, float(s), float(s)});
  return export_node(w, "Resize", name, {input, "", name + ".scales"},
                     {OnnxAttribute::string("mode", "cubic"), OnnxAttribute::real("cubic_coeff_a", -0.75f),
                      OnnxAttribute::string("coordinate_transformation_mode", "pytorch_half_pixel")});
}

std::string export_prelu(OnnxWriter& w, const std::string& name, const std::string& input, const torch::nn::PReLU& prelu) {
  w.add_initializer(name + ".slope", {prelu->weight.size(0), 1, 1}, to_floats(prelu->weight));
  w.add_node("PRelu", name, {input, name + ".slope"}, {name + "_out"});
  return name + "_out";
}

std::vector<float> to_floats(const torch::Tensor& t) {
  auto c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();  // the weights may be on a GPU
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
