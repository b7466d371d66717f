#include "av_check.h"

#include <cstdio>

#include "vsr/error.h"

namespace vsr::transcode {

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

int av_check(int code, const std::string& what) {
  if (code < 0) throw Error(what + ": " + av_error_text(code));
  return code;
}

FramePtr make_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw Error("out of memory allocating a frame");
  return f;
}

PacketPtr make_packet() {
  PacketPtr p(av_packet_alloc());
  if (!p) throw Error("out of memory allocating a packet");
  return p;
}

OptionDictionary::OptionDictionary(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) av_dict_set(&dictionary_, key.c_str(), value.c_str(), 0);
}

std::string OptionDictionary::unused() const {
  std::string keys;
  for (const AVDictionaryEntry* e = nullptr; (e = av_dict_get(dictionary_, "", e, AV_DICT_IGNORE_SUFFIX));)
    keys += (keys.empty() ? "" : ", ") + std::string(e->key);
  return keys;
}

std::string seconds_text(int64_t ts, AVRational time_base) {
  if (ts == AV_NOPTS_VALUE) return "unknown time";
  char text[64];
  std::snprintf(text, sizeof text, "%.3f s", ts * av_q2d(time_base));
  return text;
}

}  // namespace vsr::transcode
