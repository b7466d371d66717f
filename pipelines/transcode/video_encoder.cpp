#include "video_encoder.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "vsr/error.h"

namespace vsr::transcode {

const AVCodec* default_encoder(const AVOutputFormat* container) {
  const AVCodecID id = av_guess_codec(container, nullptr, nullptr, nullptr, AVMEDIA_TYPE_VIDEO);
  const AVCodec* codec = avcodec_find_encoder(id);
  if (!codec)
    throw Error(std::string("no encoder for the ") + container->name + " container's default video codec (" +
                avcodec_get_name(id) + "); name one with --encoder");
  return codec;
}

const AVCodec* find_video_encoder(const EncoderSettings& settings, const AVOutputFormat* container) {
  if (settings.name.empty()) return default_encoder(container);
  const AVCodec* codec = avcodec_find_encoder_by_name(settings.name.c_str());
  if (!codec) throw Error("unknown encoder '" + settings.name + "' (`ffmpeg -encoders` lists those FFmpeg has)");
  if (codec->type != AVMEDIA_TYPE_VIDEO) throw Error("encoder '" + settings.name + "' is not a video encoder");
  return codec;
}

AVPixelFormat encoder_pixel_format(const AVCodec* codec, const EncoderSettings& settings, AVPixelFormat source) {
  const AVPixelFormat* accepted = codec->pix_fmts;
  auto takes = [&](AVPixelFormat f) {
    if (!accepted) return true;
    for (const AVPixelFormat* p = accepted; *p != AV_PIX_FMT_NONE; ++p)
      if (*p == f) return true;
    return false;
  };
  if (!settings.pixel_format.empty()) {
    const AVPixelFormat wanted = av_get_pix_fmt(settings.pixel_format.c_str());
    if (wanted == AV_PIX_FMT_NONE) throw Error("unknown pixel format '" + settings.pixel_format + "'");
    if (!takes(wanted)) throw Error("encoder " + std::string(codec->name) + " does not take pixel format " + settings.pixel_format);
    return wanted;
  }
  if (takes(source)) return source;
  return avcodec_find_best_pix_fmt_of_list(accepted, source, 0, nullptr);
}

VideoEncoder::VideoEncoder(const AVCodec* codec, const EncoderSettings& settings, const VideoStreamShape& shape,
                           bool global_header) {
  context_.reset(avcodec_alloc_context3(codec));
  if (!context_) throw Error("out of memory opening the " + std::string(codec->name) + " encoder");
  AVCodecContext* c = context_.get();
  c->width = shape.width;
  c->height = shape.height;
  c->pix_fmt = encoder_pixel_format(codec, settings, shape.source_format);
  // The source's time base: every frame keeps its own timestamp (variable frame rate stays as it
  // was). frame_rate only guides rate control.
  c->time_base = shape.time_base;
  if (shape.frame_rate.num > 0) c->framerate = shape.frame_rate;
  c->sample_aspect_ratio = shape.sample_aspect;
  c->color_range = shape.colour.range;
  c->colorspace = shape.colour.matrix;
  c->color_primaries = shape.colour.primaries;
  c->color_trc = shape.colour.transfer;
  c->thread_count = settings.threads;
  if (global_header) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

  OptionDictionary options(settings.options);
  av_check(avcodec_open2(c, codec, options.get()), "cannot open encoder " + std::string(codec->name) + " for " + std::to_string(shape.width) + "x" +
                       std::to_string(shape.height) + " " + format_name(c->pix_fmt));
  if (const std::string unknown = options.unused(); !unknown.empty()) throw Error("encoder " + std::string(codec->name) + " does not know option(s) " + unknown);
}

void VideoEncoder::send(const AVFrame* frame) {
  av_check(avcodec_send_frame(context_.get(), frame), std::string("encoder ") + context_->codec->name);
}

bool VideoEncoder::receive(AVPacket* packet) {
  const int r = avcodec_receive_packet(context_.get(), packet);
  if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return false;
  av_check(r, std::string("encoder ") + context_->codec->name);
  return true;
}

}  // namespace vsr::transcode
