// The C API (dynemo/dynemo_c.h) over Predictor and Stream: exceptions become status codes and a
// thread-local message.
#include "dynemo/dynemo_c.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>

#include "dynemo/error.h"
#include "dynemo/predict.h"
#include "dynemo/stream.h"
#include "dynemo/version.h"

struct dynemo_model {
  dynemo::Predictor predictor;
  explicit dynemo_model(const std::string& path) : predictor(path) {}
};

struct dynemo_stream {
  dynemo::Stream stream;
  bool failed = false;
  dynemo_stream(dynemo::Predictor& p, const dynemo::StreamFormat& f) : stream(p, f) {}
};

namespace {

thread_local std::string last_error;

dynemo_status fail(dynemo_status status, const std::string& message) {
  last_error = message;
  return status;
}

// Runs f, turning every exception into a status and a message.
template <typename F>
dynemo_status guarded(F&& f) {
  try {
    last_error.clear();
    f();
    return DYNEMO_OK;
  } catch (const dynemo::AudioError& e) {  // a file that cannot be opened is an I/O failure
    const bool missing = e.kind() == dynemo::AudioErrorKind::missing;
    return fail(missing ? DYNEMO_ERR_IO : DYNEMO_ERR_AUDIO, e.what());
  } catch (const dynemo::IoError& e) {
    return fail(DYNEMO_ERR_IO, e.what());
  } catch (const dynemo::ConfigError& e) {
    return fail(DYNEMO_ERR_CONFIG, e.what());
  } catch (const std::bad_alloc&) {
    return fail(DYNEMO_ERR_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return fail(DYNEMO_ERR_INTERNAL, e.what());
  } catch (...) {
    return fail(DYNEMO_ERR_INTERNAL, "unknown error");
  }
}

void deliver(const std::vector<dynemo::StreamRow>& rows, dynemo_row_callback on_row, void* user) {
  if (on_row == nullptr) return;
  for (const dynemo::StreamRow& r : rows) {
    const dynemo_row row{r.time_s, r.arousal, r.valence, r.arousal_sd, r.valence_sd};
    on_row(&row, user);
  }
}

// dynemo_predict_file(_summary) once the arguments are checked; rows and summary may be NULL.
dynemo_status predict_file(dynemo_model* model, const char* path, dynemo_row** rows, size_t* n_rows,
                           dynemo_summary* summary) {
  if (rows != nullptr) {
    *rows = nullptr;
    *n_rows = 0;
  }
  if (summary != nullptr) *summary = dynemo_summary{};
  return guarded([&] {
    const dynemo::TrackPrediction p = model->predictor.predict_file(path);
    if (rows != nullptr) {
      auto* out = static_cast<dynemo_row*>(std::malloc(sizeof(dynemo_row) * (p.n_windows() + 1)));
      if (out == nullptr) throw std::bad_alloc();
      for (std::size_t k = 0; k < p.n_windows(); ++k) {
        const dynemo::PredictionRow r = p.row(k);
        out[k] = dynemo_row{r.time_s, r.arousal, r.valence, r.arousal_sd, r.valence_sd};
      }
      *rows = out;
      *n_rows = p.n_windows();
    }
    if (summary != nullptr) {
      const dynemo::TrackSummary s = dynemo::summarise(p);
      summary->arousal = s.arousal_mean;
      summary->valence = s.valence_mean;
      summary->windows_heard = s.windows_heard;
      summary->rms_dbfs = s.rms_dbfs;
      std::snprintf(summary->label, sizeof summary->label, "%s", s.label.c_str());
    }
  });
}

}  // namespace

extern "C" {

const char* dynemo_version(void) {
  static const std::string text = std::string(dynemo::kVersion) + " (git " + dynemo::kGitSha + ")";
  return text.c_str();
}

const char* dynemo_last_error(void) { return last_error.c_str(); }

dynemo_status dynemo_model_load(const char* path, dynemo_model** out) {
  if (out == nullptr) return fail(DYNEMO_ERR_ARGUMENT, "dynemo_model_load: out is NULL");
  *out = nullptr;
  return guarded(
      [&] { *out = new dynemo_model(path ? std::string(path) : dynemo::default_model_path()); });
}

dynemo_status dynemo_stream_model_load(dynemo_model** out) {
  if (out == nullptr) return fail(DYNEMO_ERR_ARGUMENT, "dynemo_stream_model_load: out is NULL");
  *out = nullptr;
  return guarded([&] { *out = new dynemo_model(dynemo::default_stream_model_path()); });
}

void dynemo_model_free(dynemo_model* model) { delete model; }

dynemo_status dynemo_predict_file(dynemo_model* model, const char* path, dynemo_row** rows,
                                  size_t* n_rows) {
  if (model == nullptr || path == nullptr || rows == nullptr || n_rows == nullptr) {
    return fail(DYNEMO_ERR_ARGUMENT, "dynemo_predict_file: NULL model, path, rows or n_rows");
  }
  return predict_file(model, path, rows, n_rows, nullptr);
}

dynemo_status dynemo_predict_file_summary(dynemo_model* model, const char* path, dynemo_row** rows,
                                          size_t* n_rows, dynemo_summary* summary) {
  if (model == nullptr || path == nullptr || summary == nullptr ||
      (rows == nullptr) != (n_rows == nullptr)) {
    return fail(DYNEMO_ERR_ARGUMENT,
                "dynemo_predict_file_summary: NULL model, path or summary, or only one of rows "
                "and n_rows");
  }
  return predict_file(model, path, rows, n_rows, summary);
}

void dynemo_rows_free(dynemo_row* rows) { std::free(rows); }

dynemo_status dynemo_stream_create(dynemo_model* model, double sample_rate_hz, int channels,
                                   dynemo_stream** out) {
  if (model == nullptr || out == nullptr) {
    return fail(DYNEMO_ERR_ARGUMENT, "dynemo_stream_create: NULL model or out");
  }
  *out = nullptr;
  return guarded([&] {
    dynemo::StreamFormat format;
    format.sample_rate_hz = sample_rate_hz;
    format.channels = channels;
    *out = new dynemo_stream(model->predictor, format);
  });
}

dynemo_status dynemo_stream_push(dynemo_stream* stream, const float* samples, size_t n,
                                 dynemo_row_callback on_row, void* user_data) {
  if (stream == nullptr || (samples == nullptr && n > 0)) {
    return fail(DYNEMO_ERR_ARGUMENT, "dynemo_stream_push: NULL stream or samples");
  }
  if (stream->failed) return fail(DYNEMO_ERR_ARGUMENT, "dynemo_stream_push: the stream failed");
  const dynemo_status s =
      guarded([&] { deliver(stream->stream.push(samples, n), on_row, user_data); });
  if (s != DYNEMO_OK) stream->failed = true;
  return s;
}

dynemo_status dynemo_stream_flush(dynemo_stream* stream, dynemo_row_callback on_row,
                                  void* user_data) {
  if (stream == nullptr) return fail(DYNEMO_ERR_ARGUMENT, "dynemo_stream_flush: NULL stream");
  if (stream->failed) return fail(DYNEMO_ERR_ARGUMENT, "dynemo_stream_flush: the stream failed");
  const dynemo_status s = guarded([&] { deliver(stream->stream.flush(), on_row, user_data); });
  if (s != DYNEMO_OK) stream->failed = true;
  return s;
}

double dynemo_stream_latency_s(const dynemo_stream* stream) {
  return stream ? stream->stream.latency_s() : 0.0;
}

void dynemo_stream_free(dynemo_stream* stream) { delete stream; }

}  // extern "C"
