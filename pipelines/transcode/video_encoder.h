// The output's video encoder: any encoder FFmpeg has, by name or the container's default, with the
// user's options passed through (unknown ones refused by name), the source's colour tags, aspect and
// time base, so that timestamps go through unchanged (variable frame rate included).
#pragma once
#include <map>
#include <string>

#include "av_check.h"
#include "pixel_formats.h"

namespace vsr::transcode {

struct EncoderSettings {
  std::string name;                               // empty = the container's default video encoder
  std::map<std::string, std::string> options;     // crf=18, preset=slow, x265-params=..., g=48 ...
  std::string pixel_format;                       // empty = the source's, or the encoder's nearest
  int threads = 0;                                // 0 = the encoder's choice
};

struct VideoStreamShape {
  int width = 0;
  int height = 0;
  AVPixelFormat source_format = AV_PIX_FMT_NONE;  // what the decoder gives (the preferred output)
  ColourTags colour;                              // resolved: what the pixels are
  AVRational time_base{1, 25};
  AVRational frame_rate{0, 1};                    // 0/1 = unknown (variable)
  AVRational sample_aspect{0, 1};
};

// The encoder FFmpeg would pick for `container` (a muxer name or a file name with extension).
const AVCodec* default_encoder(const AVOutputFormat* container);
const AVCodec* find_video_encoder(const EncoderSettings& settings, const AVOutputFormat* container);
// The format the encoder will take: settings.pixel_format, else the source's when the encoder takes
// it, else the encoder's nearest to it.
AVPixelFormat encoder_pixel_format(const AVCodec* codec, const EncoderSettings& settings, AVPixelFormat source);

class VideoEncoder {
 public:
  VideoEncoder(const AVCodec* codec, const EncoderSettings& settings, const VideoStreamShape& shape,
               bool global_header);

  AVCodecContext* context() const { return context_.get(); }
  AVPixelFormat pixel_format() const { return context_->pix_fmt; }
  // nullptr = end of stream.
  void send(const AVFrame* frame);
  bool receive(AVPacket* packet);

 private:
  CodecContextPtr context_;
};

}  // namespace vsr::transcode
