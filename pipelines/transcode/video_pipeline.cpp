#include "video_pipeline.h"

#include "vsr/error.h"

namespace vsr::transcode {

VideoSetup plan_video(const MediaInput& input, int scale, const AVOutputFormat* container,
                      const EncoderSettings& encoder, AVRational rate) {
  const AVStream* video = input.video();
  const AVCodecParameters* par = video->codecpar;
  VideoSetup setup;
  setup.encoder = encoder;
  setup.codec = find_video_encoder(encoder, container);
  VideoStreamShape& out = setup.output;
  out.width = par->width * scale;
  out.height = par->height * scale;
  out.source_format = static_cast<AVPixelFormat>(par->format);
  if (out.source_format == AV_PIX_FMT_NONE)
    throw Error(input.name() + ": the video stream's pixel format is unknown (the decoder could not read it)");
  ColourTags tags;
  tags.matrix = par->color_space;
  tags.range = par->color_range;
  tags.primaries = par->color_primaries;
  tags.transfer = par->color_trc;
  out.colour = resolve_colour(tags, out.source_format, par->height);
  out.time_base = video->time_base;
  out.frame_rate = video->avg_frame_rate.num > 0 ? video->avg_frame_rate : video->r_frame_rate;
  // Both sides scale by the same factor: the pixel aspect stays and so does the display aspect.
  out.sample_aspect = video->sample_aspect_ratio.num > 0 ? video->sample_aspect_ratio : par->sample_aspect_ratio;
  if (rate.num > 0) {
    out.frame_rate = rate;
    out.time_base = av_inv_q(rate);
  }
  setup.global_header = container->flags & AVFMT_GLOBALHEADER;
  return setup;
}

VideoPipeline::VideoPipeline(const MediaInput& input, Engine& engine, const VideoSetup& setup,
                             const PipelineOptions& options, PacketSink sink)
    : decoder_(input, options.decoder_threads, options.tolerate_errors),
      upscaler_(engine, setup.output.colour,
                encoder_pixel_format(setup.codec, setup.encoder, setup.output.source_format),
                options.scene_threshold),
      encoder_(setup.codec, setup.encoder, setup.output, setup.global_header),
      sink_(std::move(sink)),
      input_time_base_(input.video()->time_base),
      frames_base_(input.video()->time_base) {
  if (options.interpolation) {
    rate_ = std::make_unique<FrameRateConverter>(*options.interpolation, options.rate, input.video()->time_base,
                                                 setup.output.colour, options.scene_threshold);
    frames_base_ = av_inv_q(options.rate);
  }
}

void VideoPipeline::upscale(const AVFrame& frame, std::vector<FramePtr>& ready) {
  if (!rate_) {
    upscaler_.push(frame, ready);
    return;
  }
  std::vector<FramePtr> timed;
  rate_->push(frame, timed);
  for (const FramePtr& f : timed) upscaler_.push(*f, ready);
}

void VideoPipeline::send(const AVPacket* packet) {
  decoder_.send(packet);
  take_decoded();
}

void VideoPipeline::take_decoded() {
  std::vector<FramePtr> ready;
  while (decoder_.receive(decoded_.get())) {
    const int64_t pts = decoded_->best_effort_timestamp;
    if (first_decoded_ == AV_NOPTS_VALUE) first_decoded_ = pts;
    if (range_.contains(pts)) {  // AV_NOPTS_VALUE is INT64_MIN: kept by the first segment
      upscale(*decoded_, ready);
      ++kept_;
    } else if (pts != AV_NOPTS_VALUE && pts >= range_.end && !seen_next_) {
      if (rate_) {
        std::vector<FramePtr> timed;
        rate_->finish_before(*decoded_, timed);
        for (const FramePtr& f : timed) upscaler_.push(*f, ready);
        decoded_->best_effort_timestamp = av_rescale_q(pts, input_time_base_, frames_base_);
      }
      upscaler_.observe(*decoded_);
      seen_next_ = true;
    }
    av_frame_unref(decoded_.get());
    encode(ready);
  }
}

void VideoPipeline::encode(std::vector<FramePtr>& ready) {
  const AVRational encoder_base = encoder_.context()->time_base;
  for (FramePtr& frame : ready) {
    if (av_cmp_q(encoder_base, frames_base_) != 0 && frame->pts != AV_NOPTS_VALUE)
      frame->pts = av_rescale_q(frame->pts, frames_base_, encoder_base);
    encoder_.send(frame.get());
    drain_encoder();
    ++encoded_;
  }
  if (!ready.empty() && on_frames) on_frames(static_cast<int64_t>(ready.size()));
  ready.clear();
}

void VideoPipeline::drain_encoder() {
  while (encoder_.receive(packet_.get())) {
    sink_(packet_.get(), encoder_.context()->time_base);
    av_packet_unref(packet_.get());
  }
}

void VideoPipeline::finish() {
  decoder_.send(nullptr);
  take_decoded();
  std::vector<FramePtr> ready;
  if (rate_ && !seen_next_) {
    std::vector<FramePtr> timed;
    rate_->finish(timed);
    for (const FramePtr& f : timed) upscaler_.push(*f, ready);
  }
  upscaler_.drain(ready);
  encode(ready);
  encoder_.send(nullptr);
  drain_encoder();
}

void VideoPipeline::encoder_parameters(AVCodecParameters* parameters) const {
  av_check(avcodec_parameters_from_context(parameters, encoder_.context()), "encoder parameters");
}

}  // namespace vsr::transcode
