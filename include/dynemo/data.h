// Datasets of dynamic music emotion annotations (DEAM, 1000 Songs / emoMusic, PMEmo, your own),
// the time grid that pairs each 0.5 s rating with its audio window, and the splits of the
// published protocols. No LibTorch.
//
// Time convention (docs/data.md): the rating at time t (seconds on the dataset's annotation
// timeline) pairs with the audio window [t - a, t - a + 0.5) s of the song's audio file, where a
// is the song's audio offset: 0 for full clips, 30 for the shared DEAM excerpts (audio that
// starts 30 s into the clip). Ratings without a whole audio window are dropped and counted.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/features.h"

namespace dynemo {

// One annotated song: ratings on a 0.5 s grid, both dimensions.
struct AnnotatedSong {
  std::string song_id;
  std::string audio_path;       // empty when the dataset has no audio file for this song
  double audio_offset_s = 0.0;  // a: annotation time at which the audio file starts
  std::vector<double> time_s;   // rating times, ascending, on the annotation timeline
  std::vector<double> arousal;  // same length as time_s, finite
  std::vector<double> valence;  // same length as time_s, finite
  // Standard deviations over the annotators, where the dataset ships them (emoMusic
  // *_cont_std.csv, DEAM official {arousal,valence}_std.csv, PMEmo dynamic_annotations_std.csv):
  // same length as time_s, paired by time, >= 0. Empty when the dataset has none, or when its
  // std file does not cover every rating of the song (a note says so).
  std::vector<double> arousal_std, valence_std;
  // Whole-song (static) ratings on the dataset's own static scale: 1..9 for DEAM and emoMusic,
  // [0, 1] for PMEmo (not the dynamic scale_min/scale_max). NaN when the dataset has none for
  // this song.
  double static_arousal = std::numeric_limits<double>::quiet_NaN();
  double static_valence = std::numeric_limits<double>::quiet_NaN();
};

// What a loader found, for `dynemo dataset info` and for logs.
struct DatasetReport {
  std::string layout;                     // the layout recognised ("DEAM excerpts (...)")
  std::size_t n_songs = 0;                // songs with at least one rating
  std::size_t n_frames = 0;               // ratings kept over all songs
  std::size_t n_songs_without_audio = 0;  // songs whose audio file does not exist
  std::size_t n_empty_cells = 0;          // "no rating" cells skipped (DEAM's empty cells)
  std::size_t n_songs_dropped = 0;        // ids with ratings in one dimension only, etc.
  // Ratings of songs with audio that have no whole 0.5 s window in the file, by song_grid's rule:
  // t - a >= 0 and t - a + 0.5 <= duration (1e-6 s tolerances), with the duration read from the
  // file's header (probe_audio; for MP3 without a Xing/LAME tag an estimate from the bit rate).
  // Songs whose audio is unreadable, or whose header gives no length, are not counted here.
  std::size_t n_ratings_outside_audio = 0;
  std::size_t n_songs_unreadable_audio = 0;  // audio file present but probe_audio throws (noted)
  std::vector<std::string> notes;            // one line per anomaly worth reading
};

struct Dataset {
  std::string name;                  // "deam", "emomusic", "pmemo", "custom"
  std::string root;                  // the folder it was loaded from
  double scale_min = -1.0;           // value range of the ratings: [-1, 1] (DEAM, emoMusic) or
  double scale_max = 1.0;            // [0, 1] (PMEmo)
  std::vector<AnnotatedSong> songs;  // sorted by song id (numeric when numeric)
  std::map<std::string, std::string> official_set;  // song id -> "development" / "evaluation"
                                                    // where the dataset defines it (emoMusic)
  DatasetReport report;
  // custom: the files it was read from (absolute) and their file_fnv1a, so that a run can be
  // reported from its folder alone and notice when they changed.
  std::string manifest, manifest_hash;
  std::string annotations, annotations_hash;
};

// Which dataset and where. For "custom": manifest (song_id,audio_path[,offset_s]) and
// annotations (song_id,time_s,arousal,valence), both CSV with a header; root is then the folder
// relative paths in the manifest are resolved against (default: the manifest's folder).
struct DatasetSource {
  std::string name;  // "deam", "emomusic", "pmemo" or "custom"
  std::string root;
  std::string manifest;     // custom only
  std::string annotations;  // custom only
};

// Loads annotations and finds audio. The official layouts and the excerpt layout of
// ../shared/data (README there) are recognised from the files present. Throws DataError
// (malformed file, naming file, line, column) or ConfigError (unknown name, missing root).
Dataset load_dataset(const DatasetSource& source);

// The names load_dataset accepts.
const std::vector<std::string>& dataset_names();

// --- Time grid -----------------------------------------------------------------------------

// The ratings of `song` that have a whole audio window inside [0, audio_duration_s) of its audio
// file, and the feature configuration whose rows are exactly those windows.
struct SongGrid {
  std::vector<std::size_t> rating_index;  // indices into song.time_s, ascending
  FeatureConfig config;                   // base config with offset_s = first window start
  std::size_t n_dropped = 0;              // ratings without a whole audio window
};
SongGrid song_grid(const AnnotatedSong& song, double audio_duration_s,
                   const FeatureConfig& base = {});

// Pairs feature rows with ratings by time (row time + a == rating time, to 1e-6 s). Throws
// DataError with numbers when they do not line up ("song 1024: 61 ratings, 58 windows").
std::vector<std::size_t> match_rows(const AnnotatedSong& song, const SongGrid& grid,
                                    const FeatureMatrix& features);

// --- Splits --------------------------------------------------------------------------------

// Named lists of song ids; every run names exactly its songs.
struct Split {
  std::string kind;  // "kfold", "official", "mediaeval2015", "holdout"
  unsigned seed = 0;
  std::vector<std::vector<std::string>> folds;  // kfold: k test folds (disjoint, cover all)
  std::vector<std::string> train, test;         // official / mediaeval2015 / holdout
};

// Seeded k-fold by song: songs shuffled with std::mt19937(seed) then dealt round-robin.
Split kfold_split(const Dataset& dataset, std::size_t k, unsigned seed);
// emoMusic's "Mediaeval 2013 set" column: development -> train, evaluation -> test.
Split official_split(const Dataset& dataset);
// MediaEval 2015: DEAM ids <= 2000 development (train), 2001..2058 test.
Split mediaeval2015_split(const Dataset& dataset);
// A seeded fraction of the songs held out as test.
Split holdout_split(const Dataset& dataset, double test_fraction, unsigned seed);

std::string split_to_json(const Split& split);
Split split_from_json(const std::string& json_text);  // throws DataError

// --- The datasets' own features ------------------------------------------------------------

// The dataset's own per-frame features (DEAM features/<id>.csv, PMEmo
// features/dynamic_features.csv), one FeatureMatrix per song id with time_s = frameTime (on the
// annotation timeline, i.e. the same clock as AnnotatedSong::time_s) and columns
// "<dataset>.<name>". Throws DataError (file:line:column) for malformed files, ConfigError when
// the dataset has no feature files (naming the paths looked for).
//   DEAM   <root>/features/<song_id>.csv, ';'-separated, `frameTime;<names>`, read for each song
//          of dataset.songs whose file exists.
//   PMEmo  <root>/features/dynamic_features.csv, ',' long table `musicId,frameTime,<names>`,
//          rows of any song in any order; every row is checked, songs of dataset.songs kept.
// Rows are sorted by time (a time twice in one song is a DataError naming both lines); the
// columns must be the same for every song (DataError naming the first song that differs);
// values must be finite as floats.
std::map<std::string, FeatureMatrix> load_dataset_features(const Dataset& dataset);
// Whether load_dataset_features finds a feature file (a file check only, nothing is parsed).
bool has_dataset_features(const Dataset& dataset);
// Where the dataset's features are looked for: "<root>/features" (DEAM, one file per song),
// "<root>/features/dynamic_features.csv" (PMEmo), empty for datasets without features.
std::string dataset_features_path(const Dataset& dataset);

// Pairs a song's ratings with rows of its dataset features by time (row time == rating time to
// 1e-6): indices of rows, one per rating that has one; ratings without a row are counted in
// *n_missing. The result has one entry per rating of `song` (same order as song.time_s): the row
// index, or -1 for a rating without a row. features.time_s must be ascending (as
// load_dataset_features gives it). n_missing may be null.
std::vector<std::ptrdiff_t> match_dataset_feature_rows(const AnnotatedSong& song,
                                                       const FeatureMatrix& features,
                                                       std::size_t* n_missing);

}  // namespace dynemo
