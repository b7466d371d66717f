// FFmpeg's C API returns negative error codes and hands out objects that must be freed with their own
// functions. This turns the codes into vsr::Error messages that say what was being done, and wraps
// the objects in unique_ptr so that an exception on any frame frees them.
#pragma once
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
}

#include <map>
#include <memory>
#include <string>

namespace vsr::transcode {

// "Invalid data found when processing input" for AVERROR_INVALIDDATA, and so on.
std::string av_error_text(int code);
// Throws vsr::Error("<what>: <FFmpeg's text>") when code < 0; returns code otherwise.
int av_check(int code, const std::string& what);

struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct InputContextDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using InputContextPtr = std::unique_ptr<AVFormatContext, InputContextDeleter>;

FramePtr make_frame();
PacketPtr make_packet();

// Options for FFmpeg's open/write-header calls, which take away the ones they used: what is left
// afterwards was not understood, and is reported by name rather than ignored.
class OptionDictionary {
 public:
  explicit OptionDictionary(const std::map<std::string, std::string>& options);
  ~OptionDictionary() { av_dict_free(&dictionary_); }
  OptionDictionary(const OptionDictionary&) = delete;
  OptionDictionary& operator=(const OptionDictionary&) = delete;
  AVDictionary** get() { return &dictionary_; }
  // "crf, foo" after the call: the options nobody took ("" when all were used).
  std::string unused() const;

 private:
  AVDictionary* dictionary_ = nullptr;
};

// A timestamp in seconds for messages ("at 12.480 s"); "unknown" for AV_NOPTS_VALUE.
std::string seconds_text(int64_t ts, AVRational time_base);

}  // namespace vsr::transcode
