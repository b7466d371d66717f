// Weights read back from an ONNX file that vsr-train exported (a model of models/zoo, or any run's
// export): fine-tuning a shipped model, starting another scale from it, or teaching with it, when the
// run folder that made it (its .pt checkpoints) is gone -- the ONNX file is what users have.
//
// No per-architecture inverse of export_onnx is written: the map from parameters to initializers is
// found by exporting the model itself twice, once with every parameter element set to its own index
// (+2) and once with every element 1. An initializer element then reads index * s in the first export
// and s in the second, where s is the factor the export folded in (EDSR's residual scaling); whatever
// the export does to the layout (transposes, flips, shared weights) the ratio names the element. An
// initializer equal in both exports holds no parameter (a constant of the graph).
#pragma once
#include <string>
#include <vector>

#include "interp_net.h"
#include "sr_model.h"

namespace vsr::train {

// True when `path` names an ONNX file (by its extension): the readers below, not load_module.
bool is_onnx_export(const std::string& path);

// What a read-back left as initialised.
struct ReadBack {
  // Parameters that no export holds: the parts a network has only for training (DRN's dual
  // down-scaler, SPSR's gradient branch output).
  std::vector<std::string> training_only;
  // Parameters the export holds that this file does not, or at another shape (partial reads only).
  std::vector<std::string> left;
};

// Sets every exported parameter of `m` from the export at `path`. Throws vsr::Error naming the file
// and the initializer or parameter when the file is not an export of this architecture at these
// features and scale; a refused file leaves `m` as it was.
ReadBack load_from_export(SrModelImpl& m, const std::string& path);

// Sets the parameters of `m` whose initializers `path` holds at the same shape, and leaves the others
// as initialised (another scale's export: EDSR x4 from the x2 model's trunk). Throws vsr::Error when
// none could be set.
ReadBack load_matching_from_export(SrModelImpl& m, const std::string& path);
// The interpolation network from an export of the same first stage: a trained single-stage export
// read into a network with a second flow stage (which starts at zero correction), or another run's
// export of the same features. Throws vsr::Error naming a first-stage parameter the file does not hold.
ReadBack load_matching_from_export(InterpNetImpl& m, const std::string& path);

}  // namespace vsr::train
