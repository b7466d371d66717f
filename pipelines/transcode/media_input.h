// An input file or pipe opened with libavformat, with its main video stream chosen and its video
// decoder. Errors name the file and, for frames, their time.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "av_check.h"

namespace vsr::transcode {

struct InputSettings {
  std::string path;                               // a file, or "-" for standard input
  std::string format;                             // demuxer name; empty = probed
  std::map<std::string, std::string> options;     // demuxer options (video_size, pixel_format ...)
  // When `data` is set the input is these `size` bytes, read through a custom AVIOContext (seekable),
  // not `path`, which then only names the input in messages. Not copied: they must outlive the input.
  const uint8_t* data = nullptr;
  size_t size = 0;
};

struct MemorySource;

class MediaInput {
 public:
  explicit MediaInput(const InputSettings& settings);
  ~MediaInput();
  MediaInput(const MediaInput&) = delete;
  MediaInput& operator=(const MediaInput&) = delete;

  AVFormatContext* context() const { return context_.get(); }
  AVStream* video() const { return context_->streams[video_index_]; }
  int video_index() const { return video_index_; }
  const std::string& name() const { return name_; }
  bool seekable() const;

  // The next packet of any stream; false at the end. A read error other than the end throws,
  // naming the file.
  bool read(AVPacket* packet);
  // Moves to the last keyframe at or before `pts` (in the video stream's time base).
  void seek_video(int64_t pts);

 private:
  struct IoContextDeleter {
    void operator()(AVIOContext* io) const;
  };
  std::string name_;
  // Declared before context_, so destroyed after it: the demuxer reads through them to the end.
  std::unique_ptr<MemorySource> memory_;
  std::unique_ptr<AVIOContext, IoContextDeleter> io_;
  InputContextPtr context_;
  int video_index_ = -1;
};

// Decoding of the main video stream. Damaged packets and frames the decoder flags as corrupt are
// errors unless `tolerate` (then counted in damaged()).
class VideoDecoder {
 public:
  VideoDecoder(const MediaInput& input, int threads, bool tolerate);

  // Feeds one packet of the video stream (nullptr = end of stream).
  void send(const AVPacket* packet);
  // The next decoded frame, if one is ready.
  bool receive(AVFrame* frame);
  // Forgets everything after a seek.
  void flush();
  AVCodecContext* context() const { return context_.get(); }
  int damaged() const { return damaged_; }

 private:
  std::string name_;
  AVRational time_base_;
  CodecContextPtr context_;
  bool tolerate_;
  int damaged_ = 0;
};

}  // namespace vsr::transcode
