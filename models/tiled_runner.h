// Runs the plan tile by tile and stitches the cores into one output tensor.
#pragma once
#include <vector>

#include "network.h"
#include "tile_plan.h"

namespace vsr {

class TiledRunner {
 public:
  TiledRunner(Network& plan, int scale) : plan_(plan), scale_(scale) {}

  // `input` is [1, C, H, W]; with one tile covering the frame this is plan.run(input) with no copy.
  const cpu::Tensor& run(const cpu::Tensor& input, int tile, int overlap);

 private:
  Network& plan_;
  int scale_;
  cpu::Tensor tile_input_;  // reused between tiles and frames
  cpu::Tensor output_;
  std::vector<Tile> tiles_;
  int planned_w_ = -1, planned_h_ = -1, planned_tile_ = -1, planned_overlap_ = -1;
};

}  // namespace vsr
