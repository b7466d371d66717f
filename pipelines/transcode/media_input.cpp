#include "media_input.h"

#include <algorithm>
#include <cstring>

#include "vsr/error.h"

namespace vsr::transcode {

// Bytes in memory as a seekable file for libavformat (InputSettings::data).
struct MemorySource {
  const uint8_t* data;
  size_t size;
  size_t position = 0;

  static int read(void* opaque, uint8_t* out, int capacity) {
    auto* m = static_cast<MemorySource*>(opaque);
    const size_t n = std::min(static_cast<size_t>(capacity), m->size - m->position);
    if (n == 0) return AVERROR_EOF;
    std::memcpy(out, m->data + m->position, n);
    m->position += n;
    return static_cast<int>(n);
  }
  static int64_t seek(void* opaque, int64_t offset, int whence) {
    auto* m = static_cast<MemorySource*>(opaque);
    if (whence & AVSEEK_SIZE) return static_cast<int64_t>(m->size);
    int64_t base = 0;
    switch (whence & ~AVSEEK_FORCE) {
      case SEEK_SET: base = 0; break;
      case SEEK_CUR: base = static_cast<int64_t>(m->position); break;
      case SEEK_END: base = static_cast<int64_t>(m->size); break;
      default: return AVERROR(EINVAL);
    }
    // Offsets come from the file being read: checked before adding, a damaged one cannot overflow.
    if (offset < -base || offset > static_cast<int64_t>(m->size) - base) return AVERROR(EINVAL);
    m->position = static_cast<size_t>(base + offset);
    return static_cast<int64_t>(m->position);
  }
};

void MediaInput::IoContextDeleter::operator()(AVIOContext* io) const {
  av_freep(&io->buffer);  // libavformat may have replaced the buffer it was given: free the current one
  avio_context_free(&io);
}

MediaInput::~MediaInput() = default;

MediaInput::MediaInput(const InputSettings& settings)
    : name_(settings.data ? (settings.path.empty() ? "memory input" : settings.path)
                          : settings.path == "-" ? "standard input" : settings.path) {
  const AVInputFormat* format = nullptr;
  if (!settings.format.empty()) {
    format = av_find_input_format(settings.format.c_str());
    if (!format) throw Error(name_ + ": unknown input format '" + settings.format + "'");
  }
  OptionDictionary options(settings.options);
  AVFormatContext* raw = nullptr;
  std::string url = settings.path == "-" ? "pipe:0" : settings.path;
  if (settings.data) {
    constexpr int kBufferSize = 32768;
    memory_ = std::make_unique<MemorySource>(MemorySource{settings.data, settings.size});
    auto* buffer = static_cast<uint8_t*>(av_malloc(kBufferSize));
    if (buffer) io_.reset(avio_alloc_context(buffer, kBufferSize, 0, memory_.get(), MemorySource::read, nullptr, MemorySource::seek));
    if (!io_) {
      av_free(buffer);
      throw Error("out of memory opening " + name_);
    }
    raw = avformat_alloc_context();
    if (!raw) throw Error("out of memory opening " + name_);
    raw->pb = io_.get();
    raw->flags |= AVFMT_FLAG_CUSTOM_IO;
    url.clear();  // nothing to open: the demuxer reads through pb
  }
  // On failure avformat_open_input frees the context it was given (never our pb).
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
