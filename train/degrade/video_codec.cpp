#include "video_codec.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "vsr/error.h"

namespace vsr::degrade {

namespace {

struct CodecFree {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
using Codec = std::unique_ptr<AVCodecContext, CodecFree>;
using Frame = std::unique_ptr<AVFrame, FrameFree>;
using Packet = std::unique_ptr<AVPacket, PacketFree>;

void check(int r, const char* what) {
  if (r < 0) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(r, text, sizeof text);
    throw Error(std::string("h264 degradation: ") + what + ": " + text);
  }
}

uint8_t to8(float v) { return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); }

// BT.601 limited-range 4:2:0 of `image` moved by (dx, dy) (edges replicated), padded to even sizes.
Frame to_yuv(const FloatImage& image, int width, int height, int dx, int dy) {
  Frame f(av_frame_alloc());
  f->format = AV_PIX_FMT_YUV420P;
  f->width = width;
  f->height = height;
  check(av_frame_get_buffer(f.get(), 0), "frame");
  auto rgb = [&](int c, int y, int x) {
    return image.at(c, std::clamp(y - dy, 0, image.height - 1), std::clamp(x - dx, 0, image.width - 1));
  };
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const float r = rgb(0, y, x), g = rgb(1, y, x), b = rgb(2, y, x);
      f->data[0][y * f->linesize[0] + x] = to8((16.0f + 65.481f * r + 128.553f * g + 24.966f * b) / 255.0f);
    }
  for (int y = 0; y < height / 2; ++y)
    for (int x = 0; x < width / 2; ++x) {
      float r = 0, g = 0, b = 0;
      for (int k = 0; k < 4; ++k) {
        r += rgb(0, 2 * y + k / 2, 2 * x + k % 2) / 4;
        g += rgb(1, 2 * y + k / 2, 2 * x + k % 2) / 4;
        b += rgb(2, 2 * y + k / 2, 2 * x + k % 2) / 4;
      }
      f->data[1][y * f->linesize[1] + x] = to8((128.0f - 37.797f * r - 74.203f * g + 112.0f * b) / 255.0f);
      f->data[2][y * f->linesize[2] + x] = to8((128.0f + 112.0f * r - 93.786f * g - 18.214f * b) / 255.0f);
    }
  return f;
}

FloatImage to_rgb(const AVFrame& f, int width, int height) {
  FloatImage out = FloatImage::zeros(3, height, width);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const float Y = (f.data[0][y * f.linesize[0] + x] - 16.0f) * (255.0f / 219.0f) / 255.0f;
      const float U = (f.data[1][(y / 2) * f.linesize[1] + x / 2] - 128.0f) * (255.0f / 224.0f) / 255.0f;
      const float V = (f.data[2][(y / 2) * f.linesize[2] + x / 2] - 128.0f) * (255.0f / 224.0f) / 255.0f;
      // 8-bit RGB, as a decoded and converted frame would be stored.
      out.at(0, y, x) = to8(Y + 1.402f * V) / 255.0f;
      out.at(1, y, x) = to8(Y - 0.344136f * U - 0.714136f * V) / 255.0f;
      out.at(2, y, x) = to8(Y + 1.772f * U) / 255.0f;
    }
  return out;
}

}  // namespace

FloatImage h264(const FloatImage& image, int crf, const std::string& preset, int shift_x, int shift_y) {
  if (image.channels != 3) throw Error("h264 degradation: needs an RGB image");
  if (crf < 0 || crf > 51) throw Error("h264 degradation: crf " + std::to_string(crf) + " is not 0-51");
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  const AVCodec* decoder = avcodec_find_decoder(AV_CODEC_ID_H264);
  if (!codec || !decoder) throw Error("h264 degradation: FFmpeg has no libx264 encoder or H.264 decoder");
  // x264 wants even sizes for 4:2:0 and at least one macroblock.
  const int width = std::max(16, (image.width + 1) / 2 * 2), height = std::max(16, (image.height + 1) / 2 * 2);

  Codec enc(avcodec_alloc_context3(codec));
  enc->width = width;
  enc->height = height;
  enc->pix_fmt = AV_PIX_FMT_YUV420P;
  enc->time_base = {1, 25};
  enc->gop_size = 2;
  enc->max_b_frames = 0;
  enc->thread_count = 1;
  av_opt_set(enc->priv_data, "preset", preset.c_str(), 0);
  av_opt_set(enc->priv_data, "crf", std::to_string(crf).c_str(), 0);
  // x264 reports its statistics for every encode; a training run makes thousands of them. "log" is
  // the x264_param_parse name of the log level (-1 = none).
  av_opt_set(enc->priv_data, "x264-params", "log=-1", 0);
  check(avcodec_open2(enc.get(), codec, nullptr), "cannot open libx264");
  Codec dec(avcodec_alloc_context3(decoder));
  dec->thread_count = 1;
  check(avcodec_open2(dec.get(), decoder, nullptr), "cannot open the H.264 decoder");

  Packet packet(av_packet_alloc());
  Frame decoded(av_frame_alloc());
  FloatImage result;
  int frames_out = 0;
  auto drain = [&] {
    for (;;) {
      const int r = avcodec_receive_packet(enc.get(), packet.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      check(r, "encode");
      check(avcodec_send_packet(dec.get(), packet.get()), "decode");
      av_packet_unref(packet.get());
      while (avcodec_receive_frame(dec.get(), decoded.get()) >= 0) {
        if (++frames_out == 2) result = to_rgb(*decoded, image.width, image.height);
        av_frame_unref(decoded.get());
      }
    }
  };
  for (int i = 0; i < 2; ++i) {
    Frame f = to_yuv(image, width, height, i == 0 ? shift_x : 0, i == 0 ? shift_y : 0);
    f->pts = i;
    check(avcodec_send_frame(enc.get(), f.get()), "encode");
    drain();
  }
  check(avcodec_send_frame(enc.get(), nullptr), "flush");
  drain();
  check(avcodec_send_packet(dec.get(), nullptr), "flush");
  while (avcodec_receive_frame(dec.get(), decoded.get()) >= 0) {
    if (++frames_out == 2) result = to_rgb(*decoded, image.width, image.height);
    av_frame_unref(decoded.get());
  }
  if (frames_out < 2) throw Error("h264 degradation: the decoder gave " + std::to_string(frames_out) + " of 2 frames");
  return result;
}

}  // namespace vsr::degrade
