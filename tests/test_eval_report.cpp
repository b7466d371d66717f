// vsr-eval's protocol and reports on images the project ships (tests/data): every method scored on
// the same images, JSON that parses back to the same numbers, Markdown rows, an HTML page whose crops
// exist; and the Lanczos-3 baseline's basic properties.
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

}  // namespace
