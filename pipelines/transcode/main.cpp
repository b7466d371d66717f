// vsr-transcode: upscale video files with FFmpeg's libraries around the vsr engine.
//   vsr-transcode in.mkv out.mkv --model espcn_x2 --encoder libx264 -o crf=18 -o preset=slow
//   vsr-transcode --input-dir episodes/ --output-dir episodes_x2/ --extension mkv
//   ffmpeg -i in.mp4 -f yuv4mpegpipe - | vsr-transcode - - | x264 --demuxer y4m -o out.264 -
// Exit status: 0 done, 1 error, 2 bad command line, 3 done but partial (damaged input frames).
#include <CLI/CLI.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "transcode_job.h"
#include "vsr/error.h"

namespace fs = std::filesystem;
using namespace vsr::transcode;

namespace {

std::map<std::string, std::string> parse_pairs(const std::vector<std::string>& pairs, const std::string& flag) {
  std::map<std::string, std::string> out;
  for (const std::string& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) throw vsr::Error(flag + " '" + p + "': expected KEY=VALUE");
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return out;
}

bool is_media_file(const fs::path& p) {
  static const std::vector<std::string> extensions = {".mp4", ".mkv", ".mov", ".avi", ".webm", ".ts", ".m2ts",
                                                      ".mts", ".mpg", ".mpeg", ".m4v", ".flv", ".wmv", ".y4m",
                                                      ".nut", ".3gp", ".vob", ".ogv", ".mxf"};
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), ::tolower);
  return std::find(extensions.begin(), extensions.end(), e) != extensions.end();
}

int report(const JobSummary& summary, ProgressMode mode) {
  if (mode == ProgressMode::Json)
    std::fprintf(stderr, "%s\n", [&] { auto j = summary.to_json(); j["event"] = "summary"; return j.dump(); }().c_str());
  else
    std::fprintf(stderr, "%s\n", summary.to_text().c_str());
  return summary.partial ? 3 : 0;
}

int run_batch(JobSettings settings, const std::string& input_dir, const std::string& output_dir,
              const std::string& extension) {
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(input_dir))
    if (e.is_regular_file() && is_media_file(e.path())) inputs.push_back(e.path());
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) throw vsr::Error(input_dir + ": no video files");
  fs::create_directories(output_dir);
  int failed = 0, partial = 0;
  std::vector<std::string> lines;
  for (const fs::path& in : inputs) {
    settings.input.path = in.string();
    fs::path out = fs::path(output_dir) / in.filename();
    if (!extension.empty()) out.replace_extension(extension[0] == '.' ? extension : "." + extension);
    settings.output = out.string();
    settings.work_folder.clear();
    try {
      const JobSummary s = run_job(settings);
      if (report(s, settings.progress) == 3) ++partial;
      char line[512];
      std::snprintf(line, sizeof line, "  ok%s  %s  %lld frames  %.1f s", s.partial ? " (partial)" : "",
                    in.filename().c_str(), static_cast<long long>(s.frames), s.seconds);
      lines.push_back(line);
    } catch (const std::exception& e) {
      ++failed;
      std::fprintf(stderr, "vsr-transcode: %s\n", e.what());
      lines.push_back("  FAILED  " + in.filename().string() + ": " + e.what());
    }
  }
  std::fprintf(stderr, "vsr-transcode batch: %zu file(s), %zu done, %d failed, %d partial\n", inputs.size(),
               inputs.size() - failed, failed, partial);
  for (const std::string& l : lines) std::fprintf(stderr, "%s\n", l.c_str());
  return failed ? 1 : partial ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vsr-transcode: upscale video files (any input FFmpeg reads, any encoder it has), copying every "
               "other stream; resumable, splittable across machines"};
  JobSettings s;
  std::string input, output, input_dir, output_dir, extension, progress = "auto", segment;
  std::vector<std::string> encoder_options, muxer_options, input_options;
  app.add_option("input", input, "input file, or - for standard input (y4m, or --input-format)");
  app.add_option("output", output, "output file (container from its extension), or - for standard output (y4m)");
  app.add_option("-m,--model", s.model, "model: a path or a shipped name")->capture_default_str();
  app.add_option("-c,--encoder", s.encoder.name, "video encoder (libx264, libx265, ffv1, hevc_nvenc ...); default: the container's");
  app.add_option("-o,--encoder-option", encoder_options, "encoder option KEY=VALUE (crf=18, preset=slow, x265-params=...), repeatable")
      ->allow_extra_args(false);
  app.add_option("--pix-fmt", s.encoder.pixel_format, "output pixel format (default: the source's, or the encoder's nearest)");
  app.add_option("-f,--format", s.output_format, "output container (muxer name), needed for - (default y4m)");
  app.add_option("--mux-option", muxer_options, "muxer option KEY=VALUE (movflags=+faststart ...), repeatable")
      ->allow_extra_args(false);
  app.add_option("--input-format", s.input.format, "input demuxer (rawvideo, yuv4mpegpipe ...); default: probed");
  app.add_option("--input-option", input_options, "demuxer option KEY=VALUE (video_size=640x360, pixel_format=yuv420p, framerate=25 for raw video), repeatable")
      ->allow_extra_args(false);
  app.add_option("--threads", s.engine.threads, "engine threads (0 = all cores)");
  app.add_option("--backend", s.engine.backend, "auto, cpu or cuda")->capture_default_str();
  app.add_option("--device-id", s.engine.device_id, "CUDA device");
  app.add_option("--precision", s.engine.precision, "auto, fp32 or fp16 (CUDA)")->capture_default_str();
  app.add_option("--tile-size", s.engine.tile_size, "tile core size in input pixels (0 = automatic, -1 = never tile)");
  app.add_option("--work-folder", s.work_folder, "where segments and the job manifest live (default OUTPUT.vsr-work)");
  app.add_option("--segment-seconds", s.segment_seconds, "segment length (cut at the next keyframe)")->capture_default_str();
  app.add_option("--segment", segment, "do share I of N (0-based, e.g. 2/8) of the segments, for one machine of N; "
                                       "a final run without --segment joins them");
  app.add_flag("--streaming", s.streaming, "one pass, no segments and no resume (always so for pipes)");
  app.add_flag("--keep-work", s.keep_work, "keep the work folder after the output is written");
  app.add_option("--scene-threshold", s.scene_threshold, "scene-cut sensitivity in (0,1]: lower finds more cuts")->capture_default_str();
  app.add_flag("--drop-unsupported", s.drop_unsupported, "leave out streams the output container cannot hold (default: error)");
  app.add_flag("--tolerate-errors", s.tolerate_errors, "keep going past damaged input frames; the output is marked partial (exit 3)");
  app.add_option("--fps", s.fps, "frame-rate up-conversion to this rate (50, 60000/1001, ntsc) or multiple of the "
                                 "source's (2x); frames at scene cuts are repeated, not morphed");
  app.add_option("--interpolation", s.interpolation, "how --fps makes frames: an interpolation model (path or "
                                                     "shipped name) or blend")->capture_default_str();
  app.add_option("--interpolation-ensemble", s.interpolation_ensemble,
                 "model passes per made frame, averaged: 1, 2 (frames also swapped) or 4 (also mirrored)")
      ->check(CLI::IsMember({1, 2, 4}))
      ->capture_default_str();
  app.add_option("--progress", progress, "auto (a bar on a terminal), bar, json (lines on stderr) or none")->capture_default_str();
  app.add_option("--input-dir", input_dir, "batch: every video file of this folder ...");
  app.add_option("--output-dir", output_dir, "... into this folder, same names");
  app.add_option("--extension", extension, "batch: output extension (default: the input's)");
  app.add_flag("-v,--verbose", [](int64_t) { av_log_set_level(AV_LOG_INFO); }, "FFmpeg's own messages");
  CLI11_PARSE(app, argc, argv);
  if (app.count("--verbose") == 0) av_log_set_level(AV_LOG_ERROR);

  try {
    s.encoder.options = parse_pairs(encoder_options, "--encoder-option");
    s.muxer_options = parse_pairs(muxer_options, "--mux-option");
    s.input.options = parse_pairs(input_options, "--input-option");
    s.progress = parse_progress_mode(progress);
    if (!segment.empty()) {
      int i = -1, n = 0;
      char slash = 0;
      if (std::sscanf(segment.c_str(), "%d%c%d", &i, &slash, &n) != 3 || slash != '/')
        throw vsr::Error("--segment '" + segment + "': expected I/N, e.g. 0/4");
      s.share = i;
      s.shares = n;
    }
    if (s.scene_threshold <= 0 || s.scene_threshold > 1)
      throw vsr::Error("--scene-threshold " + std::to_string(s.scene_threshold) + ": must be in (0, 1]");
    if (!input_dir.empty() || !output_dir.empty()) {
      if (input_dir.empty() || output_dir.empty()) throw vsr::Error("batch mode needs both --input-dir and --output-dir");
      return run_batch(s, input_dir, output_dir, extension);
    }
    if (input.empty() || output.empty()) throw vsr::Error("name an input and an output (or --input-dir and --output-dir)");
    s.input.path = input;
    s.output = output;
    return report(run_job(s), s.progress);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vsr-transcode: %s\n", e.what());
    return 1;
  }
}
