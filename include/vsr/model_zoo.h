// Finds a model by path or by shipped name ("espcn_x2" -> .../models/zoo/espcn_x2.onnx).
#pragma once
#include <string>
#include <vector>

namespace vsr {

// The model used when none is named: the best fast x2 model of the zoo (models/zoo/README.md).
inline constexpr const char* kDefaultModel = "srvgg_x2";
// The interpolation model vsrinterpolate and vsr-transcode --fps use when none is named ("blend":
// the linear mix, until a trained model ships).
inline constexpr const char* kDefaultInterpolationModel = "blend";

// Folders searched for shipped names, in order: $VSR_MODEL_PATH (colon-separated), the installed
// share/vsr/models, the source tree's models/zoo.
std::vector<std::string> model_search_path();

// A path that exists is returned as is; otherwise NAME or NAME.onnx is looked up in the search path.
// Throws vsr::Error listing where it looked.
std::string resolve_model(const std::string& name_or_path);

}  // namespace vsr
