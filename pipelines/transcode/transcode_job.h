// One transcoding job: an input file (or pipe) upscaled into an output file (or pipe), every other
// stream copied. Seekable inputs written to files are done in keyframe-aligned segments recorded in
// a work folder, so that a job resumes where it stopped and can be split across machines
// (--segment i/n); pipes and raw-video outputs stream in one pass.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "media_input.h"
#include "progress.h"
#include "video_encoder.h"
#include "vsr/engine.h"
#include "vsr/model_zoo.h"

namespace vsr::transcode {

struct JobSettings {
  InputSettings input;
  std::string output;                              // a file, or "-" for standard output
  std::string output_format;                       // muxer name; empty = from the extension
  std::map<std::string, std::string> muxer_options;
  std::string model = kDefaultModel;
  EngineOptions engine;
  EncoderSettings encoder;
  std::string work_folder;                         // empty = OUTPUT.vsr-work
  double segment_seconds = 10;
  int share = 0, shares = 1;                       // --segment share/shares
  bool streaming = false;                          // one pass, no work folder (forced for pipes)
  bool keep_work = false;
  double scene_threshold = 0.3;
  bool drop_unsupported = false;
  bool tolerate_errors = false;
  int decoder_threads = 0;
  ProgressMode progress = ProgressMode::Auto;
  // Frame-rate up-conversion: "" (off), a rate ("50", "60000/1001", "ntsc") or a multiple of the
  // source's ("2x"); frames made by `interpolation` ("blend", or an interpolation model).
  std::string fps;
  std::string interpolation = "blend";
  int interpolation_ensemble = 1;  // model passes per made frame (vsr::Interpolator::set_ensemble)
};

struct JobSummary {
  std::string input, output;
  std::string mode;                 // "segmented" | "streaming"
  bool output_written = false;      // false for a share of a split job
  bool partial = false;             // damaged input frames were kept (--tolerate-errors)
  int64_t frames = 0;               // frames upscaled by this run
  int64_t interpolated = 0;         // of which made by frame interpolation (--fps)
  std::string frame_rate;           // of the output, "num/den" ("" = the source's timestamps)
  int64_t frames_total = 0;         // frames of the whole job
  int segments = 0, segments_encoded = 0, segments_reused = 0;
  int damaged_frames = 0;
  std::vector<double> scene_cuts_s;
  int streams = 0;
  std::vector<std::string> notes;
  double seconds = 0;
  int input_width = 0, input_height = 0, output_width = 0, output_height = 0;
  std::string encoder, pixel_format;

  nlohmann::json to_json() const;
  std::string to_text() const;
};

// Throws vsr::Error naming what was wrong; the output file is never left behind half-written.
JobSummary run_job(const JobSettings& settings);

}  // namespace vsr::transcode
