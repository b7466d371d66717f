#include "onnx_writer.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <fstream>

#include "vsr/error.h"

namespace vsr {

struct OnnxWriter::Impl {
  onnx::ModelProto model;
};

namespace {

void fill_value_info(onnx::ValueInfoProto* info, const std::string& name, const std::vector<std::string>& dims) {
  info->set_name(name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto* shape = tensor->mutable_shape();
  for (const auto& d : dims) {
    auto* dim = shape->add_dim();
    if (!d.empty() && std::all_of(d.begin(), d.end(), ::isdigit))
      dim->set_dim_value(std::stoll(d));
    else
      dim->set_dim_param(d);
  }
}

}  // namespace

OnnxWriter::OnnxWriter(const std::string& graph_name) : impl_(std::make_unique<Impl>()) {
  auto& m = impl_->model;
  m.set_ir_version(8);
  m.set_producer_name("vsr-train");
  m.set_producer_version("1");
  auto* opset = m.add_opset_import();
  opset->set_domain("");
  opset->set_version(13);
  m.mutable_graph()->set_name(graph_name);
}

OnnxWriter::~OnnxWriter() = default;
OnnxWriter::OnnxWriter(OnnxWriter&&) noexcept = default;
OnnxWriter& OnnxWriter::operator=(OnnxWriter&&) noexcept = default;

void OnnxWriter::add_input(const std::string& name, const std::vector<std::string>& dims) {
  fill_value_info(impl_->model.mutable_graph()->add_input(), name, dims);
}

void OnnxWriter::add_output(const std::string& name, const std::vector<std::string>& dims) {
  fill_value_info(impl_->model.mutable_graph()->add_output(), name, dims);
}

void OnnxWriter::add_int_initializer(const std::string& name, const std::vector<int64_t>& dims,
                                     const std::vector<int64_t>& values) {
  auto* t = impl_->model.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) t->add_dims(d);
  for (int64_t v : values) t->add_int64_data(v);
}

void OnnxWriter::set_opset(int version) { impl_->model.mutable_opset_import(0)->set_version(version); }

void OnnxWriter::add_initializer(const std::string& name, const std::vector<int64_t>& dims,
                                 const std::vector<float>& values) {
  auto* t = impl_->model.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
}

void OnnxWriter::add_node(const std::string& op_type, const std::string& node_name,
                          const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                          const std::vector<OnnxAttribute>& attributes) {
  auto* n = impl_->model.mutable_graph()->add_node();
  n->set_op_type(op_type);
  n->set_name(node_name);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  for (const auto& a : attributes) {
    auto* p = n->add_attribute();
    p->set_name(a.name);
    if (!a.text.empty()) {
      p->set_type(onnx::AttributeProto::STRING);
      p->set_s(a.text);
    } else if (a.is_float) {
      p->set_type(onnx::AttributeProto::FLOAT);
      p->set_f(a.value);
    } else if (a.single) {
      p->set_type(onnx::AttributeProto::INT);
      p->set_i(a.ints.at(0));
    } else {
      p->set_type(onnx::AttributeProto::INTS);
      for (int64_t v : a.ints) p->add_ints(v);
    }
  }
}

void OnnxWriter::set_metadata(const std::map<std::string, std::string>& metadata) {
  auto* props = impl_->model.mutable_metadata_props();
  props->Clear();
  for (const auto& [k, v] : metadata) {
    auto* p = props->Add();
    p->set_key(k);
    p->set_value(v);
  }
}

void OnnxWriter::save(const std::string& path) const {
  try {
    onnx::checker::check_model(impl_->model);
  } catch (const std::exception& e) {
    throw Error("exported ONNX graph for '" + path + "' is invalid: " + e.what());
  }
  // Write to a temporary name first so an interrupted export never leaves a truncated model behind.
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !impl_->model.SerializeToOstream(&out) || !out.flush())
      throw Error("cannot write ONNX model '" + path + "'");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw Error("cannot move '" + tmp + "' to '" + path + "'");
}

}  // namespace vsr
