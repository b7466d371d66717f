#include "report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "vsr/error.h"

namespace vsr {
namespace fs = std::filesystem;
namespace {

std::ofstream open_for_writing(const std::string& path) {
  std::ofstream out(path);
  if (!out) throw Error("cannot write '" + path + "'");
  return out;
}

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

// Safe in HTML text and attribute values.
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A file-name-safe form of a method name.
std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// Summed-area table (width+1 x height+1) of each pixel's edge energy: the absolute differences to its
// right and lower neighbours, summed over the channels. Any window's energy is then four lookups.
std::vector<uint64_t> edge_energy_integral(const Image8& image) {
  const int w = image.width, h = image.height, c = image.channels;
  const size_t stride = static_cast<size_t>(w) + 1;
  std::vector<uint64_t> sums(stride * (h + 1), 0);
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = image.row(y);
    const uint8_t* below = y + 1 < h ? image.row(y + 1) : row;  // the last row has no vertical edge
    uint64_t row_sum = 0;
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = row + static_cast<size_t>(x) * c;
      const uint8_t* right = x + 1 < w ? p + c : p;  // nor the last column a horizontal one
      for (int ch = 0; ch < c; ++ch)
        row_sum += std::abs(p[ch] - right[ch]) + std::abs(p[ch] - below[static_cast<size_t>(x) * c + ch]);
      sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row_sum;
    }
  }
  return sums;
}

// Window corners along one axis: every `step` pixels from 0, then the last corner that fits, so the far
// edge of the image can be chosen too.
std::vector<int> grid_positions(int extent, int side, int step) {
  std::vector<int> corners;
  for (int p = 0; p < extent - side; p += std::max(step, 1)) corners.push_back(p);
  corners.push_back(extent - side);
  return corners;
}

}  // namespace

void write_json(const Report& r, const std::string& path) {
  nlohmann::json doc = {{"dataset", r.dataset}, {"scale", r.scale}, {"protocol", "Y (BT.601), shave = scale, MATLAB bicubic LR"}};
  for (const auto& m : r.methods) {
    nlohmann::json images = nlohmann::json::array();
    for (const auto& i : m.images) images.push_back({{"image", i.image}, {"psnr", i.psnr}, {"ssim", i.ssim}});
    doc["methods"].push_back({{"method", m.method}, {"psnr", m.mean_psnr}, {"ssim", m.mean_ssim}, {"images", images}});
  }
  open_for_writing(path) << doc.dump(2) << "\n";
}

void write_markdown(const Report& r, const std::string& path) {
  std::ofstream out = open_for_writing(path);
  out << "| method | " << r.dataset << " x" << r.scale << " PSNR (dB) | SSIM |\n|---|---|---|\n";
  for (const auto& m : r.methods) out << "| " << m.method << " | " << fixed(m.mean_psnr, 3) << " | " << fixed(m.mean_ssim, 4) << " |\n";
  if (r.methods.empty()) return;
  out << "\n| image |";
  for (const auto& m : r.methods) out << " " << m.method << " |";
  out << "\n|---|";
  for (size_t i = 0; i < r.methods.size(); ++i) out << "---|";
  out << "\n";
  for (size_t i = 0; i < r.methods.front().images.size(); ++i) {
    out << "| " << r.methods.front().images[i].image << " |";
    for (const auto& m : r.methods) out << " " << fixed(m.images.at(i).psnr, 3) << " / " << fixed(m.images.at(i).ssim, 4) << " |";
    out << "\n";
  }
}

Image8 crop(const Image8& image, const CropWindow& window) {
  const CropWindow& c = window;
  if (c.x < 0 || c.y < 0 || c.width < 1 || c.height < 1 || c.x + c.width > image.width || c.y + c.height > image.height)
    throw Error("crop " + std::to_string(c.width) + "x" + std::to_string(c.height) + " at (" + std::to_string(c.x) + ", " +
                std::to_string(c.y) + ") does not fit a " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                " image");
  Image8 out{c.width, c.height, image.channels, std::vector<uint8_t>(static_cast<size_t>(c.width) * c.height * image.channels)};
  for (int y = 0; y < c.height; ++y)
    std::copy_n(image.row(c.y + y) + static_cast<size_t>(c.x) * image.channels, static_cast<size_t>(c.width) * image.channels,
                out.row(y));
  return out;
}

Image8 centre_crop(const Image8& image, int side) {
  const int w = std::min(side, image.width), h = std::min(side, image.height);
  return crop(image, {(image.width - w) / 2, (image.height - h) / 2, w, h});
}

CropWindow busiest_window(const Image8& image, int side, int step) {
  const int w = std::min(side, image.width), h = std::min(side, image.height);
  const std::vector<uint64_t> sums = edge_energy_integral(image);
  const size_t stride = static_cast<size_t>(image.width) + 1;
  auto at = [&](int x, int y) { return sums[static_cast<size_t>(y) * stride + x]; };
  CropWindow best{0, 0, w, h};
  uint64_t best_energy = 0;
  bool first = true;
  for (int y : grid_positions(image.height, h, step))
    for (int x : grid_positions(image.width, w, step)) {
      const uint64_t energy = at(x + w, y + h) - at(x, y + h) - at(x + w, y) + at(x, y);
      if (first || energy > best_energy) best = {x, y, w, h}, best_energy = energy, first = false;
    }
  return best;
}

Image8 upscale_nearest(const Image8& image, int factor) {
  const int c = image.channels;
  Image8 out{image.width * factor, image.height * factor, c,
             std::vector<uint8_t>(static_cast<size_t>(image.width) * factor * image.height * factor * c)};
  for (int y = 0; y < out.height; ++y) {
    const uint8_t* in = image.row(y / factor);
    uint8_t* row = out.row(y);
    for (int x = 0; x < out.width; ++x)
      std::copy_n(in + static_cast<size_t>(x / factor) * c, c, row + static_cast<size_t>(x) * c);
  }
  return out;
}

namespace {

void write_head(std::ostream& html, const std::string& title) {
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>vsr-eval: " << escape(title)
       << "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
       << "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}figure{display:inline-block;margin:4px}"
       << "img{image-rendering:pixelated;width:256px}figcaption{text-align:center;font-size:90%}</style></head><body>\n";
}

// Writes `image` as `dir`/`file` and shows it captioned with `label`.
void write_figure(std::ostream& html, const std::string& dir, const std::string& file, const std::string& label,
                  const Image8& image) {
  write_png((fs::path(dir) / file).string(), image);
  html << "<figure><img src=\"" << escape(file) << "\" alt=\"" << escape(label) << "\"><figcaption>" << escape(label)
       << "</figcaption></figure>";
}

void write_scored_section(std::ostream& html, const Report& r, const std::vector<CropSet>& crops, const std::string& dir) {
  html << "<h1>" << escape(r.dataset) << " x" << r.scale << "</h1>\n<p>Standard protocol: HR cropped to a multiple of the "
       << "scale, LR by MATLAB bicubic, PSNR/SSIM on BT.601 Y with " << r.scale << " pixels shaved.</p>\n"
       << "<table id=\"scores\"><tr><th>method</th><th>PSNR (dB)</th><th>SSIM</th></tr>\n";
  for (const auto& m : r.methods)
    html << "<tr><td>" << escape(m.method) << "</td><td>" << fixed(m.mean_psnr, 3) << "</td><td>" << fixed(m.mean_ssim, 4)
         << "</td></tr>\n";
  html << "</table>\n";
  std::vector<std::string> order;  // the report's methods, then the HR
  for (const auto& m : r.methods) order.push_back(m.method);
  order.push_back("HR");
  for (const auto& set : crops) {
    html << "<h2>" << escape(set.image) << "</h2>\n<div class=\"crops\">";
    for (const auto& method : order) {
      auto it = set.by_method.find(method);
      if (it == set.by_method.end()) continue;
      write_figure(html, dir, slug(set.image) + "_" + slug(method) + ".png", method, it->second);
    }
    html << "</div>\n";
  }
}

void write_real_section(std::ostream& html, const RealFootage& real, const std::string& dir) {
  html << "<section id=\"real-footage\">\n<h1>Real footage (no ground truth)</h1>\n<p>Frames of real videos, used as "
       << "they are as the low-resolution input and upscaled x" << real.scale << " by every method; there is no HR, so "
       << "no scores. Each row shows the output window with the most edge energy in the bicubic upscale; "
       << "&ldquo;" << escape(kRealInputCrop) << "&rdquo; is the same window of the input, enlarged without smoothing, "
       << "so its compression artefacts stay visible.</p>\n";
  std::vector<std::string> order{kRealInputCrop};  // the raw input first, then the methods
  order.insert(order.end(), real.methods.begin(), real.methods.end());
  for (const auto& f : real.frames) {
    const CropWindow& w = f.window;
    html << "<h2>" << escape(f.frame) << "</h2>\n<p class=\"window\">" << f.width << "x" << f.height << " input; the "
         << w.width << "x" << w.height << " window at (" << w.x << ", " << w.y << ") of the " << f.width * real.scale << "x"
         << f.height * real.scale << " output</p>\n<div class=\"crops\">";
    for (const auto& method : order) {
      auto it = f.by_method.find(method);
      if (it == f.by_method.end()) continue;
      // "real_" keeps these files apart from the scored section's when a name is in both.
      write_figure(html, dir, "real_" + slug(f.frame) + "_" + slug(method) + ".png", method, it->second);
    }
    html << "</div>\n";
  }
  html << "</section>\n";
}

}  // namespace

std::string write_html(const Report& r, const std::vector<CropSet>& crops, const std::string& dir) {
  return write_html(r, crops, RealFootage{}, dir);
}

std::string write_html(const Report& r, const std::vector<CropSet>& crops, const RealFootage& real, const std::string& dir) {
  fs::create_directories(dir);
  // A page always has a section: the scored one unless there is real footage and nothing scored.
  const bool scored = !r.methods.empty() || real.frames.empty();
  std::ostringstream html;
  write_head(html, scored ? r.dataset + " x" + std::to_string(r.scale) : "real footage x" + std::to_string(real.scale));
  if (scored) write_scored_section(html, r, crops, dir);
  if (!real.frames.empty()) write_real_section(html, real, dir);
  // For headless checks (and anyone curious): how many crops the browser could decode.
  html << "<script>window.addEventListener('load', () => { const all = [...document.images]; "
       << "document.body.dataset.imagesLoaded = all.filter(i => i.complete && i.naturalWidth > 0).length + '/' + all.length; "
       << "});</script>\n</body></html>\n";
  const std::string path = (fs::path(dir) / "index.html").string();
  open_for_writing(path) << html.str();
  return path;
}

}  // namespace vsr
