// The file one segment's encoded video is kept in until the join: the encoder's packets exactly as
// it gave them (pts, dts, duration, flags, bytes) and its codec headers. No container is used:
// NUT and Matroska drop or round the decode timestamps of the first packets, which the join needs
// to chain segments whose encoders reorder frames. Written under a temporary name and renamed when
// complete; a file without its end record is refused as damaged.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "av_check.h"

namespace vsr::transcode {

class SegmentWriter {
 public:
  SegmentWriter(const std::string& path, AVRational time_base, const AVCodecParameters& parameters);
  ~SegmentWriter();  // without finish(): the temporary file is removed
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  void write(const AVPacket& packet);
  void finish();

 private:
  void put(const void* bytes, size_t size);
  std::string path_, temporary_;
  std::FILE* file_ = nullptr;
  int64_t packets_ = 0;
};

class SegmentReader {
 public:
  explicit SegmentReader(const std::string& path);
  ~SegmentReader();
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;

  AVRational time_base() const { return time_base_; }
  const std::vector<uint8_t>& extradata() const { return extradata_; }
  // The next packet; false after the last. Throws on a damaged or truncated file.
  bool next(AVPacket* packet);

 private:
  void get(void* bytes, size_t size);
  std::string path_;
  std::FILE* file_ = nullptr;
  AVRational time_base_{1, 1};
  std::vector<uint8_t> extradata_;
  int64_t packets_ = 0;
};

}  // namespace vsr::transcode
