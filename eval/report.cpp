#include "report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
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

Image8 centre_crop(const Image8& image, int side) {
  const int w = std::min(side, image.width), h = std::min(side, image.height);
  const int x0 = (image.width - w) / 2, y0 = (image.height - h) / 2;
  Image8 out{w, h, image.channels, std::vector<uint8_t>(static_cast<size_t>(w) * h * image.channels)};
  for (int y = 0; y < h; ++y)
    std::copy_n(image.row(y0 + y) + static_cast<size_t>(x0) * image.channels, static_cast<size_t>(w) * image.channels, out.row(y));
  return out;
}

std::string write_html(const Report& r, const std::vector<CropSet>& crops, const std::string& dir) {
  fs::create_directories(dir);
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>vsr-eval: " << escape(r.dataset) << " x"
       << r.scale << "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
       << "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}figure{display:inline-block;margin:4px}"
       << "img{image-rendering:pixelated;width:256px}figcaption{text-align:center;font-size:90%}</style></head><body>\n"
       << "<h1>" << escape(r.dataset) << " x" << r.scale << "</h1>\n<p>Standard protocol: HR cropped to a multiple of the "
       << "scale, LR by MATLAB bicubic, PSNR/SSIM on BT.601 Y with " << r.scale << " pixels shaved.</p>\n"
       << "<table id=\"scores\"><tr><th>method</th><th>PSNR (dB)</th><th>SSIM</th></tr>\n";
  for (const auto& m : r.methods)
    html << "<tr><td>" << escape(m.method) << "</td><td>" << fixed(m.mean_psnr, 3) << "</td><td>" << fixed(m.mean_ssim, 4)
         << "</td></tr>\n";
  html << "</table>\n";
  for (const auto& set : crops) {
    html << "<h2>" << escape(set.image) << "</h2>\n<div class=\"crops\">";
    std::vector<std::string> order;  // the report's methods, then the HR
    for (const auto& m : r.methods) order.push_back(m.method);
    order.push_back("HR");
    for (const auto& method : order) {
      auto it = set.by_method.find(method);
      if (it == set.by_method.end()) continue;
      const Image8& crop = it->second;
      const std::string file = slug(set.image) + "_" + slug(method) + ".png";
      write_png((fs::path(dir) / file).string(), crop);
      html << "<figure><img src=\"" << escape(file) << "\" alt=\"" << escape(method) << "\"><figcaption>" << escape(method)
           << "</figcaption></figure>";
    }
    html << "</div>\n";
  }
  // For headless checks (and anyone curious): how many crops the browser could decode.
  html << "<script>window.addEventListener('load', () => { const all = [...document.images]; "
       << "document.body.dataset.imagesLoaded = all.filter(i => i.complete && i.naturalWidth > 0).length + '/' + all.length; "
       << "});</script>\n</body></html>\n";
  const std::string path = (fs::path(dir) / "index.html").string();
  open_for_writing(path) << html.str();
  return path;
}

}  // namespace vsr
