// libmpg123 (under libsndfile's MP3 decoding) prints its diagnostics straight to stderr
// ("[src/libmpg123/layer3.c:...] error: dequantization failed!", "Note: Trying to resync...")
// unless its handle has the MPG123_QUIET flag, and libsndfile does not set it. dynemo reports
// what such a file does to the decoding itself (truncated, corrupt: decode.cpp), naming the
// file, so the library's own lines are silenced: this definition of mpg123_new, in the program
// that links dynemo, is the one libsndfile's call resolves to (the executable comes first in
// the dynamic linker's search); it creates the handle with libmpg123's own function and sets
// the flag. In a shared object loaded with local symbols (the Python module) libsndfile's call
// goes to libmpg123 directly and the lines stay.
#include <dlfcn.h>

#include "audio/sound-file.h"

namespace {

// From mpg123.h (libmpg123 1.x ABI): enum mpg123_parms MPG123_ADD_FLAGS, enum
// mpg123_param_flags MPG123_QUIET.
constexpr int kMpg123AddFlags = 2;
constexpr long kMpg123Quiet = 0x20;

}  // namespace

extern "C" {

struct mpg123_handle_struct;

mpg123_handle_struct* mpg123_new(const char* decoder, int* error) {
  using New = mpg123_handle_struct* (*)(const char*, int*);
  using Param2 = int (*)(mpg123_handle_struct*, int, long, double);
  static const auto real_new = reinterpret_cast<New>(dlsym(RTLD_NEXT, "mpg123_new"));
  static const auto param2 = reinterpret_cast<Param2>(dlsym(RTLD_NEXT, "mpg123_param2"));
  if (real_new == nullptr) {
    if (error) *error = -1;  // MPG123_ERR
    return nullptr;
  }
  mpg123_handle_struct* handle = real_new(decoder, error);
  if (handle != nullptr && param2 != nullptr) param2(handle, kMpg123AddFlags, kMpg123Quiet, 0.0);
  return handle;
}

}  // extern "C"

namespace dynemo::audio_detail {

// Referenced from SoundFile's constructor so that a static link keeps this file.
void keep_mpg123_quiet() {}

}  // namespace dynemo::audio_detail
