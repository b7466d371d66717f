// The video path of a job: decode -> upscale -> encode, from the input's packets to the encoder's
// packets. Used whole for streaming jobs and once per segment for segmented ones.
#pragma once
#include <functional>
#include <vector>

#include "frame_rate_converter.h"
#include "frame_upscaler.h"
#include "media_input.h"
#include "segment_plan.h"
#include "video_encoder.h"

namespace vsr::transcode {

// What a job settles about the video before the first frame: the encoder, the output's shape and the
// colour the pixels are in.
struct VideoSetup {
  const AVCodec* codec = nullptr;
  EncoderSettings encoder;
  VideoStreamShape output;     // the upscaled stream
  bool global_header = false;  // the container wants codec headers out of band (mp4, mkv)
};

// The output of `input`'s video through a model of `scale` into `container`; at `rate` frames per
// second when given (then the encoder's time base is 1/rate), else at the source's timestamps.
VideoSetup plan_video(const MediaInput& input, int scale, const AVOutputFormat* container,
                      const EncoderSettings& encoder, AVRational rate = {0, 1});

struct PipelineOptions {
  int decoder_threads = 0;
  bool tolerate_errors = false;
  double scene_threshold = 0.3;
  // Frame-rate up-conversion (before upscaling) when `interpolation` is set: output at `rate`.
  Interpolator* interpolation = nullptr;
  AVRational rate{0, 1};
};

class VideoPipeline {
 public:
  // Receives each encoded packet, its timestamps in `time_base`.
  using PacketSink = std::function<void(AVPacket* packet, AVRational time_base)>;

  VideoPipeline(const MediaInput& input, Engine& engine, const VideoSetup& setup, const PipelineOptions& options,
                PacketSink sink);

  // Frames outside `segment` are decoded (for the references) but not kept. Default: all frames.
  void keep_only(const Segment& segment) { range_ = segment; }
  // One packet of the video stream.
  void send(const AVPacket* packet);
  // End of input: everything held by the decoder, the model and the encoder comes out.
  void finish();

  // Encoder parameters for the muxer (extradata included once the encoder is open).
  void encoder_parameters(AVCodecParameters* parameters) const;
  AVRational encoder_time_base() const { return encoder_.context()->time_base; }

  int64_t frames_kept() const { return kept_; }       // source frames in the range
  int64_t frames_encoded() const { return encoded_; }  // output frames (more with --fps)
  // Whether the first frame after the kept range has been seen (and checked for a scene cut).
  bool seen_next() const { return seen_next_; }
  // The first frame the decoder gave (source time base), AV_NOPTS_VALUE before any.
  int64_t first_decoded() const { return first_decoded_; }
  int damaged() const { return decoder_.damaged(); }
  // Scene cuts, as timestamps in cut_time_base().
  const std::vector<int64_t>& scene_cuts() const { return upscaler_.scene_cuts(); }
  AVRational cut_time_base() const { return frames_base_; }
  int64_t interpolated() const { return rate_ ? rate_->interpolated() : 0; }
  std::function<void(int64_t)> on_frames;  // called with the number of frames encoded

 private:
  void take_decoded();
  // A source frame to the upscaler, through the frame-rate converter when there is one.
  void upscale(const AVFrame& frame, std::vector<FramePtr>& ready);
  void encode(std::vector<FramePtr>& ready);
  void drain_encoder();

  VideoDecoder decoder_;
  FrameUpscaler upscaler_;
  VideoEncoder encoder_;
  PacketSink sink_;
  AVRational input_time_base_;
  std::unique_ptr<FrameRateConverter> rate_;
  AVRational frames_base_;  // of the frames the upscaler gets: the source's, or 1/rate with --fps
  Segment range_;
  FramePtr decoded_ = make_frame();
  PacketPtr packet_ = make_packet();
  int64_t kept_ = 0;
  int64_t encoded_ = 0;
  bool seen_next_ = false;
  int64_t first_decoded_ = AV_NOPTS_VALUE;
};

}  // namespace vsr::transcode
