// Seeds of the text harnesses (seeds.h): the dataset files of tests/test-data-loaders.cpp, the
// prediction files of tests/test-data-grid.cpp and what the library writes.
#include <string>

#include "dynemo/data.h"
#include "dynemo/evaluation.h"
#include "dynemo/predict.h"
#include "fuzz-fixtures.h"
#include "seeds.h"

namespace dynemo::fuzz {
namespace {

const std::string kWideHeader = "song_id,sample_15000ms,sample_15500ms,sample_16000ms\n";
const std::string kDeamArousal = kWideHeader + "10,0.1,0.2,0.3\n2,-0.1,-0.2,-0.3\n3,0.5,,0.7\n";
const std::string kDeamValence =
    kWideHeader + "10,0.4,0.5,0.6\n2,-0.4,-0.5,-0.6\n3,0.0,0.1,\n7,0.1,0.1,0.1\n";
const std::string kDeamStd = kWideHeader + "10,0.11,0.12,0.13\n2,0.2,0.2,0.2\n3,0.1,,0.1\n";
const std::string kDeamStatic =
    "song_id, valence_mean, valence_std, arousal_mean, arousal_std\n2,3.1,0.94,3,0.63\n"
    "10,6,1,7.5,1\n";
const std::string kEmoAverage = kWideHeader + "2,0.1,0.2,0.3\n3,0.1,0.2,0.3\n4,0,0,0\n";
const std::string kEmoArousalStd =
    "song_id,sample_15000ms,sample_15500ms,sample_16000ms,sample_16500ms\n"
    "2,0.01,0.02,0.03,0.09\n3,0.1,0.1,,0.1\n";
const std::string kEmoValenceStd = kWideHeader + "2,0.04,0.05,0.06\n3,0.1,0.1,0.1\n";
const std::string kEmoStatic =
    "song_id,mean_arousal,std_arousal,mean_valence,std_valence\n2,3.1,0.99,5,0.6\n3,7,1,2.5,1\n";
const std::string kEmoInfo =
    "song_id,file_name,Artist,Genre,Mediaeval 2013 set\n"
    "2,\t2.mp3,\"Smith, J.\"\t,\tBlues\t,development\n3,\t3.mp3,X\t,\tBlues\t,evaluation\n";
const std::string kPmemoDynamic =
    "musicId,frameTime,Arousal(mean),Valence(mean)\n"
    "4,16.0,0.3,0.4\n4,15.5,0.1,0.2\n1,15.5,0.5,0.6\n1,16.0,0.5,0.6\n";
const std::string kPmemoStd =
    "musicId,frameTime,Arousal(std),Valence(std)\n"
    "4,15.5,0.01,0.02\n4,16.0,0.03,0.04\n4,16.5,0.9,0.9\n1,15.5,0.05,0.06\n";
const std::string kPmemoStatic =
    "musicId,Arousal(mean),Valence(mean)\n4,0.4,0.575\n1,0.2625,0.2875\n9,0,0\n";
const std::string kManifest =
    "song_id,audio_path,offset_s\nb,audio/b.wav,30\na,audio/a.wav,\nc,/abs.wav,0\n"
    "unrated,audio/a.wav,0\n";
const std::string kAnnotations =
    "song_id,time_s,arousal,valence\nb,30.5,0.1,0.2\nb,30.0,0.3,0.4\na,0.0,-0.5,0.5\nc,1.0,0,0\n";

void add_csv(const SeedWriter& seeds) {
  seeds.add("csv", "quoted",
            ",\xEF\xBB\xBFsong_id , file_name,Genre\r\n2,\t2.mp3,Blues\t\r\n\n"
            "3,\"a, \"\"quoted\"\"\nname\" ,  x \n");
  seeds.add("csv", "semicolon", ";frameTime;a;b\n0.5;;1e-3\n");
  seeds.add("csv", "numbers", ",song_id,x\n1,-0.25\n2,+2\n3,1E3\n4,nan\n5,0x10\n");
  seeds.add("csv", "wide", "," + kDeamArousal);
  seeds.add("csv", "long", "," + kPmemoDynamic);
  seeds.add("csv", "info", "," + kEmoInfo);
}

void add_annotations(const SeedWriter& seeds) {
  seeds.add("annotations", "deam-excerpts",
            "d" + join_parts({kDeamArousal, kDeamValence, kDeamStd, kDeamStd, kDeamStatic}));
  seeds.add("annotations", "deam-bad-time",
            "d" + join_parts({"song_id,sample_15500ms,sample_15000ms\n2,0.1,0.2\n", kDeamValence}));
  // DEAM official with its feature files (tests/test-dataset-features.cpp).
  const std::string features = "frameTime;F0final_sma_amean;pcm_RMSenergy_sma_amean\n";
  seeds.add("annotations", "deam-official",
            "D" + join_parts({"song_id,sample_15000ms,sample_15500ms\n2001,0.1,0.2\n2002,0,0\n",
                              "song_id,sample_15500ms,sample_16000ms\n2001,0.3,0.4\n2002,0,0\n",
                              kDeamStatic,
                              features + "14.5;100;0.01\n15.0;110.5;0.02\n15.5;-120;1e-3\n"
                                         "16.0000004;130;0.04\n",
                              features + "15.5;210;0.2\n15.0;200;0.1\n"}));
  seeds.add("annotations", "emomusic",
            "e" + join_parts({kEmoAverage, kEmoAverage, kEmoArousalStd, kEmoValenceStd, kEmoStatic,
                              kEmoInfo}));
  seeds.add("annotations", "emomusic-bad-set",
            "e" + join_parts({kEmoAverage, kEmoAverage, kEmoArousalStd, kEmoValenceStd, kEmoStatic,
                              "song_id,Mediaeval 2013 set\n2,develpment\n"}));
  seeds.add("annotations", "pmemo",
            "p" + join_parts({kPmemoDynamic, kPmemoStd, kPmemoStatic,
                              "musicId,frameTime,F0final_sma_amean,audspec_lengthL1norm_sma_amean\n"
                              "4,16.0,2.5,3.5\n9,15.5,0,0\n4,15.5,1.5,-2\n1,15.5,7,8\n"}));
  seeds.add("annotations", "pmemo-twice",
            "p" + join_parts({"musicId,frameTime,Arousal(mean),Valence(mean)\n1,15.5,0.1,0.2\n"
                              "1,15.5,0.1,0.2\n"}));
}

void add_manifest(const SeedWriter& seeds) {
  seeds.add("manifest", "custom", join_parts({kManifest, kAnnotations}));
  seeds.add("manifest", "self-as-audio",
            join_parts({"song_id,audio_path,offset_s\na,annotations.csv,0\nb,manifest.csv,1\n",
                        "song_id,time_s,arousal,valence\na,0,0,0\nb,1.5,0.5,-0.5\n"}));
  seeds.add("manifest", "bad-offset",
            join_parts({"song_id,audio_path,offset_s\na,a.wav,soon\n", kAnnotations}));
  seeds.add("manifest", "unknown-id",
            join_parts({kManifest, "song_id,time_s,arousal,valence\nzz,0,0,0\na,0,0,0\n"}));
}

void add_predictions(const SeedWriter& seeds) {
  SongPrediction p;
  p.time_s = {0.0, 0.5, 1.0};
  p.arousal = {0.1, -0.2, 0.3};
  p.valence = {-0.4, 0.5, 0.25};
  seeds.add("prediction-file", "evaluate", "r" + prediction_csv(p));
  seeds.add("prediction-file", "provenance-crlf",
            "r# dynemo predict\r\ntime_s,arousal,valence\r\n0,0.1,0.2\r\n0.5,1e-3,-2E-1\r\n");
  seeds.add("prediction-file", "header-only", "rtime_s,arousal,valence\n");
  seeds.add("prediction-file", "not-ascending", "rtime_s,arousal,valence\n1,0,0\n0.5,0,0\n");

  const ModelCard card = fuzz_model_card();
  TrackPrediction track;
  track.source = "music/clip.wav";
  track.duration_s = 1.5;
  track.time_s = {0.0, 0.5, 1.0};
  track.arousal = {0.1f, -0.2f, 0.3f};
  track.valence = {-0.4f, 0.5f, 0.25f};
  track.arousal_sd = {0.18f, 0.2f, 0.19f};
  track.valence_sd = {0.2f, 0.21f, 0.2f};
  seeds.add("prediction-file", "current-csv", "c" + prediction_csv_text(track, card));
  seeds.add("prediction-file", "current-json", "j" + prediction_json_text(track, card));
}

void add_splits(const SeedWriter& seeds) {
  Split kfold;
  kfold.kind = "kfold";
  kfold.seed = 42;
  kfold.folds = {{"1", "2"}, {"3", "4"}};
  seeds.add("split", "kfold", split_to_json(kfold));
  Split holdout;
  holdout.kind = "holdout";
  holdout.seed = 7;
  holdout.train = {"2", "10", "a b"};
  holdout.test = {"3"};
  seeds.add("split", "holdout", split_to_json(holdout));
}

}  // namespace

void add_text_seeds(const SeedWriter& seeds) {
  add_csv(seeds);
  add_annotations(seeds);
  add_manifest(seeds);
  add_predictions(seeds);
  add_splits(seeds);
}

}  // namespace dynemo::fuzz
