#include "segment_file.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "vsr/error.h"

namespace vsr::transcode {

namespace {

constexpr char kMagic[8] = {'V', 'S', 'R', 'S', 'E', 'G', '1', '\n'};
constexpr int32_t kEndRecord = -1;

// A packet's fixed fields. Stored in the machine's byte order: the segments of one job are joined
// on machines of one architecture (the x86-64 and arm64 that vsr targets are both little-endian).
struct Record {
  int64_t pts, dts, duration;
  int32_t flags, size;
};

}  // namespace

SegmentWriter::SegmentWriter(const std::string& path, AVRational time_base, const AVCodecParameters& parameters)
    : path_(path), temporary_(path + ".partial") {
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (!file_) throw Error(temporary_ + ": cannot write: " + std::strerror(errno));
  put(kMagic, sizeof kMagic);
  const int32_t header[3] = {time_base.num, time_base.den, parameters.extradata_size};
  put(header, sizeof header);
  put(parameters.extradata, static_cast<size_t>(parameters.extradata_size));
}

SegmentWriter::~SegmentWriter() {
  if (file_) {
    std::fclose(file_);
    std::remove(temporary_.c_str());
  }
}

void SegmentWriter::put(const void* bytes, size_t size) {
  if (size && std::fwrite(bytes, 1, size, file_) != size)
    throw Error(temporary_ + ": write failed: " + std::strerror(errno));
}

void SegmentWriter::write(const AVPacket& packet) {
  const Record r{packet.pts, packet.dts, packet.duration, packet.flags, packet.size};
  put(&r, sizeof r);
  put(packet.data, static_cast<size_t>(packet.size));
  ++packets_;
}

void SegmentWriter::finish() {
  const Record end{packets_, 0, 0, 0, kEndRecord};
  put(&end, sizeof end);
  const bool flushed = std::fflush(file_) == 0 && fsync(fileno(file_)) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    std::remove(temporary_.c_str());
    throw Error(temporary_ + ": write failed: " + std::strerror(errno));
  }
  std::error_code ec;
  std::filesystem::rename(temporary_, path_, ec);
  if (ec) throw Error(path_ + ": cannot rename the finished segment: " + ec.message());
}

SegmentReader::SegmentReader(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw Error(path + ": cannot read: " + std::strerror(errno));
  char magic[sizeof kMagic];
  get(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) throw Error(path + ": not a vsr-transcode segment file");
  int32_t header[3];
  get(header, sizeof header);
  if (header[1] <= 0 || header[2] < 0 || header[2] > (1 << 24)) throw Error(path + ": damaged segment header");
  time_base_ = {header[0], header[1]};
  extradata_.resize(header[2]);
  get(extradata_.data(), extradata_.size());
}

SegmentReader::~SegmentReader() {
  if (file_) std::fclose(file_);
}

void SegmentReader::get(void* bytes, size_t size) {
  if (size && std::fread(bytes, 1, size, file_) != size)
    throw Error(path_ + ": truncated segment file; delete it and run the job again to redo that segment");
}

bool SegmentReader::next(AVPacket* packet) {
  Record r;
  get(&r, sizeof r);
  if (r.size == kEndRecord) {
    if (r.pts != packets_) throw Error(path_ + ": damaged segment file (packet count differs from its end record)");
    return false;
  }
  if (r.size < 0 || r.size > (1 << 30)) throw Error(path_ + ": damaged segment file (packet size " + std::to_string(r.size) + ")");
  av_check(av_new_packet(packet, r.size), path_ + ": packet");
  get(packet->data, static_cast<size_t>(r.size));
  packet->pts = r.pts;
  packet->dts = r.dts;
  packet->duration = r.duration;
  packet->flags = r.flags;
  ++packets_;
  return true;
}

}  // namespace vsr::transcode
