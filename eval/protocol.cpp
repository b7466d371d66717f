#include "protocol.h"

#include <filesystem>

#include "imresize.h"
#include "metrics.h"
#include "vsr/error.h"

namespace vsr {

MethodScores score_folder(const std::string& method, const std::string& folder, int scale, const Upscaler& upscale,
                          const std::function<void(const std::string&, const Image8&, const Image8&, const Image8&)>& on_image) {
  const auto files = list_png_files(folder);
  if (files.empty()) throw Error("no PNG images in '" + folder + "'");
  MethodScores m;
  m.method = method;
  for (const auto& f : files) {
    bool grey = false;
    const Image8 hr = modcrop(read_png_rgb(f, &grey), scale);
    const Image8 lr = imresize_bicubic(hr, 1.0 / scale);
    const Image8 sr = upscale(lr);
    if (sr.width != hr.width || sr.height != hr.height)
      throw Error(method + " made " + std::to_string(sr.width) + "x" + std::to_string(sr.height) + " from '" + f +
                  "', expected " + std::to_string(hr.width) + "x" + std::to_string(hr.height));
    const LumaPlane a = luma_bt601(sr, grey), b = luma_bt601(hr, grey);
    const std::string name = std::filesystem::path(f).filename().string();
    m.images.push_back({name, psnr(a, b, scale), ssim(a, b, scale)});
    m.mean_psnr += m.images.back().psnr / files.size();
    m.mean_ssim += m.images.back().ssim / files.size();
    if (on_image) on_image(name, hr, lr, sr);
  }
  return m;
}

}  // namespace vsr
