// The smallest program that predicts one file with the library: the default model, arousal and
// valence every 0.5 s, printed as CSV, then the track's summary label on stderr.
//
// Usage: example-predict-file INPUT_AUDIO [MODEL]   (MODEL: a .pt path; default: the shipped one)
// Exit codes: 0 success, 1 an error (printed as "error: ..." on stderr), 2 bad arguments.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "dynemo/predict.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: " << (argc > 0 ? argv[0] : "example-predict-file")
              << " INPUT_AUDIO [MODEL]\n";
    return 2;
  }
  try {
    dynemo::Predictor predictor(argc == 3 ? argv[2] : dynemo::default_model_path());
    const dynemo::TrackPrediction p = predictor.predict_file(argv[1]);  // decodes any format
    std::printf("time_s,arousal,valence\n");
    for (std::size_t i = 0; i < p.n_windows(); ++i) {
      std::printf("%.3f,%.4f,%.4f\n", p.time_s[i], p.arousal[i], p.valence[i]);
    }
    const dynemo::TrackSummary summary = dynemo::summarise(p);  // means, level and label
    std::cerr << argv[1] << ": " << summary.label << " (" << predictor.card().model << ")\n";
  } catch (const std::exception& e) {  // dynemo::Error names the file and the problem
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
