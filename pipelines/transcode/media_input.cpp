#include "media_input.h"

#include "vsr/error.h"

namespace vsr::transcode {

MediaInput::MediaInput(const InputSettings& settings) : name_(settings.path == "-" ? "standard input" : settings.path) {
  const AVInputFormat* format = nullptr;
  if (!settings.format.empty()) {
    format = av_find_input_format(settings.format.c_str());
    if (!format) throw Error(name_ + ": unknown input format '" + settings.format + "'");
  }
  OptionDictionary options(settings.options);
  AVFormatContext* raw = nullptr;
  const std::string url = settings.path == "-" ? "pipe:0" : settings.path;
  av_check(avformat_open_input(&raw, url.c_str(), format, options.get()), name_ + ": cannot open");
  context_.reset(raw);
  if (const std::string unused = options.unused(); !unused.empty()) throw Error(name_ + ": the demuxer does not know option(s) " + unused);
  av_check(avformat_find_stream_info(raw, nullptr), name_ + ": cannot read the stream parameters");

  // The first real video stream is upscaled; cover art (a one-picture "video" stream) is copied.
  for (unsigned i = 0; i < raw->nb_streams; ++i) {
    const AVStream* s = raw->streams[i];
    if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !(s->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
      video_index_ = static_cast<int>(i);
      break;
    }
  }
  if (video_index_ < 0) throw Error(name_ + ": no video stream");
  const AVCodecParameters* par = video()->codecpar;
  if (par->width <= 0 || par->height <= 0)
    throw Error(name_ + ": video stream " + std::to_string(video_index_) + " has no frame size");
}

bool MediaInput::seekable() const { return context_->pb && (context_->pb->seekable & AVIO_SEEKABLE_NORMAL); }

bool MediaInput::read(AVPacket* packet) {
  const int r = av_read_frame(context_.get(), packet);
  if (r == AVERROR_EOF) return false;
  av_check(r, name_ + ": read error");
  return true;
}

void MediaInput::seek_video(int64_t pts) {
  av_check(av_seek_frame(context_.get(), video_index_, pts, AVSEEK_FLAG_BACKWARD),
           name_ + ": cannot seek to " + seconds_text(pts, video()->time_base));
}

VideoDecoder::VideoDecoder(const MediaInput& input, int threads, bool tolerate)
    : name_(input.name()), time_base_(input.video()->time_base), tolerate_(tolerate) {
  const AVCodecParameters* par = input.video()->codecpar;
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (!codec)
    throw Error(name_ + ": video stream " + std::to_string(input.video_index()) + ": no decoder for codec '" +
                avcodec_get_name(par->codec_id) + "'");
  context_.reset(avcodec_alloc_context3(codec));
  if (!context_) throw Error("out of memory opening the " + std::string(codec->name) + " decoder");
  av_check(avcodec_parameters_to_context(context_.get(), par), name_ + ": bad video parameters");
  context_->pkt_timebase = time_base_;
  context_->thread_count = threads;
  av_check(avcodec_open2(context_.get(), codec, nullptr), name_ + ": cannot open the " + codec->name + " decoder");
}

void VideoDecoder::send(const AVPacket* packet) {
  const int r = avcodec_send_packet(context_.get(), packet);
  if (r >= 0 || r == AVERROR_EOF) return;
  if (tolerate_ && r == AVERROR_INVALIDDATA) {
    ++damaged_;
    return;
  }
  av_check(r, name_ + ": damaged video packet at " + seconds_text(packet ? packet->pts : AV_NOPTS_VALUE, time_base_));
}

bool VideoDecoder::receive(AVFrame* frame) {
  for (;;) {
    const int r = avcodec_receive_frame(context_.get(), frame);
    if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return false;
    if (r == AVERROR_INVALIDDATA && tolerate_) {
      ++damaged_;
      continue;
    }
    av_check(r, name_ + ": video decoding failed");
    if ((frame->flags & AV_FRAME_FLAG_CORRUPT) || frame->decode_error_flags) {
      if (!tolerate_)
        throw Error(name_ + ": the video frame at " + seconds_text(frame->best_effort_timestamp, time_base_) +
                    " is damaged (decoder error flags " + std::to_string(frame->decode_error_flags) +
                    "); --tolerate-errors keeps such frames and marks the output partial");
      ++damaged_;
    }
    return true;
  }
}

void VideoDecoder::flush() { avcodec_flush_buffers(context_.get()); }

}  // namespace vsr::transcode
