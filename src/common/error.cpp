#include "dynemo/error.h"

namespace dynemo {

const char* to_string(AudioErrorKind kind) {
  switch (kind) {
    case AudioErrorKind::missing:
      return "missing";
    case AudioErrorKind::empty:
      return "empty";
    case AudioErrorKind::truncated:
      return "truncated";
    case AudioErrorKind::corrupt:
      return "corrupt";
    case AudioErrorKind::not_audio:
      return "not_audio";
    case AudioErrorKind::unsupported_format:
      return "unsupported_format";
    case AudioErrorKind::no_channels:
      return "no_channels";
    case AudioErrorKind::bad_sample_rate:
      return "bad_sample_rate";
    case AudioErrorKind::non_finite:
      return "non_finite";
    case AudioErrorKind::too_short:
      return "too_short";
    case AudioErrorKind::bad_range:
      return "bad_range";
    case AudioErrorKind::out_of_range:
      return "out_of_range";
  }
  return "unknown";
}

AudioError::AudioError(AudioErrorKind kind, const std::string& source, const std::string& detail)
    : Error(source + ": " + detail), kind_(kind), source_(source) {}

}  // namespace dynemo
