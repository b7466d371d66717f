// What a call that must fail says: the message of the vsr::Error it throws, or "" when it throws none
// (a test then checks that the message names the setting, file or parameter at fault).
#pragma once
#include <functional>
#include <string>

#include "vsr/error.h"

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const vsr::Error& e) {
    return e.what();
  }
  return "";
}
