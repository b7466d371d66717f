#include "tiled_runner.h"

#include <algorithm>

#include "vsr/error.h"

namespace vsr {

const cpu::Tensor& TiledRunner::run(const cpu::Tensor& input, int tile, int overlap) {
  const int C = static_cast<int>(input.shape[1]), H = static_cast<int>(input.shape[2]), W = static_cast<int>(input.shape[3]);
  if (W != planned_w_ || H != planned_h_ || tile != planned_tile_ || overlap != planned_overlap_) {
    tiles_ = plan_tiles(W, H, tile, overlap);
    planned_w_ = W;
    planned_h_ = H;
    planned_tile_ = tile;
    planned_overlap_ = overlap;
  }
  if (tiles_.size() == 1) return plan_.run(input);

  const int s = scale_;
  bool first = true;
  for (const Tile& t : tiles_) {
    tile_input_.resize({1, C, t.in_h, t.in_w});
    for (int c = 0; c < C; ++c)
      for (int y = 0; y < t.in_h; ++y) {
        const float* src = &input.data[(static_cast<size_t>(c) * H + t.in_y + y) * W + t.in_x];
        std::copy(src, src + t.in_w, &tile_input_.data[(static_cast<size_t>(c) * t.in_h + y) * t.in_w]);
      }
    const cpu::Tensor& out = plan_.run(tile_input_);
    if (out.shape.size() != 4 || out.shape[2] != int64_t(t.in_h) * s || out.shape[3] != int64_t(t.in_w) * s)
      throw Error("tile " + std::to_string(t.in_w) + "x" + std::to_string(t.in_h) + " gave output " +
                  cpu::shape_string(out.shape) + ", not x" + std::to_string(s));
    const int OC = static_cast<int>(out.shape[1]), OW = W * s, OH = H * s, TW = t.in_w * s;
    if (first) {
      output_.resize({1, OC, OH, OW});
      first = false;
    }
    const int dx = (t.core_x - t.in_x) * s, dy = (t.core_y - t.in_y) * s;
    for (int c = 0; c < OC; ++c)
      for (int y = 0; y < t.core_h * s; ++y) {
        const float* src = &out.data[(static_cast<size_t>(c) * t.in_h * s + dy + y) * TW + dx];
        std::copy(src, src + t.core_w * s,
                  &output_.data[(static_cast<size_t>(c) * OH + t.core_y * s + y) * OW + t.core_x * s]);
      }
  }
  return output_;
}

}  // namespace vsr
