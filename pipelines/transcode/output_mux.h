// The output file: the upscaled video stream plus a copy of every other stream of the input (audio,
// subtitles, attachments, other video such as cover art), its chapters and metadata. Written under a
// temporary name and renamed only when the trailer is written, so an interrupted or failed job never
// leaves a file that looks complete. "-" writes to standard output (then there is no rename).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "av_check.h"

namespace vsr::transcode {

// The muxer for `path` ("out.mkv" -> matroska) or for the name `format` when given.
const AVOutputFormat* output_format_for(const std::string& path, const std::string& format);
// Containers that hold one raw video stream (y4m, rawvideo): other streams are left out, saying so.
bool video_only_container(const AVOutputFormat* format);

class OutputMux {
 public:
  OutputMux(const std::string& path, const AVOutputFormat* format);
  ~OutputMux();  // without finish(): the temporary file is removed
  OutputMux(const OutputMux&) = delete;
  OutputMux& operator=(const OutputMux&) = delete;

  const AVOutputFormat* format() const { return context_->oformat; }
  bool needs_global_header() const { return context_->oformat->flags & AVFMT_GLOBALHEADER; }

  // The upscaled stream; `source` lends its metadata and disposition. Returns the output index.
  int add_video(const AVCodecParameters* parameters, AVRational time_base, AVRational frame_rate,
                const AVStream* source);
  // Every stream of `input` but `skip` as a copy, plus chapters and global metadata. A stream the
  // container cannot hold is an error naming it, unless `drop_unsupported` (then a note on stderr).
  void add_copies(const AVFormatContext* input, int skip, bool drop_unsupported);
  // A global metadata entry (after add_copies, which copies the input's).
  void set_metadata(const std::string& key, const std::string& value);
  // Output index of input stream i (-1 = not copied).
  int copied_index(int input_index) const;

  // Writes the header; `options` go to the muxer (movflags=+faststart ...), unknown ones refused.
  void start(const std::map<std::string, std::string>& options = {});
  // Writes a packet whose timestamps are in `time_base` to output stream `index`.
  void write(AVPacket* packet, int index, AVRational time_base);
  // Trailer, close, rename to the final name.
  void finish();

  std::vector<std::string> notes() const { return notes_; }
  int stream_count() const { return static_cast<int>(context_->nb_streams); }

 private:
  std::string path_;
  std::string temporary_path_;
  AVFormatContext* context_ = nullptr;
  std::vector<int> copy_map_;
  std::vector<std::string> notes_;
  bool finished_ = false;
};

}  // namespace vsr::transcode
