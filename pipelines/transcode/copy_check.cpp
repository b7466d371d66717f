#include "copy_check.h"

#include "vsr/error.h"

namespace vsr::transcode {

CopyCheck::CopyCheck(const AVFormatContext* input, std::string name, bool tolerate)
    : input_(input), name_(std::move(name)), tolerate_(tolerate) {
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    const AVCodecParameters* par = input->streams[i]->codecpar;
    if (par->codec_type != AVMEDIA_TYPE_AUDIO) continue;
    const AVCodec* codec = avcodec_find_decoder(par->codec_id);
    if (!codec) continue;  // copied unchecked: nothing here can read it
    CodecContextPtr c(avcodec_alloc_context3(codec));
    if (!c || avcodec_parameters_to_context(c.get(), par) < 0) continue;
    c->pkt_timebase = input->streams[i]->time_base;
    // Report damage instead of concealing it.
    c->err_recognition = AV_EF_CRCCHECK | AV_EF_BITSTREAM | AV_EF_EXPLODE;
    if (avcodec_open2(c.get(), codec, nullptr) < 0) continue;
    decoders_[static_cast<int>(i)] = std::move(c);
  }
}

void CopyCheck::check(const AVPacket& packet) {
  auto it = decoders_.find(packet.stream_index);
  if (it == decoders_.end()) return;
  AVCodecContext* c = it->second.get();
  int r = avcodec_send_packet(c, &packet);
  while (r >= 0) {
    r = avcodec_receive_frame(c, frame_.get());
    av_frame_unref(frame_.get());
  }
  if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
  const AVStream* s = input_->streams[packet.stream_index];
  if (!tolerate_)
    throw Error(name_ + ": stream " + std::to_string(packet.stream_index) + " (audio, " +
                avcodec_get_name(s->codecpar->codec_id) + "): damaged packet at " + seconds_text(packet.pts, s->time_base) +
                " (" + av_error_text(r) + "); --tolerate-errors copies it anyway and marks the output partial");
  ++damaged_;
  avcodec_flush_buffers(c);
}

}  // namespace vsr::transcode
