#include "curves.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "eval/image.h"

namespace vsr::train {
namespace {

struct Series {
  std::vector<double> x, y;
  double lo = INFINITY, hi = -INFINITY;
  void add(double xv, double yv) {
    if (!std::isfinite(yv)) return;
    x.push_back(xv);
    y.push_back(yv);
    lo = std::min(lo, yv);
    hi = std::max(hi, yv);
  }
};

void set_pixel(Image8& img, int x, int y, uint8_t r, uint8_t g, uint8_t b) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  uint8_t* p = img.row(y) + 3 * x;
  p[0] = r, p[1] = g, p[2] = b;
}

// Bresenham, two pixels thick.
void line(Image8& img, int x0, int y0, int x1, int y1, uint8_t r, uint8_t g, uint8_t b) {
  const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
  for (int err = dx + dy;;) {
    set_pixel(img, x0, y0, r, g, b);
    set_pixel(img, x0, y0 + 1, r, g, b);
    if (x0 == x1 && y0 == y1) break;
    const int e2 = 2 * err;
    if (e2 >= dy) err += dy, x0 += sx;
    if (e2 <= dx) err += dx, y0 += sy;
  }
}

// One panel: a frame and the series scaled into it.
void panel(Image8& img, int top, int height, const Series& s, double x_max, uint8_t r, uint8_t g, uint8_t b) {
  const int left = 40, right = img.width - 20, bottom = top + height;
  line(img, left, top, left, bottom, 0, 0, 0);
  line(img, left, bottom, right, bottom, 0, 0, 0);
  if (s.x.size() < 2) return;
  const double span = s.hi > s.lo ? s.hi - s.lo : 1.0;
  auto px = [&](double x) { return left + static_cast<int>((right - left) * x / std::max(x_max, 1.0)); };
  auto py = [&](double y) { return bottom - static_cast<int>((height - 10) * (y - s.lo) / span) - 5; };
  for (size_t i = 1; i < s.x.size(); ++i) line(img, px(s.x[i - 1]), py(s.y[i - 1]), px(s.x[i]), py(s.y[i]), r, g, b);
}

}  // namespace

std::string draw_curves(const std::string& csv, const std::string& png) {
  std::ifstream in(csv);
  std::string row;
  std::getline(in, row);  // header
  Series loss, psnr;
  double x_max = 0.0;
  while (std::getline(in, row)) {
    std::stringstream fields(row);
    std::string it, l, lr, p;
    std::getline(fields, it, ',');
    std::getline(fields, l, ',');
    std::getline(fields, lr, ',');
    std::getline(fields, p, ',');
    try {
      const double x = std::stod(it);
      x_max = std::max(x_max, x);
      loss.add(x, std::stod(l));
      psnr.add(x, std::stod(p));
    } catch (const std::exception&) {
      continue;  // "nan" columns (no loss on a resumed export, no validation folder)
    }
  }
  if (loss.x.empty() && psnr.x.empty()) return "";
  Image8 img;
  img.width = 640;
  img.height = 400;
  img.pixels.assign(static_cast<size_t>(img.width) * img.height * 3, 255);
  panel(img, 10, 180, loss, x_max, 200, 40, 40);    // loss, red
  panel(img, 210, 180, psnr, x_max, 30, 90, 200);   // validation PSNR, blue
  write_png(png, img);
  std::ostringstream summary;
  summary.precision(4);
  if (!loss.x.empty()) summary << "loss " << loss.y.front() << ".." << loss.y.back();
  if (!psnr.x.empty()) summary << (loss.x.empty() ? "" : ", ") << "val_psnr " << psnr.y.front() << ".." << psnr.y.back() << " dB";
  summary << " over 0.." << x_max;
  return summary.str();
}

}  // namespace vsr::train
