#include "training_clips.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "jpeg_file.h"
#include "video_frames.h"
#include "vsr/error.h"

namespace vsr::train {
namespace fs = std::filesystem;
namespace {

std::string lower_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool is_frame_image(const fs::path& p) {
  const std::string ext = lower_extension(p);
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

Image8 read_frame(const fs::path& p) {
  return lower_extension(p) == ".png" ? read_png_rgb(p.string()) : read_jpeg_rgb(p.string());
}

// Name order with digit runs compared as numbers: frame_2.png before frame_10.png (dumps without
// zero padding), 00000009.png before 00000010.png as before.
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      const std::string da = a.substr(i, ie - i), db = b.substr(j, je - j);
      const size_t za = da.find_first_not_of('0'), zb = db.find_first_not_of('0');
      const std::string na = za == std::string::npos ? "" : da.substr(za), nb = zb == std::string::npos ? "" : db.substr(zb);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      if (da.size() != db.size()) return da.size() < db.size();  // equal values: fewer zeros first
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// The frame images directly in `dir`, in natural name order.
std::vector<fs::path> frame_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && is_frame_image(entry.path())) files.push_back(entry.path());
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return natural_less(a.filename().string(), b.filename().string()); });
  return files;
}

TrainingClip folder_clip(const fs::path& dir, const fs::path& root, const std::vector<fs::path>& files) {
  TrainingClip clip;
  const fs::path relative = fs::relative(dir, root);
  clip.name = (fs::path(root).filename() / (relative == "." ? fs::path() : relative)).string();
  for (const auto& f : files) {
    clip.frames.push_back(read_frame(f));
    const Image8& first = clip.frames.front();
    if (clip.frames.back().width != first.width || clip.frames.back().height != first.height)
      throw Error("frame '" + f.string() + "' is " + std::to_string(clip.frames.back().width) + "x" +
                  std::to_string(clip.frames.back().height) + ", the frames before it in its folder " +
                  std::to_string(first.width) + "x" + std::to_string(first.height));
  }
  clip.total_frames = static_cast<int>(clip.frames.size());
  return clip;
}

}  // namespace

std::vector<TrainingClip> load_training_clips(const std::string& path) {
  if (!fs::is_directory(path)) {
    TrainingClip clip{path, decode_video_frames(path), 0};
    clip.total_frames = static_cast<int>(clip.frames.size());
    clip.frames.resize(first_held_back_frame(clip.total_frames));  // dropped before anything can sample it
    return {std::move(clip)};
  }
  std::vector<fs::path> dirs = {path};
  for (const auto& entry : fs::recursive_directory_iterator(path))
    if (entry.is_directory()) dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  std::vector<TrainingClip> clips;
  for (const auto& dir : dirs) {
    const auto files = frame_files(dir);
    if (files.size() >= 2) clips.push_back(folder_clip(dir, path, files));
  }
  if (clips.empty()) throw Error("folder '" + path + "' holds no frame folder (two or more PNG or JPEG frames)");
  return clips;
}

std::string describe_clips(const std::string& path, const std::vector<TrainingClip>& clips) {
  auto size = [](const Image8& f) { return std::to_string(f.width) + "x" + std::to_string(f.height); };
  if (!fs::is_directory(path)) {
    const TrainingClip& c = clips.at(0);
    const int usable = static_cast<int>(c.frames.size());
    return fs::path(path).filename().string() + ": frames 0.." + std::to_string(usable - 1) + " of " +
           std::to_string(c.total_frames) + " (" + (c.frames.empty() ? "" : size(c.frames[0])) + "; held back from " +
           std::to_string(usable) + ")";
  }
  size_t frames = 0;
  for (const auto& c : clips) frames += c.frames.size();
  return fs::path(path).filename().string() + ": " + std::to_string(clips.size()) + " frame folder" +
         (clips.size() == 1 ? "" : "s") + ", " + std::to_string(frames) + " frames (first " + size(clips[0].frames[0]) +
         "; all used: frame folders are held back by folder)";
}

}  // namespace vsr::train
