#include "transcode_job.h"

extern "C" {
#include <libavutil/parseutils.h>
}

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "copy_check.h"
#include "output_mux.h"
#include "segment_file.h"
#include "segment_join.h"
#include "segment_plan.h"
#include "video_pipeline.h"
#include "vsr/error.h"
#include "vsr/model_zoo.h"

namespace vsr::transcode {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string segment_file(const std::string& folder, int index) {
  char name[32];
  std::snprintf(name, sizeof name, "segment-%05d.vsrseg", index);
  return (fs::path(folder) / name).string();
}

// What a segment's sidecar records, so that a resumed job can report on segments made earlier.
struct SegmentFacts {
  int64_t frames = 0;        // encoded
  int64_t interpolated = 0;  // of which interpolated
  int damaged = 0;
  std::vector<double> cuts_s;
};

void write_json_atomically(const std::string& path, const json& j) {
  const std::string temporary = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream f(temporary);
    f << j.dump(1) << "\n";
    if (!f) throw Error(temporary + ": cannot write");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw Error(path + ": cannot write: " + ec.message());
}

json read_json(const std::string& path) {
  std::ifstream f(path);
  try {
    return json::parse(f);
  } catch (const json::exception& e) {
    throw Error(path + ": damaged (" + e.what() + "); delete the work folder to start the job over");
  }
}

json file_identity(const std::string& path) {
  std::error_code ec;
  const auto bytes = fs::file_size(path, ec);
  const auto modified = fs::last_write_time(path, ec).time_since_epoch().count();
  return {{"path", fs::absolute(path).lexically_normal().string()}, {"bytes", ec ? 0 : bytes}, {"modified", modified}};
}

// Everything that changes the bytes of a segment: a work folder made with other values is refused
// rather than mixed in.
json job_identity(const JobSettings& s, const std::string& model_path, const AVOutputFormat* container) {
  return {{"input", file_identity(s.input.path)},
          {"input_format", s.input.format},
          {"input_options", s.input.options},
          {"model", file_identity(model_path)},
          {"container", container->name},
          {"encoder", s.encoder.name},
          {"encoder_options", s.encoder.options},
          {"pixel_format", s.encoder.pixel_format},
          {"segment_seconds", s.segment_seconds},
          {"scene_threshold", s.scene_threshold},
          {"fps", s.fps},
          {"interpolation", s.fps.empty() ? std::string() : s.interpolation},
          {"interpolation_ensemble", s.fps.empty() ? 1 : s.interpolation_ensemble},
          {"tolerate_errors", s.tolerate_errors},
          {"engine",
           {{"colour", s.engine.colour}, {"range", s.engine.range}, {"tile_size", s.engine.tile_size},
            {"tile_overlap", s.engine.tile_overlap}, {"backend", s.engine.backend}, {"precision", s.engine.precision}}}};
}

std::string differing_keys(const json& a, const json& b) {
  std::string keys;
  for (const auto& [key, value] : a.items())
    if (!b.contains(key) || b.at(key) != value) keys += (keys.empty() ? "" : ", ") + key;
  return keys.empty() ? "settings" : keys;
}

// What a job settles before its first frame, shared by its segments.
struct JobPlan {
  VideoSetup video;
  PipelineOptions pipeline;
  std::unique_ptr<Interpolator> interpolation;
};

AVRational parse_rate(const std::string& text, const AVStream* video) {
  if (!text.empty() && text.back() == 'x') {
    const int multiple = std::atoi(text.c_str());
    const AVRational source = video->avg_frame_rate.num > 0 ? video->avg_frame_rate : video->r_frame_rate;
    if (multiple < 1 || source.num <= 0)
      throw Error("--fps " + text + ": needs a whole multiple and a source with a known frame rate");
    return av_mul_q(source, {multiple, 1});
  }
  AVRational rate{0, 1};
  if (av_parse_video_rate(&rate, text.c_str()) < 0 || rate.num <= 0)
    throw Error("--fps '" + text + "': not a frame rate (50, 60000/1001, ntsc, 2x ...)");
  return rate;
}

JobPlan plan_job(const JobSettings& s, const MediaInput& input, int scale, const AVOutputFormat* container) {
  JobPlan plan;
  plan.pipeline.decoder_threads = s.decoder_threads;
  plan.pipeline.tolerate_errors = s.tolerate_errors;
  plan.pipeline.scene_threshold = s.scene_threshold;
  AVRational rate{0, 1};
  if (!s.fps.empty()) {
    rate = parse_rate(s.fps, input.video());
    plan.interpolation = Interpolator::open(s.interpolation, s.engine);
    plan.interpolation->set_ensemble(s.interpolation_ensemble);
    plan.pipeline.interpolation = plan.interpolation.get();
    plan.pipeline.rate = rate;
  }
  plan.video = plan_video(input, scale, container, s.encoder, rate);
  return plan;
}

std::string label_of(const JobSettings& s) { return "vsr-transcode " + fs::path(s.input.path).filename().string(); }

// One segment, decoded from its keyframe, into its own segment file.
SegmentFacts encode_segment(const JobSettings& s, Engine& engine, const JobPlan& job, const Segment& segment,
                            const std::string& path, Progress& progress) {
  // Attempt 0 seeks to the segment's keyframe; if the demuxer lands after it (an inexact index),
  // attempt 1 decodes from the start of the file instead: slower, never wrong.
  for (int attempt = 0; attempt < 2; ++attempt) {
    MediaInput input(s.input);
    const bool seek = attempt == 0 && segment.start != INT64_MIN;
    if (seek) input.seek_video(segment.start);
    engine.reset();
    std::unique_ptr<SegmentWriter> part;
    VideoPipeline pipeline(input, engine, job.video, job.pipeline,
                           [&part](AVPacket* p, AVRational) { part->write(*p); });
    pipeline.keep_only(segment);
    pipeline.on_frames = [&progress](int64_t n) { progress.add_frames(n); };
    AVCodecParameters* par = avcodec_parameters_alloc();
    pipeline.encoder_parameters(par);
    part = std::make_unique<SegmentWriter>(path, pipeline.encoder_time_base(), *par);
    avcodec_parameters_free(&par);

    bool landed_late = false;
    PacketPtr packet = make_packet();
    // Read on past the last frame to the first of the next segment: a scene cut between the two is
    // found here (the next segment starts without a previous frame).
    auto more = [&] { return pipeline.frames_kept() < segment.frames || (segment.end != INT64_MAX && !pipeline.seen_next()); };
    while (more() && input.read(packet.get())) {
      if (packet->stream_index == input.video_index()) pipeline.send(packet.get());
      av_packet_unref(packet.get());
      if (seek && pipeline.first_decoded() != AV_NOPTS_VALUE && pipeline.first_decoded() > segment.start) {
        landed_late = true;
        break;
      }
    }
    if (landed_late) continue;
    pipeline.finish();
    SegmentFacts facts;
    facts.frames = pipeline.frames_encoded();
    facts.interpolated = pipeline.interpolated();
    facts.damaged = pipeline.damaged();
    for (int64_t cut : pipeline.scene_cuts()) facts.cuts_s.push_back(cut * av_q2d(pipeline.cut_time_base()));
    if (pipeline.frames_kept() < segment.frames) {
      if (!s.tolerate_errors)
        throw Error(input.name() + ": segment " + std::to_string(segment.index) + " (from " +
                    seconds_text(segment.start == INT64_MIN ? 0 : segment.start, input.video()->time_base) +
                    "): the decoder gave " + std::to_string(pipeline.frames_kept()) + " of the " + std::to_string(segment.frames) +
                    " frames the container lists (damaged or truncated input; --tolerate-errors keeps what decodes)");
      facts.damaged += static_cast<int>(segment.frames - pipeline.frames_kept());
    }
    write_json_atomically(path + ".json", {{"frames", facts.frames}, {"interpolated", facts.interpolated},
                                           {"damaged", facts.damaged}, {"cuts_s", facts.cuts_s}});
    part->finish();  // the rename that marks the segment done
    return facts;
  }
  throw Error(s.input.path + ": cannot seek to segment " + std::to_string(segment.index));
}

int check_copied_audio(const InputSettings& settings, bool tolerate) {
  MediaInput input(settings);
  CopyCheck check(input.context(), input.name(), tolerate);
  PacketPtr packet = make_packet();
  while (input.read(packet.get())) {
    if (packet->stream_index != input.video_index()) check.check(*packet);
    av_packet_unref(packet.get());
  }
  return check.damaged();
}

void add_facts(JobSummary& summary, const SegmentFacts& facts) {
  summary.damaged_frames += facts.damaged;
  summary.scene_cuts_s.insert(summary.scene_cuts_s.end(), facts.cuts_s.begin(), facts.cuts_s.end());
}

void run_segmented(const JobSettings& s, Engine& engine, MediaInput& input, const std::string& model_path,
                   const AVOutputFormat* container, JobSummary& summary) {
  summary.mode = "segmented";
  const std::string folder = s.work_folder.empty() ? s.output + ".vsr-work" : s.work_folder;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw Error(folder + ": cannot make the work folder: " + ec.message());
  const std::string manifest_path = (fs::path(folder) / "job.json").string();
  const json identity = job_identity(s, model_path, container);
  SegmentPlan plan;
  if (fs::exists(manifest_path)) {
    const json manifest = read_json(manifest_path);
    if (manifest.value("job", json()) != identity)
      throw Error(folder + ": holds a job with a different " + differing_keys(identity, manifest.value("job", json())) +
                  "; delete it to start over, or name another --work-folder");
    plan = plan_from_json(manifest.at("plan"));
  } else {
    plan = plan_segments(input, s.segment_seconds);
    write_json_atomically(manifest_path, {{"vsr_transcode_job", 1}, {"job", identity}, {"plan", to_json(plan)}});
  }
  const JobPlan job = plan_job(s, input, engine.info().scale, container);
  summary.segments = static_cast<int>(plan.segments.size());
  if (s.shares == 1) {
    // The copied audio is checked before any video work: a damaged file fails in seconds, not after
    // hours of upscaling, and with --tolerate-errors the count can still mark the output's header.
    const int damaged = check_copied_audio(s.input, s.tolerate_errors);
    if (damaged > 0) {
      summary.damaged_frames += damaged;
      summary.notes.push_back(std::to_string(damaged) + " damaged audio packet(s) copied as they were");
    }
  }
  summary.frames_total = plan.frames;
  const auto [first, last] = share_range(summary.segments, s.share, s.shares);

  int64_t to_do = 0;
  for (int k = first; k < last; ++k)
    if (!fs::exists(segment_file(folder, k))) to_do += plan.segments[k].frames;
  Progress progress(s.progress, label_of(s), to_do);
  for (int k = first; k < last; ++k) {
    const std::string path = segment_file(folder, k);
    if (fs::exists(path)) {
      const json j = read_json(path + ".json");
      add_facts(summary, {j.at("frames"), j.at("interpolated"), j.at("damaged"), j.at("cuts_s").get<std::vector<double>>()});
      ++summary.segments_reused;
      continue;
    }
    progress.set_stage("segment " + std::to_string(k + 1) + "/" + std::to_string(summary.segments));
    const SegmentFacts facts = encode_segment(s, engine, job, plan.segments[k], path, progress);
    summary.frames += facts.frames;
    summary.interpolated += facts.interpolated;
    add_facts(summary, facts);
    ++summary.segments_encoded;
  }
  if (s.shares > 1) {
    summary.notes.push_back("share " + std::to_string(s.share) + "/" + std::to_string(s.shares) + " (segments " +
                            std::to_string(first) + " to " + std::to_string(last - 1) +
                            ") done; when every share is, run the job once more without --segment to join them");
    return;
  }

  JoinRequest join;
  join.input = &s.input;
  join.output = s.output;
  join.container = container;
  join.video = &job.video;
  join.muxer_options = s.muxer_options;
  join.drop_unsupported = s.drop_unsupported;
  for (int k = 0; k < summary.segments; ++k) join.segment_files.push_back(segment_file(folder, k));
  if (summary.damaged_frames > 0) {
    summary.partial = true;
    join.metadata["vsr_partial"] = std::to_string(summary.damaged_frames) + " damaged input frame(s) or packet(s) kept or missing";
  }
  progress.set_stage("joining");
  const JoinResult joined = join_segments(join);
  summary.streams = joined.streams;
  summary.notes.insert(summary.notes.end(), joined.notes.begin(), joined.notes.end());
  summary.output_written = true;
  if (!s.keep_work) fs::remove_all(folder, ec);
}

void run_streaming(const JobSettings& s, Engine& engine, MediaInput& input, const AVOutputFormat* container,
                   JobSummary& summary) {
  summary.mode = "streaming";
  JobPlan job = plan_job(s, input, engine.info().scale, container);
  VideoSetup& setup = job.video;
  if (video_only_container(container) && setup.output.frame_rate.num > 0) {
    // y4m and raw video have no timestamps: their frame rate is the time base.
    setup.output.time_base = av_inv_q(setup.output.frame_rate);
  }
  const int64_t estimate = input.video()->nb_frames;
  summary.frames_total = estimate;
  Progress progress(s.progress, label_of(s), estimate);
  OutputMux out(s.output, container);
  int video_index = -1;
  VideoPipeline pipeline(input, engine, setup, job.pipeline,
                         [&](AVPacket* p, AVRational tb) { out.write(p, video_index, tb); });
  pipeline.on_frames = [&progress](int64_t n) { progress.add_frames(n); };
  AVCodecParameters* par = avcodec_parameters_alloc();
  pipeline.encoder_parameters(par);
  video_index = out.add_video(par, pipeline.encoder_time_base(), setup.output.frame_rate, input.video());
  avcodec_parameters_free(&par);
  out.add_copies(input.context(), input.video_index(), s.drop_unsupported);
  out.start(s.muxer_options);
  CopyCheck copy_check(input.context(), input.name(), s.tolerate_errors);
  PacketPtr packet = make_packet();
  while (input.read(packet.get())) {
    if (packet->stream_index == input.video_index()) {
      pipeline.send(packet.get());
    } else if (const int copy = out.copied_index(packet->stream_index); copy >= 0) {
      copy_check.check(*packet);
      out.write(packet.get(), copy, input.context()->streams[packet->stream_index]->time_base);
    }
    av_packet_unref(packet.get());
  }
  pipeline.finish();
  out.finish();
  summary.frames = pipeline.frames_encoded();
  summary.interpolated = pipeline.interpolated();
  summary.frames_total = summary.frames;
  summary.damaged_frames = pipeline.damaged() + copy_check.damaged();
  summary.partial = summary.damaged_frames > 0;
  for (int64_t cut : pipeline.scene_cuts()) summary.scene_cuts_s.push_back(cut * av_q2d(pipeline.cut_time_base()));
  summary.streams = out.stream_count();
  summary.notes = out.notes();
  summary.output_written = true;
}

}  // namespace

JobSummary run_job(const JobSettings& s) {
  const auto start = std::chrono::steady_clock::now();
  JobSummary summary;
  summary.input = s.input.path;
  summary.output = s.output;
  const AVOutputFormat* container = output_format_for(s.output, s.output_format);
  if (s.output != "-") {
    const fs::path folder = fs::absolute(s.output).parent_path();
    if (!fs::is_directory(folder)) throw Error(s.output + ": the folder " + folder.string() + " does not exist");
    if (access(folder.c_str(), W_OK) != 0) throw Error(s.output + ": the folder " + folder.string() + " is not writable");
    if (fs::exists(s.input.path) && fs::equivalent(s.input.path, s.output))
      throw Error(s.output + ": is the input; write the output somewhere else");
  }
  const std::string model_path = resolve_model(s.model);
  auto engine = Engine::open(model_path, s.engine);
  if (engine->info().input_width > 0)
    throw Error(model_path + ": takes only " + std::to_string(engine->info().input_width) + "x" +
                std::to_string(engine->info().input_height) + " frames; vsr-transcode needs a model of any size");
  MediaInput input(s.input);
  const AVCodecParameters* par = input.video()->codecpar;
  summary.input_width = par->width;
  summary.input_height = par->height;
  summary.output_width = par->width * engine->info().scale;
  summary.output_height = par->height * engine->info().scale;
  const VideoSetup setup = plan_video(input, engine->info().scale, container, s.encoder);
  if (!s.fps.empty()) {
    const AVRational rate = parse_rate(s.fps, input.video());
    summary.frame_rate = std::to_string(rate.num) + "/" + std::to_string(rate.den);
  }
  summary.encoder = setup.codec->name;
  summary.pixel_format = format_name(encoder_pixel_format(setup.codec, s.encoder, setup.output.source_format));

  const bool streaming = s.streaming || s.output == "-" || !input.seekable() || video_only_container(container);
  if (streaming && s.shares > 1)
    throw Error("--segment needs a seekable input file and a file output in a container that takes segments");
  if (streaming)
    run_streaming(s, *engine, input, container, summary);
  else
    run_segmented(s, *engine, input, model_path, container, summary);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

json JobSummary::to_json() const {
  return {{"input", input}, {"output", output}, {"mode", mode}, {"output_written", output_written},
          {"partial", partial}, {"frames", frames}, {"frames_total", frames_total}, {"segments", segments},
          {"segments_encoded", segments_encoded}, {"segments_reused", segments_reused},
          {"damaged_frames", damaged_frames}, {"interpolated", interpolated}, {"frame_rate", frame_rate}, {"scene_cuts_s", scene_cuts_s}, {"streams", streams}, {"notes", notes},
          {"seconds", seconds}, {"fps", seconds > 0 ? frames / seconds : 0},
          {"input_size", {input_width, input_height}}, {"output_size", {output_width, output_height}},
          {"encoder", encoder}, {"pixel_format", pixel_format}};
}

std::string JobSummary::to_text() const {
  std::ostringstream t;
  t << "vsr-transcode: " << input << " -> " << output << " (" << mode;
  if (mode == "segmented")
    t << ", " << segments << " segments: " << segments_encoded << " encoded, " << segments_reused << " reused";
  t << ")\n  video: " << input_width << "x" << input_height << " -> " << output_width << "x" << output_height << " "
    << pixel_format << " with " << encoder << "; " << frames << " frames upscaled in " << seconds << " s";
  if (seconds > 0) t << " (" << frames / seconds << " fps)";
  if (!frame_rate.empty()) t << "\n  frame rate: " << frame_rate << ", " << interpolated << " frames interpolated";
  t << "\n  scene cuts: " << scene_cuts_s.size();
  if (output_written) t << "; streams in the output: " << streams;
  if (damaged_frames > 0) t << "\n  PARTIAL: " << damaged_frames << " damaged input frame(s) or packet(s) kept or missing";
  for (const std::string& n : notes) t << "\n  note: " << n;
  return t.str();
}

}  // namespace vsr::transcode
