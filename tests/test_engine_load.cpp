// Engine loading and validation: good models describe themselves; bad ones fail at load with the
// file, node or tensor named.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "models/onnx_writer.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("vsr_test_" + name)).string();
}

std::string load_error(const std::string& path) {
  try {
    vsr::Engine::open(path);
  } catch (const vsr::Error& e) {
    return e.what();
  }
  return "";
}

// A tiny valid x2 model: Conv(3->12, 3x3) -> DepthToSpace(2).
vsr::OnnxWriter tiny_model(int conv_in_channels = 3) {
  vsr::OnnxWriter w("tiny");
  w.add_input("x", {"1", "3", "h", "w"});
  std::vector<float> weight(12 * conv_in_channels * 9, 0.01f);
  w.add_initializer("w", {12, conv_in_channels, 3, 3}, weight);
  w.add_node("Conv", "conv_a", {"x", "w"}, {"c"},
             {vsr::OnnxAttribute::integers("pads", {1, 1, 1, 1}), vsr::OnnxAttribute::integers("kernel_shape", {3, 3})});
  w.add_node("DepthToSpace", "shuffle", {"c"}, {"y"}, {vsr::OnnxAttribute::integer("blocksize", 2)});
  w.add_output("y", {"1", "3", "H", "W"});
  return w;
}

TEST(EngineLoad, ShippedDefaultModelDescribesItself) {
  auto engine = vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel));
  const auto& info = engine->info();
  EXPECT_EQ(info.scale, 2);
  EXPECT_EQ(info.arch, "srvgg");  // srvgg_x2, the best fast x2 model
  EXPECT_EQ(info.colour, vsr::ModelColour::Rgb);
  EXPECT_GT(info.parameters, 10000);
  EXPECT_GE(info.receptive_field, 3);
  EXPECT_NE(engine->describe().find("scale: 2"), std::string::npos);
}

TEST(EngineLoad, ThirdPartyModelWithoutMetadataGetsScaleFromShapes) {
  const auto path = temp_path("tiny.onnx");
  tiny_model().save(path);
  auto engine = vsr::Engine::open(path);
  EXPECT_EQ(engine->info().scale, 2);
  EXPECT_EQ(engine->info().arch, "unknown");
  EXPECT_EQ(engine->info().parameters, 12 * 3 * 9);
}

TEST(EngineLoad, MissingFileNamesThePath) {
  const std::string msg = load_error("/nonexistent/dir/model.onnx");
  EXPECT_NE(msg.find("/nonexistent/dir/model.onnx"), std::string::npos) << msg;
}

TEST(EngineLoad, GarbageFileIsRejectedByName) {
  const auto path = temp_path("garbage.onnx");
  std::ofstream(path) << "this is not a protobuf model at all \x01\x02\x03";
  const std::string msg = load_error(path);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

TEST(EngineLoad, UnsupportedOpNamesOpAndNode) {
  vsr::OnnxWriter w("bad");
  w.add_input("x", {"1", "3", "h", "w"});
  w.add_node("Softmax", "the_bad_node", {"x"}, {"y"});
  w.add_output("y", {"1", "3", "h", "w"});
  const auto path = temp_path("softmax.onnx");
  w.save(path);
  const std::string msg = load_error(path);
  EXPECT_NE(msg.find("Softmax"), std::string::npos) << msg;
  EXPECT_NE(msg.find("the_bad_node"), std::string::npos) << msg;
}

TEST(EngineLoad, ChannelMismatchNamesTheNode) {
  const auto path = temp_path("mismatch.onnx");
  tiny_model(/*conv_in_channels=*/5).save(path);
  const std::string msg = load_error(path);
  EXPECT_NE(msg.find("conv_a"), std::string::npos) << msg;
  EXPECT_NE(msg.find("channels"), std::string::npos) << msg;
}

TEST(EngineLoad, MissingTensorIsNamed) {
  vsr::OnnxWriter w("dangling");
  w.add_input("x", {"1", "3", "h", "w"});
  w.add_node("Add", "adder", {"x", "nowhere"}, {"y"});
  w.add_output("y", {"1", "3", "h", "w"});
  const auto path = temp_path("dangling.onnx");
  std::string msg;
  try {
    w.save(path);  // onnx::checker may already reject it
    msg = load_error(path);
  } catch (const vsr::Error& e) {
    msg = e.what();
  }
  EXPECT_NE(msg.find("nowhere"), std::string::npos) << msg;
}

TEST(EngineLoad, ScaleMetadataMustMatchTheGraph) {
  auto w = tiny_model();
  w.set_metadata({{"vsr.scale", "3"}});
  const auto path = temp_path("wrongscale.onnx");
  w.save(path);
  const std::string msg = load_error(path);
  EXPECT_NE(msg.find("vsr.scale=3"), std::string::npos) << msg;
}

TEST(EngineProcess, WrongOutputSizeIsAnError) {
  auto engine = vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel));
  std::vector<uint8_t> in(8 * 6 * 3, 100), out(15 * 12 * 3);
  vsr::Frame fi, fo;
  fi.width = 8;
  fi.height = 6;
  fi.planes[0] = {in.data(), 24};
  fo.width = 15;  // should be 16
  fo.height = 12;
  fo.planes[0] = {out.data(), 45};
  EXPECT_THROW(engine->process(fi, fo), vsr::Error);
}

TEST(EngineProcess, OnednnAndReferenceBackendsAgreeOnTheShippedModel) {
  const auto path = vsr::resolve_model(vsr::kDefaultModel);
  vsr::EngineOptions ref_options;
  ref_options.use_onednn = false;
  auto fast = vsr::Engine::open(path);
  auto ref = vsr::Engine::open(path, ref_options);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  vsr::PlanarImage in;
  in.channels = 3;
  in.height = 19;
  in.width = 26;
  in.values.resize(3 * 19 * 26);
  for (float& v : in.values) v = dist(rng);
  const auto a = fast->run(in), b = ref->run(in);
  ASSERT_EQ(a.values.size(), b.values.size());
  float max_err = 0.0f;
  for (size_t i = 0; i < a.values.size(); ++i) max_err = std::max(max_err, std::fabs(a.values[i] - b.values[i]));
  EXPECT_LE(max_err, 1e-4f);
}

}  // namespace

namespace {

std::string open_error(const vsr::EngineOptions& options) {
  try {
    vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel), options);
  } catch (const vsr::Error& e) {
    return e.what();
  }
  return "";
}

TEST(EngineBackend, TheCpuRunsWhenAskedOrByDefault) {
  vsr::EngineOptions o;
  EXPECT_EQ(vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel), o)->backend(), "cpu");
  o.backend = "cpu";
  o.precision = "fp32";
  auto engine = vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel), o);
  EXPECT_EQ(engine->precision(), "fp32");
  EXPECT_NE(engine->describe().find("backend: cpu (fp32)"), std::string::npos) << engine->describe();
}

TEST(EngineBackend, WhatThisBuildCannotDoIsRefusedByName) {
  vsr::EngineOptions cuda;
  cuda.backend = "cuda";
  EXPECT_NE(open_error(cuda).find("backend 'cuda' (device 0) is not available"), std::string::npos) << open_error(cuda);
  vsr::EngineOptions bogus;
  bogus.backend = "tpu";
  EXPECT_NE(open_error(bogus).find("backend 'tpu' is not one of auto, cpu, cuda"), std::string::npos);
  vsr::EngineOptions half;
  half.precision = "fp16";
  EXPECT_NE(open_error(half).find("precision fp16 needs the CUDA backend"), std::string::npos);
  vsr::EngineOptions int8;
  int8.precision = "int8";
  EXPECT_NE(open_error(int8).find("precision 'int8'"), std::string::npos);
}

TEST(EngineProcess, AFixedSizeModelRefusesOtherFrameSizesByName) {
  vsr::OnnxWriter w("fixed");
  w.add_input("x", {"1", "3", "8", "6"});
  w.add_node("Identity", "copy", {"x"}, {"y"});
  w.add_output("y", {"1", "3", "8", "6"});
  const auto path = temp_path("fixed.onnx");
  w.save(path);
  auto engine = vsr::Engine::open(path);
  EXPECT_EQ(engine->info().input_width, 6);
  EXPECT_EQ(engine->info().input_height, 8);
  std::vector<uint8_t> in(10 * 8 * 3, 7), out(10 * 8 * 3, 0);
  vsr::Frame fin, fout;
  fin.width = fout.width = 10;
  fin.height = fout.height = 8;
  fin.planes[0] = {in.data(), 30};
  fout.planes[0] = {out.data(), 30};
  try {
    engine->process(fin, fout);
    FAIL() << "a 10x8 frame went into a 6x8 model";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("takes only 6x8 frames"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

TEST(EngineProcess, FramesInGpuMemoryAreRefusedByTheCpuBackend) {
  auto engine = vsr::Engine::open(vsr::resolve_model(vsr::kDefaultModel));
  std::vector<uint8_t> in(8 * 6 * 3, 1), out(16 * 12 * 3, 0);
  vsr::Frame fin, fout;
  fin.width = 8, fin.height = 6, fout.width = 16, fout.height = 12;
  fin.planes[0] = {in.data(), 24};
  fout.planes[0] = {out.data(), 48};
  fin.on_device = true;  // never dereferenced: refused before any read
  try {
    engine->push(fin, fout);
    FAIL() << "a GPU frame went to the CPU backend";
  } catch (const vsr::Error& e) {
    EXPECT_NE(std::string(e.what()).find("GPU memory"), std::string::npos) << e.what();
  }
}

}  // namespace
