// Structure-aware mutation of ONNX models for the loader fuzzer. Byte flips mostly land in weights
// or break the protobuf framing; this edits the message itself (attributes, dimensions, data types,
// wiring, op types, metadata) with values chosen to hit bounds (0, -1, 2^31, 2^40, INT64_MIN, NaN,
// ...), so the checks behind the parser get exercised.
#pragma once
#include <cstdint>
#include <random>
#include <string>

namespace vsr::fuzz {

// One to three random edits of the serialized model `bytes`; false (and `out` untouched) when the
// bytes do not parse as a ModelProto.
bool mutate_model(const std::string& bytes, std::mt19937& rng, std::string& out);

}  // namespace vsr::fuzz
