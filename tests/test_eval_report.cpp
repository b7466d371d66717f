// vsr-eval's protocol and reports on images the project ships (tests/data): every method scored on
// the same images, JSON that parses back to the same numbers, Markdown rows, an HTML page whose crops
// exist; and the Lanczos-3 baseline's basic properties. Real footage (no HR): the crop window's choice,
// the nearest-neighbour input crop, and the report's real-footage section.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "eval/imresize.h"
#include "eval/report.h"

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

vsr::Report two_baselines() {
  vsr::Report r;
  r.dataset = "test-data";
  r.scale = 2;
  for (auto filter : {vsr::ResizeFilter::Bicubic, vsr::ResizeFilter::Lanczos3})
    r.methods.push_back(vsr::score_folder(filter == vsr::ResizeFilter::Bicubic ? "bicubic" : "lanczos3", VSR_TEST_DATA, 2,
                                          [filter](const vsr::Image8& lr) { return vsr::imresize(lr, 2.0, filter); }));
  return r;
}

TEST(EvalReport, JsonAndMarkdownCarryEveryScore) {
  const vsr::Report r = two_baselines();
  ASSERT_EQ(r.methods.size(), 2u);
  ASSERT_FALSE(r.methods[0].images.empty());
  EXPECT_EQ(r.methods[0].images.size(), r.methods[1].images.size());
  const fs::path dir = fs::temp_directory_path() / "vsr_eval_report";
  fs::remove_all(dir);
  fs::create_directories(dir);
  vsr::write_json(r, (dir / "scores.json").string());
  const auto doc = nlohmann::json::parse(read_file(dir / "scores.json"));
  EXPECT_EQ(doc["scale"], 2);
  ASSERT_EQ(doc["methods"].size(), 2u);
  EXPECT_EQ(doc["methods"][0]["method"], "bicubic");
  EXPECT_NEAR(doc["methods"][0]["psnr"].get<double>(), r.methods[0].mean_psnr, 1e-9);
  EXPECT_EQ(doc["methods"][1]["images"].size(), r.methods[1].images.size());
  vsr::write_markdown(r, (dir / "scores.md").string());
  const std::string md = read_file(dir / "scores.md");
  EXPECT_NE(md.find("| bicubic | "), std::string::npos) << md;
  EXPECT_NE(md.find("| lanczos3 | "), std::string::npos) << md;
  EXPECT_NE(md.find("| " + r.methods[0].images[0].image + " |"), std::string::npos) << md;
  fs::remove_all(dir);
}

TEST(EvalReport, HtmlReferencesCropsThatExist) {
  const vsr::Report r = two_baselines();
  vsr::Image8 img{40, 30, 3, std::vector<uint8_t>(40 * 30 * 3, 90)};
  vsr::CropSet set{"a&b.png", {{"bicubic", vsr::centre_crop(img, 16)}, {"HR", vsr::centre_crop(img, 64)}}};
  EXPECT_EQ(set.by_method["bicubic"].width, 16);
  EXPECT_EQ(set.by_method["HR"].width, 40);  // never bigger than the image
  const fs::path dir = fs::temp_directory_path() / "vsr_eval_html";
  fs::remove_all(dir);
  const std::string index = vsr::write_html(r, {set}, dir.string());
  const std::string html = read_file(index);
  EXPECT_NE(html.find("<table id=\"scores\">"), std::string::npos);
  EXPECT_NE(html.find("a&amp;b.png"), std::string::npos) << "names are escaped";
  size_t images = 0;
  for (size_t at = html.find("<img src=\""); at != std::string::npos; at = html.find("<img src=\"", at + 1)) {
    const size_t start = at + 10, end = html.find('"', start);
    EXPECT_TRUE(fs::exists(dir / html.substr(start, end - start))) << html.substr(start, end - start);
    ++images;
  }
  EXPECT_EQ(images, 2u);
  EXPECT_LT(html.find("bicubic</figcaption>"), html.find("HR</figcaption>")) << "methods first, the HR last";
  fs::remove_all(dir);
}

TEST(EvalReport, LanczosKeepsConstantsAndSharpensMoreThanBicubic) {
  vsr::Image8 flat{12, 10, 3, std::vector<uint8_t>(12 * 10 * 3, 77)};
  for (uint8_t v : vsr::imresize(flat, 2.0, vsr::ResizeFilter::Lanczos3).pixels) EXPECT_EQ(v, 77);
  // A step edge: Lanczos-3 overshoots more than Keys cubic (its wider lobes ring).
  vsr::Image8 step{16, 4, 3, std::vector<uint8_t>(16 * 4 * 3, 60)};
  for (int y = 0; y < 4; ++y)
    for (int x = 8; x < 16; ++x)
      for (int c = 0; c < 3; ++c) step.row(y)[x * 3 + c] = 200;
  auto peak = [](const vsr::Image8& im) { return *std::max_element(im.pixels.begin(), im.pixels.end()); };
  EXPECT_GT(peak(vsr::imresize(step, 2.0, vsr::ResizeFilter::Lanczos3)), peak(vsr::imresize(step, 2.0, vsr::ResizeFilter::Bicubic)));
}

// A flat image with a noisy square: the busiest window covers it, wherever the grid lets it start.
TEST(EvalReport, BusiestWindowFindsTheTextureNotTheCentre) {
  vsr::Image8 img{120, 80, 3, std::vector<uint8_t>(120 * 80 * 3, 128)};
  for (int y = 50; y < 74; ++y)
    for (int x = 90; x < 114; ++x)
      for (int c = 0; c < 3; ++c) img.row(y)[x * 3 + c] = static_cast<uint8_t>((x * 37 + y * 91 + c * 13) % 251);
  const vsr::CropWindow w = vsr::busiest_window(img, 32, 8);
  EXPECT_EQ(w.width, 32);
  EXPECT_EQ(w.height, 32);
  EXPECT_LE(w.x, 90);
  EXPECT_GE(w.x + w.width, 114);
  EXPECT_LE(w.y, 50);
  EXPECT_GE(w.y + w.height, 74);
  EXPECT_TRUE(w.x % 8 == 0 || w.x == 120 - 32) << "corners on the grid or at the far edge";
  // Flat everywhere: the first window (deterministic); bigger than the image: the whole image.
  vsr::Image8 flat{40, 30, 3, std::vector<uint8_t>(40 * 30 * 3, 9)};
  const vsr::CropWindow f = vsr::busiest_window(flat, 16, 4);
  EXPECT_EQ(f.x, 0);
  EXPECT_EQ(f.y, 0);
  const vsr::CropWindow all = vsr::busiest_window(flat, 64, 4);
  EXPECT_EQ(all.width, 40);
  EXPECT_EQ(all.height, 30);
}

TEST(EvalReport, NearestUpscaleAndCropKeepPixelsExactly) {
  vsr::Image8 img{3, 2, 3, {}};
  for (int i = 0; i < 18; ++i) img.pixels.push_back(static_cast<uint8_t>(i * 10));
  const vsr::Image8 up = vsr::upscale_nearest(img, 2);
  ASSERT_EQ(up.width, 6);
  ASSERT_EQ(up.height, 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 6; ++x)
      for (int c = 0; c < 3; ++c) EXPECT_EQ(up.row(y)[x * 3 + c], img.row(y / 2)[(x / 2) * 3 + c]);
  const vsr::Image8 c = vsr::crop(up, {2, 1, 3, 2});
  EXPECT_EQ(c.row(1)[0], up.row(2)[2 * 3]);
  EXPECT_THROW(vsr::crop(up, {4, 0, 3, 2}), std::exception) << "a window past the right edge";
}

TEST(EvalReport, HtmlRealFootageSectionAlone) {
  vsr::RealFootage real;
  real.scale = 2;
  real.methods = {"bicubic", "model<x2>"};
  vsr::Image8 img{16, 16, 3, std::vector<uint8_t>(16 * 16 * 3, 50)};
  real.frames.push_back({"clips/a.png", 8, 8, {0, 0, 16, 16},
                         {{vsr::kRealInputCrop, img}, {"bicubic", img}, {"model<x2>", img}}});
  const fs::path dir = fs::temp_directory_path() / "vsr_eval_html_real";
  fs::remove_all(dir);
  const std::string html = read_file(vsr::write_html(vsr::Report{}, {}, real, dir.string()));
  EXPECT_EQ(html.find("<table id=\"scores\">"), std::string::npos) << "nothing scored, no table";
  EXPECT_NE(html.find("Real footage (no ground truth)"), std::string::npos);
  const size_t input = html.find("input (nearest)</figcaption>"), bicubic = html.find("bicubic</figcaption>"),
               model = html.find("model&lt;x2&gt;</figcaption>");
  ASSERT_NE(model, std::string::npos) << "names are escaped";
  EXPECT_LT(input, bicubic) << "the raw input first, then the methods in order";
  EXPECT_LT(bicubic, model);
  for (const auto& method : {"input__nearest_", "bicubic", "model_x2_"})
    EXPECT_TRUE(fs::exists(dir / ("real_clips_a_png_" + std::string(method) + ".png"))) << method;
  fs::remove_all(dir);
}

}  // namespace
