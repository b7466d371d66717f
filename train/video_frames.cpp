#include "video_frames.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <memory>

#include "vsr/error.h"

namespace vsr::train {
namespace {

// Owners of the FFmpeg objects, so every early throw frees them.
struct FormatCloser {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct CodecFreer {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFreer {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFreer {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct ScalerFreer {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};

std::string av_error(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

}  // namespace

std::vector<Image8> decode_video_frames(const std::string& path) {
  AVFormatContext* raw_format = nullptr;
  if (int rc = avformat_open_input(&raw_format, path.c_str(), nullptr, nullptr); rc < 0)
    throw Error("cannot open video '" + path + "': " + av_error(rc));
  std::unique_ptr<AVFormatContext, FormatCloser> format(raw_format);
  if (int rc = avformat_find_stream_info(format.get(), nullptr); rc < 0)
    throw Error("video '" + path + "': no stream information: " + av_error(rc));
  const AVCodec* codec = nullptr;
  const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (stream < 0 || !codec) throw Error("video '" + path + "' has no decodable video stream");
  std::unique_ptr<AVCodecContext, CodecFreer> decoder(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(decoder.get(), format->streams[stream]->codecpar);
  if (int rc = avcodec_open2(decoder.get(), codec, nullptr); rc < 0)
    throw Error("video '" + path + "': cannot open the decoder: " + av_error(rc));

  std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
  std::unique_ptr<AVFrame, FrameFreer> frame(av_frame_alloc());
  std::unique_ptr<SwsContext, ScalerFreer> scaler;
  std::vector<Image8> frames;
  auto take_frames = [&] {
    while (avcodec_receive_frame(decoder.get(), frame.get()) == 0) {
      const int w = frame->width, h = frame->height;
      // Bicubic, as the ffmpeg command line converts when it writes the evaluation PNGs.
      scaler.reset(sws_getCachedContext(scaler.release(), w, h, static_cast<AVPixelFormat>(frame->format), w, h,
                                        AV_PIX_FMT_RGB24, SWS_BICUBIC, nullptr, nullptr, nullptr));
      if (!scaler) throw Error("video '" + path + "': no conversion to RGB");
      Image8 img{w, h, 3, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
      uint8_t* dst[4] = {img.pixels.data(), nullptr, nullptr, nullptr};
      int dst_stride[4] = {3 * w, 0, 0, 0};
      sws_scale(scaler.get(), frame->data, frame->linesize, 0, h, dst, dst_stride);
      frames.push_back(std::move(img));
      av_frame_unref(frame.get());
    }
  };
  while (av_read_frame(format.get(), packet.get()) >= 0) {
    if (packet->stream_index == stream && avcodec_send_packet(decoder.get(), packet.get()) >= 0) take_frames();
    av_packet_unref(packet.get());
  }
  avcodec_send_packet(decoder.get(), nullptr);  // drain the frames the decoder still holds
  take_frames();
  if (frames.empty()) throw Error("video '" + path + "' decoded to no frames");
  return frames;
}

}  // namespace vsr::train
