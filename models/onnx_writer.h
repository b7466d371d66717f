// Builds an ONNX model (opset 13 unless set_opset says otherwise) node by node and writes it with Debian's libonnx. Used by the trainer
// (each architecture exports itself) and by tests that need hand-made models.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vsr {

struct OnnxAttribute {
  std::string name;
  std::vector<int64_t> ints;  // INTS, or INT when `single`
  std::string text;           // STRING when non-empty
  float value = 0.0f;         // FLOAT when `is_float`
  bool single = false;
  bool is_float = false;

  static OnnxAttribute integer(std::string n, int64_t v) { return {std::move(n), {v}, {}, 0.0f, true, false}; }
  static OnnxAttribute integers(std::string n, std::vector<int64_t> v) { return {std::move(n), std::move(v), {}, 0.0f, false, false}; }
  static OnnxAttribute string(std::string n, std::string v) { return {std::move(n), {}, std::move(v), 0.0f, false, false}; }
  static OnnxAttribute real(std::string n, float v) { return {std::move(n), {}, {}, v, false, true}; }
};

class OnnxWriter {
 public:
  explicit OnnxWriter(const std::string& graph_name);
  ~OnnxWriter();
  OnnxWriter(const OnnxWriter&) = delete;
  OnnxWriter& operator=(const OnnxWriter&) = delete;
  OnnxWriter(OnnxWriter&&) noexcept;
  OnnxWriter& operator=(OnnxWriter&&) noexcept;

  // A float NCHW input or output; empty-string dims are symbolic (dim_param), others fixed.
  void add_input(const std::string& name, const std::vector<std::string>& dims);
  void add_output(const std::string& name, const std::vector<std::string>& dims);
  void add_initializer(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& values);
  // An int64 constant (indices, axes, shapes for Shape/Gather/Slice/Reshape arithmetic).
  void add_int_initializer(const std::string& name, const std::vector<int64_t>& dims, const std::vector<int64_t>& values);
  // The default opset is 13; GridSample needs 16.
  void set_opset(int version);
  void add_node(const std::string& op_type, const std::string& node_name, const std::vector<std::string>& inputs,
                const std::vector<std::string>& outputs, const std::vector<OnnxAttribute>& attributes = {});
  void set_metadata(const std::map<std::string, std::string>& metadata);

  // Validates with onnx::checker and writes the file; throws vsr::Error naming the path on failure.
  void save(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr
