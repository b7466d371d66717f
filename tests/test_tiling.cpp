// Tiling: cores partition the frame, and with overlap >= the receptive field the stitched output
// equals the untiled run; with too little overlap it does not (so the equality test can fail).
#include <gtest/gtest.h>

#include <random>

#include "models/tile_plan.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace {

vsr::PlanarImage random_image(int w, int h, unsigned seed) {
  vsr::PlanarImage img;
  img.channels = 3;
  img.width = w;
  img.height = h;
  img.values.resize(static_cast<size_t>(3) * w * h);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  for (float& v : img.values) v = dist(rng);
  return img;
}

float max_abs_diff(const vsr::PlanarImage& a, const vsr::PlanarImage& b) {
  EXPECT_EQ(a.values.size(), b.values.size());
  float m = 0.0f;
  for (size_t i = 0; i < std::min(a.values.size(), b.values.size()); ++i) m = std::max(m, std::fabs(a.values[i] - b.values[i]));
  return m;
}

std::unique_ptr<vsr::Engine> engine_with_tiles(int tile, int overlap) {
  vsr::EngineOptions o;
  o.tile_size = tile;
  o.tile_overlap = overlap;
  return vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel), o);
}

TEST(TilePlan, CoresPartitionTheFrameExactlyOnce) {
  for (auto [w, h, tile, overlap] : std::vector<std::array<int, 4>>{
           {37, 23, 8, 4}, {1, 40, 16, 4}, {40, 1, 7, 2}, {5, 5, 64, 4}, {100, 60, 33, 0}, {64, 64, 16, 16}}) {
    std::vector<int> covered(static_cast<size_t>(w) * h, 0);
    for (const auto& t : vsr::plan_tiles(w, h, tile, overlap)) {
      EXPECT_LE(t.core_w, tile);
      EXPECT_LE(t.core_h, tile);
      EXPECT_GE(t.core_x - t.in_x, 0);
      EXPECT_LE(t.core_x - t.in_x, overlap);
      EXPECT_LE(t.in_x + t.in_w, w);
      EXPECT_LE(t.in_y + t.in_h, h);
      // Interior tile sides carry the full overlap.
      if (t.core_x > 0) {
        EXPECT_EQ(t.core_x - t.in_x, std::min(overlap, t.core_x));
      }
      for (int y = t.core_y; y < t.core_y + t.core_h; ++y)
        for (int x = t.core_x; x < t.core_x + t.core_w; ++x) ++covered[y * w + x];
    }
    for (int c : covered) ASSERT_EQ(c, 1) << w << "x" << h << " tile " << tile;
  }
}

TEST(TilePlan, BudgetShrinksTilesButKeepsProgress) {
  const int big = vsr::tile_side_for_budget(1000.0, 1e9, 4);
  const int small = vsr::tile_side_for_budget(1000.0, 1e6, 4);
  EXPECT_GT(big, small);
  EXPECT_GE(vsr::tile_side_for_budget(1e9, 1.0, 4), 2 * 4 + 16);
}

TEST(Tiling, OverlapAtTheReceptiveFieldMatchesTheUntiledRun) {
  auto whole = engine_with_tiles(-1, 0);
  const int rf = whole->info().receptive_field;
  for (auto [w, h] : std::vector<std::pair<int, int>>{{37, 23}, {1, 29}, {29, 1}, {6, 5}, {64, 48}}) {
    const auto in = random_image(w, h, static_cast<unsigned>(w * 100 + h));
    const auto expected = whole->run(in);
    for (int tile : {7, 16, 100}) {
      auto tiled = engine_with_tiles(tile, rf);
      EXPECT_LE(max_abs_diff(tiled->run(in), expected), 1e-5f) << w << "x" << h << " tile " << tile;
    }
  }
}

TEST(Tiling, TooLittleOverlapShowsSeams) {
  const auto in = random_image(40, 40, 3);
  const auto expected = engine_with_tiles(-1, 0)->run(in);
  EXPECT_GT(max_abs_diff(engine_with_tiles(10, 0)->run(in), expected), 1e-3f);
}

TEST(Tiling, DefaultOverlapIsTheReceptiveFieldAndFramesUseTiles) {
  auto whole = engine_with_tiles(-1, 0);
  vsr::EngineOptions o;
  o.tile_size = 12;  // overlap left at its default
  auto tiled = vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel), o);
  EXPECT_EQ(tiled->tile_overlap(), whole->info().receptive_field);
  // The frame path (colour conversion + tiles) gives the same bytes as the untiled frame path.
  const int w = 30, h = 21;
  std::vector<uint8_t> in(w * h * 3), a(w * h * 12), b(w * h * 12);
  std::mt19937 rng(5);
  for (auto& v : in) v = static_cast<uint8_t>(rng());
  vsr::Frame fi, fa, fb;
  fi.width = w;
  fi.height = h;
  fi.planes[0] = {in.data(), w * 3};
  fa = fi;
  fa.width = 2 * w;
  fa.height = 2 * h;
  fa.planes[0] = {a.data(), 2 * w * 3};
  fb = fa;
  fb.planes[0] = {b.data(), 2 * w * 3};
  whole->process(fi, fa);
  tiled->process(fi, fb);
  size_t off_by_more_than_one = 0;
  for (size_t i = 0; i < a.size(); ++i) off_by_more_than_one += std::abs(int(a[i]) - int(b[i])) > 1;
  EXPECT_EQ(off_by_more_than_one, 0u);
}

TEST(Tiling, MemoryBudgetChoosesATileSize) {
  vsr::EngineOptions o;
  o.memory_budget_mb = 1;  // forces tiles on a 256x256 frame
  auto engine = vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel), o);
  EXPECT_GT(engine->tile_size(), 0);
  EXPECT_LT(engine->tile_size(), 256);
  const auto in = random_image(256, 256, 9);
  EXPECT_LE(max_abs_diff(engine->run(in), engine_with_tiles(-1, 0)->run(in)), 1e-5f);
}

}  // namespace
