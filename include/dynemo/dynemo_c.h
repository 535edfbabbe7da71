/* dynemo's C API: load a model, predict a file, follow a live stream. The surface other languages
 * embed (Python's ctypes, Rust, Go, C#...). No C++ exception crosses it: every call that can fail
 * returns a dynemo_status, and dynemo_last_error() gives the message of the last failure in the
 * calling thread. Handles are opaque; free each with its _free function (NULL is accepted).
 * Times in seconds, arousal and valence on the DEAM scale [-1, 1], one row per 0.5 s window.
 * Link with dynemo::ml (CMake) and a C++ linker. */
#ifndef DYNEMO_C_H
#define DYNEMO_C_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dynemo_status {
  DYNEMO_OK = 0,
  DYNEMO_ERR_ARGUMENT = 1, /* a NULL handle or pointer, or a value out of range */
  DYNEMO_ERR_IO = 2,       /* a missing or unreadable file (model, audio) */
  DYNEMO_ERR_AUDIO = 3,    /* unusable audio: corrupt, truncated, too short, NaN or |x| > 100 */
  DYNEMO_ERR_CONFIG = 4,   /* an inconsistent model, or a model that cannot do what was asked */
  DYNEMO_ERR_INTERNAL = 5  /* anything else (out of memory...) */
} dynemo_status;

typedef struct dynemo_row {
  double time_s; /* window start, seconds from the start of the audio */
  float arousal;
  float valence;
  float arousal_sd; /* predictive standard deviations (calibrated on held-out songs) */
  float valence_sd;
} dynemo_row;

/* What a file's prediction says as a whole, as `dynemo predict` summarises it. */
typedef struct dynemo_summary {
  double arousal; /* means over the windows heard (at or above -60 dBFS; all if none is) */
  double valence;
  size_t windows_heard; /* the windows the means are of */
  double rms_dbfs;      /* the decoded audio's level, 10 log10 of its mean square (a full-scale sine
                           -3.01, digital silence -200) */
  /* "happy/excited", "angry/tense", "sad/depressed" or "calm/relaxed" when both means lie
   * outside the model's neutral zone (its calibrated sds), "energetic", "calm", "positive" or
   * "negative" when one does, else "neutral"; "silent" below -60 dBFS. NUL-terminated. */
  char label[32];
} dynemo_summary;

typedef struct dynemo_model dynemo_model;
typedef struct dynemo_stream dynemo_stream;

/* Called once per row, in time order, from the thread that pushed. */
typedef void (*dynemo_row_callback)(const dynemo_row* row, void* user_data);

/* "0.2.0 (git abcdef123456)". */
const char* dynemo_version(void);

/* Message of the last failed call in this thread ("" if none); valid until the next call. */
const char* dynemo_last_error(void);

/* Loads <path>.pt and <path>.json (or a blend's .json); path NULL loads the shipped default
 * model. */
dynemo_status dynemo_model_load(const char* path, dynemo_model** out);
/* Loads the shipped model a live stream uses: the default when it is causal, else the shipped
 * causal model ($DYNEMO_MODEL when set). The default blend reads windows after the one it
 * predicts, which a live stream does not have yet: dynemo_stream_create refuses it. */
dynemo_status dynemo_stream_model_load(dynemo_model** out);
void dynemo_model_free(dynemo_model* model);

/* Decodes an audio file (WAV, FLAC, OGG, MP3...) and predicts it: *rows (free with
 * dynemo_rows_free) holds *n_rows windows. A model may be used from several threads at once. */
dynemo_status dynemo_predict_file(dynemo_model* model, const char* path, dynemo_row** rows,
                                  size_t* n_rows);
/* As dynemo_predict_file, and fills *summary. rows and n_rows may both be NULL when only the
 * summary is wanted. */
dynemo_status dynemo_predict_file_summary(dynemo_model* model, const char* path, dynemo_row** rows,
                                          size_t* n_rows, dynemo_summary* summary);
void dynemo_rows_free(dynemo_row* rows);

/* A live stream of interleaved float samples in [-1, 1] at sample_rate_hz (8000-384000) with
 * `channels` channels (1-64, in WAV order: FL FR FC LFE BL BR SL SR; folded to mono as files
 * are). The model must outlive the stream. */
dynemo_status dynemo_stream_create(dynemo_model* model, double sample_rate_hz, int channels,
                                   dynemo_stream** out);
/* Pushes n samples (n values, any n; frames may be split between pushes); calls on_row for every
 * window this audio completes. After a failure the stream only accepts dynemo_stream_free. */
dynemo_status dynemo_stream_push(dynemo_stream* stream, const float* samples, size_t n,
                                 dynemo_row_callback on_row, void* user_data);
/* End of input: calls on_row for the remaining windows. */
dynemo_status dynemo_stream_flush(dynemo_stream* stream, dynemo_row_callback on_row,
                                  void* user_data);
/* Seconds of audio after a window's end before its row comes out. */
double dynemo_stream_latency_s(const dynemo_stream* stream);
void dynemo_stream_free(dynemo_stream* stream);

#ifdef __cplusplus
}
#endif

#endif /* DYNEMO_C_H */
