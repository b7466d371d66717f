// Splitting a frame into overlapping tiles so large frames run in bounded memory. Each tile's core
// (the part it is responsible for) is grown by `overlap` input pixels on every side that is not an image
// edge; with overlap >= the model's receptive field the stitched output equals the untiled run.
#pragma once
#include <vector>

namespace vsr {

struct Tile {
  // Input region the network runs on (core plus overlap, clipped to the image).
  int in_x = 0, in_y = 0, in_w = 0, in_h = 0;
  // Core region, in input pixels; the output keeps exactly this region, scaled.
  int core_x = 0, core_y = 0, core_w = 0, core_h = 0;
};

// Cores partition the image (every pixel in exactly one core); tiles are at most `tile` core pixels
// on a side. tile <= 0 or tile >= the frame gives one tile.
std::vector<Tile> plan_tiles(int width, int height, int tile, int overlap);

// The core side that keeps one tile's working memory under `budget_bytes`, given the bytes the
// network needs per input pixel. Never below 2*overlap+16, so tiles still make progress.
int tile_side_for_budget(double bytes_per_input_pixel, double budget_bytes, int overlap);

}  // namespace vsr
