// vsr-eval's outputs beyond the terminal table: JSON (for machines), Markdown (for docs), and an HTML
// report with side-by-side crops (LR upscaled by bicubic / each method / HR) that opens in a browser.
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
// Writes `dir`/index.html and one PNG per crop; returns the HTML path.
std::string write_html(const Report& r, const std::vector<CropSet>& crops, const std::string& dir);

}  // namespace vsr
