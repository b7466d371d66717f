#include "segment_join.h"

#include <memory>

#include "output_mux.h"
#include "segment_file.h"
#include "vsr/error.h"

namespace vsr::transcode {

namespace {

// The segment files one after another as a single packet source, each checked to carry the codec
// headers the output is declared with.
class SegmentChain {
 public:
  SegmentChain(const std::vector<std::string>& files, std::vector<uint8_t> extradata)
      : files_(files), extradata_(std::move(extradata)) {
    open(0);
  }
  bool next(AVPacket* packet) {
    while (reader_) {
      if (reader_->next(packet)) return true;
      open(index_ + 1);
    }
    return false;
  }
  AVRational time_base() const { return reader_ ? reader_->time_base() : AVRational{1, 1}; }

 private:
  void open(size_t index) {
    index_ = index;
    reader_.reset();
    if (index >= files_.size()) return;
    reader_ = std::make_unique<SegmentReader>(files_[index]);
    if (reader_->extradata() != extradata_)
      throw Error(files_[index] + ": its codec headers differ from the encoder's (made with other encoder settings "
                  "or another FFmpeg?); delete the work folder and run the job again");
  }

  std::vector<std::string> files_;
  std::vector<uint8_t> extradata_;
  size_t index_ = 0;
  std::unique_ptr<SegmentReader> reader_;
};

int64_t decode_time(const AVPacket* p) { return p->dts != AV_NOPTS_VALUE ? p->dts : p->pts; }

}  // namespace

JoinResult join_segments(const JoinRequest& request) {
  MediaInput input(*request.input);
  OutputMux out(request.output, request.container);
  // The stream is declared with the parameters of an encoder opened as each segment's was (same
  // codec headers, colour tags and aspect); every segment is checked to match them.
  const VideoSetup& setup = *request.video;
  const VideoEncoder reference(setup.codec, setup.encoder, setup.output, setup.global_header);
  AVCodecParameters* par = avcodec_parameters_alloc();
  std::unique_ptr<AVCodecParameters, void (*)(AVCodecParameters*)> par_owner(
      par, [](AVCodecParameters* p) { avcodec_parameters_free(&p); });
  av_check(avcodec_parameters_from_context(par, reference.context()), "encoder parameters");
  SegmentChain segments(request.segment_files, std::vector<uint8_t>(par->extradata, par->extradata + par->extradata_size));
  const VideoStreamShape& shape = setup.output;
  const int video_index = out.add_video(par, shape.time_base, shape.frame_rate, input.video());
  out.add_copies(input.context(), input.video_index(), request.drop_unsupported);
  for (const auto& [key, value] : request.metadata) out.set_metadata(key, value);
  input.video()->discard = AVDISCARD_ALL;
  out.start(request.muxer_options);

  JoinResult result;
  PacketPtr video = make_packet(), other = make_packet();
  bool have_video = segments.next(video.get());
  auto next_other = [&]() {
    while (input.read(other.get())) {
      if (out.copied_index(other->stream_index) >= 0) return true;
      av_packet_unref(other.get());
    }
    return false;
  };
  bool have_other = next_other();
  int64_t last_video_dts = AV_NOPTS_VALUE;
  while (have_video || have_other) {
    const AVRational other_base = have_other ? input.context()->streams[other->stream_index]->time_base : AVRational{1, 1};
    const bool take_video =
        have_video && (!have_other || av_compare_ts(decode_time(video.get()), segments.time_base(),
                                                    decode_time(other.get()), other_base) <= 0);
    if (take_video) {
      // Each segment's encoder starts its decode times as far before its first frame as the
      // reordering delay; identical settings give identical delays, so they follow on from the
      // previous segment. A variable frame rate can make them touch: nudge, never past pts.
      if (last_video_dts != AV_NOPTS_VALUE && video->dts != AV_NOPTS_VALUE && video->dts <= last_video_dts &&
          (video->pts == AV_NOPTS_VALUE || last_video_dts + 1 <= video->pts))
        video->dts = last_video_dts + 1;
      last_video_dts = video->dts;
      out.write(video.get(), video_index, segments.time_base());
      av_packet_unref(video.get());
      ++result.video_packets;
      have_video = segments.next(video.get());
    } else {
      out.write(other.get(), out.copied_index(other->stream_index), other_base);
      av_packet_unref(other.get());
      have_other = next_other();
    }
  }
  out.finish();
  result.streams = out.stream_count();
  result.notes = out.notes();
  return result;
}

}  // namespace vsr::transcode
