#include "sequence_protocol.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>

#include "imresize.h"
#include "vsr/error.h"

namespace vsr {
namespace fs = std::filesystem;
namespace {

double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

std::string size_text(const Image8& image) { return std::to_string(image.width) + "x" + std::to_string(image.height); }

}  // namespace

std::vector<std::string> list_sequence_folders(const std::string& data) {
  std::error_code ec;
  std::vector<std::string> folders;
  for (const auto& entry : fs::directory_iterator(data, ec))
    if (entry.is_directory()) folders.push_back(entry.path().string());
  if (ec) throw Error("cannot read folder '" + data + "': " + ec.message());
  std::sort(folders.begin(), folders.end());
  if (folders.empty()) {
    // A common slip: pointing --data at one sequence instead of the folder that holds them.
    const size_t pngs = list_png_files(data).size();
    throw Error("'" + data + "' holds no sequence folders" +
                (pngs ? " (it holds " + std::to_string(pngs) + " PNGs itself: pass the folder above it)" : ""));
  }
  return folders;
}

std::vector<std::string> list_sequence_frames(const std::string& folder) {
  std::vector<std::string> files = list_png_files(folder);
  if (files.size() < 2)
    throw Error("sequence folder '" + folder + "' holds " + std::to_string(files.size()) +
                " PNG frames; a sequence needs at least 2");
  return files;
}

Sequence load_sequence(const std::string& folder, int scale) {
  Sequence seq;
  seq.folder = folder;
  seq.name = fs::path(folder).filename().string();
  seq.files = list_sequence_frames(folder);
  Image8 first;
  for (const std::string& file : seq.files) {
    bool grey = false;
    Image8 frame = read_png_rgb(file, &grey);
    if (seq.hr.empty()) {
      first = frame;  // sizes are compared before the crop, so a stray frame cannot hide in the border
    } else if (frame.width != first.width || frame.height != first.height) {
      throw Error("sequence folder '" + folder + "': frame '" + fs::path(file).filename().string() + "' is " +
                  size_text(frame) + " but '" + fs::path(seq.files.front()).filename().string() + "' is " +
                  size_text(first));
    }
    Image8 hr = modcrop(frame, scale);
    if (hr.width < scale || hr.height < scale)
      throw Error("'" + file + "' (" + size_text(frame) + ") is smaller than the scale " + std::to_string(scale));
    seq.lr.push_back(imresize_bicubic(hr, 1.0 / scale));  // the same LR as vsr-eval (protocol.cpp)
    seq.hr.push_back(std::move(hr));
    seq.grey.push_back(grey);
  }
  return seq;
}

double psnr_of_mse(double mse) {
  if (mse == 0.0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

double temporal_mse(const LumaPlane& a_prev, const LumaPlane& a, const LumaPlane& b_prev, const LumaPlane& b, int shave) {
  const int w = a.width, h = a.height;
  for (const LumaPlane* p : {&a_prev, &b_prev, &b})
    if (p->width != w || p->height != h) throw Error("temporal_mse: planes differ in size");
  if (w - 2 * shave <= 0 || h - 2 * shave <= 0) throw Error("temporal_mse: image smaller than the shaved border");
  double sum = 0.0;
  for (int y = shave; y < h - shave; ++y)
    for (int x = shave; x < w - shave; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      const double d = (a.values[i] - a_prev.values[i]) - (b.values[i] - b_prev.values[i]);
      sum += d * d;
    }
  return sum / (static_cast<double>(w - 2 * shave) * (h - 2 * shave));
}

double SequenceScores::mean_psnr() const { return mean_of(psnr); }
double SequenceScores::mean_ssim() const { return mean_of(ssim); }
double SequenceScores::tpsnr() const { return psnr_of_mse(mean_of(temporal_mse)); }

SequenceScores score_sequence(const Sequence& seq, const std::vector<Image8>& sr, const std::string& method, int scale) {
  if (sr.size() != seq.hr.size())
    throw Error(method + " gave " + std::to_string(sr.size()) + " frames for the " + std::to_string(seq.hr.size()) +
                " of sequence '" + seq.folder + "'");
  SequenceScores scores;
  LumaPlane sr_prev, hr_prev;
  for (size_t t = 0; t < sr.size(); ++t) {
    const std::string frame = fs::path(seq.files[t]).filename().string();
    if (sr[t].width != seq.hr[t].width || sr[t].height != seq.hr[t].height)
      throw Error(method + " made " + size_text(sr[t]) + " from frame '" + frame + "' of '" + seq.folder +
                  "', expected " + size_text(seq.hr[t]));
    try {
      LumaPlane a = luma_bt601(sr[t], seq.grey[t]), b = luma_bt601(seq.hr[t], seq.grey[t]);
      scores.psnr.push_back(psnr(a, b, scale));
      scores.ssim.push_back(ssim(a, b, scale));
      if (t > 0) scores.temporal_mse.push_back(temporal_mse(sr_prev, a, hr_prev, b, scale));
      sr_prev = std::move(a);
      hr_prev = std::move(b);
    } catch (const Error& e) {
      throw Error("frame '" + frame + "' of '" + seq.folder + "': " + e.what());
    }
  }
  return scores;
}

}  // namespace vsr
