// libjpeg reports errors through a callback that must not return: this one formats the message and
// jumps back to the caller's setjmp(manager.jump), which then throws. Shared by the JPEG degradation
// (jpeg.cpp) and the trainer's JPEG reader (train/jpeg_file.cpp).
#pragma once
#include <cstdio>  // before jpeglib.h, which needs FILE
#include <jpeglib.h>

#include <csetjmp>

namespace vsr::degrade {

struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

inline void jump_on_jpeg_error(j_common_ptr info) {
  auto* err = reinterpret_cast<JpegErrorManager*>(info->err);
  info->err->format_message(info, err->message);
  std::longjmp(err->jump, 1);
}

// The error manager for a (de)compress struct's `err` field.
inline jpeg_error_mgr* jpeg_errors(JpegErrorManager& manager) {
  jpeg_error_mgr* err = jpeg_std_error(&manager.base);
  err->error_exit = jump_on_jpeg_error;
  return err;
}

}  // namespace vsr::degrade
