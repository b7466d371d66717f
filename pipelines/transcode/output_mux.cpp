#include "output_mux.h"

#include <cstdio>
#include <filesystem>

#include "vsr/error.h"

namespace vsr::transcode {

const AVOutputFormat* output_format_for(const std::string& path, const std::string& format) {
  if (!format.empty()) {
    const AVOutputFormat* f = av_guess_format(format.c_str(), nullptr, nullptr);
    if (!f) throw Error("unknown output format '" + format + "'");
    return f;
  }
  if (path == "-") return av_guess_format("yuv4mpegpipe", nullptr, nullptr);
  const AVOutputFormat* f = av_guess_format(nullptr, path.c_str(), nullptr);
  if (!f) throw Error(path + ": no container for this extension; name one with --format");
  return f;
}

bool video_only_container(const AVOutputFormat* format) {
  const std::string name = format->name;
  return name == "yuv4mpegpipe" || name == "rawvideo";
}

OutputMux::OutputMux(const std::string& path, const AVOutputFormat* format) : path_(path) {
  av_check(avformat_alloc_output_context2(&context_, format, nullptr, path == "-" ? nullptr : path.c_str()),
           path + ": cannot make an output");
  // No random identifiers or library versions in the file: the same job gives the same bytes, which
  // lets a resumed job be checked against an uninterrupted one.
  context_->flags |= AVFMT_FLAG_BITEXACT;
  temporary_path_ = path == "-" ? "pipe:1" : path + ".partial";
}

OutputMux::~OutputMux() {
  if (!finished_ && context_ && context_->pb && path_ != "-") {
    avio_closep(&context_->pb);
    std::remove(temporary_path_.c_str());
  }
  if (context_ && context_->pb && path_ == "-") avio_closep(&context_->pb);
  avformat_free_context(context_);
}

int OutputMux::add_video(const AVCodecParameters* parameters, AVRational time_base, AVRational frame_rate,
                         const AVStream* source) {
  AVStream* s = avformat_new_stream(context_, nullptr);
  if (!s) throw Error(path_ + ": cannot add the video stream");
  av_check(avcodec_parameters_copy(s->codecpar, parameters), path_ + ": video parameters");
  s->codecpar->codec_tag = 0;
  s->time_base = time_base;
  s->avg_frame_rate = frame_rate;
  s->sample_aspect_ratio = parameters->sample_aspect_ratio;
  if (source) {
    av_dict_copy(&s->metadata, source->metadata, 0);
    s->disposition = source->disposition;
  }
  return s->index;
}

void OutputMux::add_copies(const AVFormatContext* input, int skip, bool drop_unsupported) {
  copy_map_.assign(input->nb_streams, -1);
  const bool video_only = video_only_container(context_->oformat);
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    if (static_cast<int>(i) == skip) continue;
    const AVStream* in = input->streams[i];
    const AVCodecParameters* par = in->codecpar;
    const std::string what = "stream " + std::to_string(i) + " (" +
                             av_get_media_type_string(par->codec_type) + ", " + avcodec_get_name(par->codec_id) + ")";
    if (video_only) {
      notes_.push_back("left out " + what + ": the " + context_->oformat->name + " container holds video only");
      continue;
    }
    if (par->codec_id == AV_CODEC_ID_NONE) {
      notes_.push_back("left out " + what + ": no codec to copy (e.g. a QuickTime timecode track)");
      continue;
    }
    // Attachments (fonts for ASS subtitles ...) have no codec tags to query: Matroska holds them,
    // the other containers do not.
    const bool holds = par->codec_type == AVMEDIA_TYPE_ATTACHMENT
                           ? std::string(context_->oformat->name).find("matroska") != std::string::npos
                           : avformat_query_codec(context_->oformat, par->codec_id, FF_COMPLIANCE_NORMAL) != 0;
    if (!holds) {
      const std::string message = "the " + std::string(context_->oformat->name) + " container cannot hold " + what;
      if (!drop_unsupported)
        throw Error(path_ + ": " + message + "; write .mkv, or pass --drop-unsupported to leave it out");
      notes_.push_back("left out " + what + ": " + message);
      continue;
    }
    AVStream* s = avformat_new_stream(context_, nullptr);
    if (!s) throw Error(path_ + ": cannot add " + what);
    av_check(avcodec_parameters_copy(s->codecpar, par), path_ + ": parameters of " + what);
    s->codecpar->codec_tag = 0;
    s->time_base = in->time_base;
    s->sample_aspect_ratio = in->sample_aspect_ratio;
    s->avg_frame_rate = in->avg_frame_rate;
    s->disposition = in->disposition;
    av_dict_copy(&s->metadata, in->metadata, 0);
    copy_map_[i] = s->index;
  }
  if (video_only) return;
  av_dict_copy(&context_->metadata, input->metadata, 0);
  for (unsigned c = 0; c < input->nb_chapters; ++c) {
    const AVChapter* in = input->chapters[c];
    AVChapter* out = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
    if (!out) throw Error("out of memory copying chapters");
    out->id = in->id;
    out->time_base = in->time_base;
    out->start = in->start;
    out->end = in->end;
    av_dict_copy(&out->metadata, in->metadata, 0);
    av_dynarray_add(&context_->chapters, reinterpret_cast<int*>(&context_->nb_chapters), out);
  }
}

void OutputMux::set_metadata(const std::string& key, const std::string& value) {
  av_dict_set(&context_->metadata, key.c_str(), value.c_str(), 0);
}

int OutputMux::copied_index(int input_index) const {
  return input_index >= 0 && input_index < static_cast<int>(copy_map_.size()) ? copy_map_[input_index] : -1;
}

void OutputMux::start(const std::map<std::string, std::string>& options) {
  if (!(context_->oformat->flags & AVFMT_NOFILE))
    av_check(avio_open(&context_->pb, temporary_path_.c_str(), AVIO_FLAG_WRITE),
             (path_ == "-" ? std::string("standard output") : temporary_path_) + ": cannot write");
  OptionDictionary dictionary(options);
  av_check(avformat_write_header(context_, dictionary.get()), path_ + ": cannot write the header");
  if (const std::string unknown = dictionary.unused(); !unknown.empty()) throw Error(path_ + ": the " + context_->oformat->name + " muxer does not know option(s) " + unknown);
}

void OutputMux::write(AVPacket* packet, int index, AVRational time_base) {
  av_packet_rescale_ts(packet, time_base, context_->streams[index]->time_base);
  packet->stream_index = index;
  packet->pos = -1;
  av_check(av_interleaved_write_frame(context_, packet), path_ + ": write failed");
}

void OutputMux::finish() {
  av_check(av_write_trailer(context_), path_ + ": cannot finish the file");
  if (context_->pb) {
    avio_flush(context_->pb);
    const int error = context_->pb->error;
    avio_closep(&context_->pb);
    if (error < 0) av_check(error, path_ + ": write failed");
  }
  if (path_ != "-") {
    std::error_code ec;
    std::filesystem::rename(temporary_path_, path_, ec);
    if (ec) throw Error(path_ + ": cannot rename " + temporary_path_ + " to it: " + ec.message());
  }
  finished_ = true;
}

}  // namespace vsr::transcode
