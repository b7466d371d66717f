#include "tile_plan.h"

#include <algorithm>
#include <cmath>

namespace vsr {

std::vector<Tile> plan_tiles(int width, int height, int tile, int overlap) {
  std::vector<Tile> tiles;
  if (width <= 0 || height <= 0) return tiles;
  const int tw = tile > 0 ? std::min(tile, width) : width;
  const int th = tile > 0 ? std::min(tile, height) : height;
  // Even split: n tiles per axis of nearly equal size, so no sliver tile at the right/bottom edge.
  const int nx = (width + tw - 1) / tw, ny = (height + th - 1) / th;
  for (int j = 0; j < ny; ++j) {
    const int y0 = static_cast<int>(int64_t(j) * height / ny), y1 = static_cast<int>(int64_t(j + 1) * height / ny);
    for (int i = 0; i < nx; ++i) {
      const int x0 = static_cast<int>(int64_t(i) * width / nx), x1 = static_cast<int>(int64_t(i + 1) * width / nx);
      Tile t;
      t.core_x = x0;
      t.core_y = y0;
      t.core_w = x1 - x0;
      t.core_h = y1 - y0;
      t.in_x = std::max(0, x0 - overlap);
      t.in_y = std::max(0, y0 - overlap);
      t.in_w = std::min(width, x1 + overlap) - t.in_x;
      t.in_h = std::min(height, y1 + overlap) - t.in_y;
      tiles.push_back(t);
    }
  }
  return tiles;
}

int tile_side_for_budget(double bytes_per_input_pixel, double budget_bytes, int overlap) {
  const double side_with_overlap = std::sqrt(std::max(budget_bytes, 1.0) / std::max(bytes_per_input_pixel, 1.0));
  const int core = static_cast<int>(side_with_overlap) - 2 * overlap;
  return std::max(core, 2 * overlap + 16);
}

}  // namespace vsr
