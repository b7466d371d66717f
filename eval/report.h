// vsr-eval's outputs beyond the terminal table: JSON (for machines), Markdown (for docs), and an HTML
// report with side-by-side crops (LR upscaled by bicubic / each method / HR) that opens in a browser,
// optionally followed by crops of real footage (frames upscaled as they are, with no HR to score).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "image.h"
#include "protocol.h"

namespace vsr {

struct Report {
  std::string dataset;  // folder name, e.g. "Set5"
  int scale = 2;
  std::vector<MethodScores> methods;
};

void write_json(const Report& r, const std::string& path);
void write_markdown(const Report& r, const std::string& path);

// Crops of one image for the HTML report: the same HR window from every method (and the HR).
struct CropSet {
  std::string image;
  std::map<std::string, Image8> by_method;  // method name ("HR" included) -> crop
};
// Cuts a centred window of at most `side` x `side` pixels (the crop shown in the report).
Image8 centre_crop(const Image8& image, int side);

// A rectangle of an image, in its pixels.
struct CropWindow {
  int x = 0, y = 0, width = 0, height = 0;
};
// Cuts `window` (which must lie inside the image).
Image8 crop(const Image8& image, const CropWindow& window);
// Where a crop shows the most: of the `side` x `side` windows whose corners lie on a grid of `step`
// pixels (plus the last row and column that fit), the one with the highest edge energy (sum of
// absolute horizontal and vertical differences, all channels); the first in raster order on ties.
// `side` is clamped to the image. Corners are multiples of `step` or at the far edges, so a caller that
// passes multiples of the scale for `step`, `side` and the image size gets corners on the LR grid.
CropWindow busiest_window(const Image8& image, int side, int step);
// Every pixel repeated `factor` x `factor` times: shows an input crop at the outputs' size without
// smoothing away its compression artefacts.
Image8 upscale_nearest(const Image8& image, int factor);

// Crops of one real frame (no ground truth): the same output window from every method, and the input's
// window enlarged by nearest neighbour (kRealInputCrop).
struct RealFrameCrops {
  std::string frame;        // "<folder>/<file>", unique across several --real folders
  int width = 0, height = 0;  // of the input frame
  CropWindow window;        // in output pixels
  std::map<std::string, Image8> by_method;  // method name or kRealInputCrop -> crop
};
inline const std::string kRealInputCrop = "input (nearest)";
struct RealFootage {
  int scale = 2;
  std::vector<std::string> methods;  // the run's methods, in the order the report shows them
  std::vector<RealFrameCrops> frames;
};

// Writes `dir`/index.html and one PNG per crop; returns the HTML path.
std::string write_html(const Report& r, const std::vector<CropSet>& crops, const std::string& dir);
// The same with a "Real footage (no ground truth)" section after the scored one. The scored section is
// left out when `r` has no methods and `real` has frames (a run on real footage only).
std::string write_html(const Report& r, const std::vector<CropSet>& crops, const RealFootage& real,
                       const std::string& dir);

}  // namespace vsr
