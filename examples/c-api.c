/* dynemo from C: predict an audio file, or follow a live stream of raw PCM on standard input.
 *
 * Usage: example-c-api FILE            arousal and valence of FILE, one CSV row per 0.5 s, then
 *                                      its summary on stderr ("FILE: arousal +0.064, valence
 *                                      +0.037 (neutral), -20.4 dBFS")
 *        example-c-api - [RATE [CH]]   the same, live, for signed 16-bit little-endian PCM on
 *                                      stdin (default 44100 Hz mono), each row printed as soon as
 *                                      the stream gives it
 * Exit codes: 0 success, 1 an error (printed as "error: ..." on stderr), 2 bad arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynemo/dynemo_c.h"

static void print_row(const dynemo_row* row, void* user_data) {
  (void)user_data;
  printf("%.3f,%.6f,%.6f,%.6f,%.6f\n", row->time_s, row->arousal, row->valence, row->arousal_sd,
         row->valence_sd);
  fflush(stdout);
}

static int fail(const char* what) {
  fprintf(stderr, "error: %s: %s\n", what, dynemo_last_error());
  return 1;
}

static int stream_stdin(dynemo_model* model, double rate, int channels) {
  dynemo_stream* stream = NULL;
  if (dynemo_stream_create(model, rate, channels, &stream) != DYNEMO_OK) return fail("stream");
  fprintf(stderr, "latency %.2f s\n", dynemo_stream_latency_s(stream));
  unsigned char bytes[8192];
  float samples[4096];
  size_t n;
  int status = 0;
  while ((n = fread(bytes, 2, sizeof samples / sizeof samples[0], stdin)) > 0) {
    for (size_t i = 0; i < n; ++i) {
      const short v = (short)(bytes[2 * i] | (bytes[2 * i + 1] << 8));
      samples[i] = (float)v / 32768.0f;
    }
    if (dynemo_stream_push(stream, samples, n, print_row, NULL) != DYNEMO_OK) {
      status = fail("push");
      break;
    }
  }
  if (status == 0 && dynemo_stream_flush(stream, print_row, NULL) != DYNEMO_OK) {
    status = fail("flush");
  }
  dynemo_stream_free(stream);
  return status;
}

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    fprintf(stderr, "usage: %s FILE | - [RATE [CHANNELS]]\n", argc > 0 ? argv[0] : "example-c-api");
    return 2;
  }
  const int live = strcmp(argv[1], "-") == 0;
  dynemo_model* model = NULL;
  /* A file: the default model; a live stream: the causal model streams use. */
  const dynemo_status loaded =
      live ? dynemo_stream_model_load(&model) : dynemo_model_load(NULL, &model);
  if (loaded != DYNEMO_OK) return fail("model");
  int status = 0;
  printf("time_s,arousal,valence,arousal_sd,valence_sd\n");
  if (live) {
    const double rate = argc > 2 ? atof(argv[2]) : 44100.0;
    const int channels = argc > 3 ? atoi(argv[3]) : 1;
    status = stream_stdin(model, rate, channels);
  } else {
    dynemo_row* rows = NULL;
    size_t n_rows = 0;
    dynemo_summary summary;
    if (dynemo_predict_file_summary(model, argv[1], &rows, &n_rows, &summary) != DYNEMO_OK) {
      status = fail(argv[1]);
    } else {
      for (size_t k = 0; k < n_rows; ++k) print_row(&rows[k], NULL);
      dynemo_rows_free(rows);
      fprintf(stderr, "%s: arousal %+.3f, valence %+.3f (%s), %.1f dBFS\n", argv[1],
              summary.arousal, summary.valence, summary.label, summary.rms_dbfs);
    }
  }
  dynemo_model_free(model);
  return status;
}
