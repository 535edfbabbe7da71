// The dataset loaders behind load_dataset (data.h) and the pieces they share. Private to
// src/data. Each loader detects its layout from the files present, fills Dataset::songs (not
// yet sorted) and the report's counts of what it skipped, and leaves the rest to
// finish_dataset.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dynemo/data.h"

namespace dynemo::data {

Dataset load_deam(const DatasetSource& source);
Dataset load_emomusic(const DatasetSource& source);
Dataset load_pmemo(const DatasetSource& source);
Dataset load_custom(const DatasetSource& source);

// Throws ConfigError when `source.root` is empty or not a directory.
void require_root(const DatasetSource& source);

// Path `relative` under `root` ("root/relative"), as a string.
std::string join_path(const std::string& root, const std::string& relative);
bool is_file(const std::string& path);
bool is_directory(const std::string& path);

// Ratings of DEAM's wide layout, both dimensions: `song_id,sample_15000ms,sample_15500ms,...`
// with the rating at t = 15.0 s, 15.5 s, ... and an empty cell for "no rating". A time is kept
// only where both files have a value. Songs come in the order of the arousal file; ids in one
// file only, and songs left without any paired rating, are dropped (counted and noted in
// `report`). Empty cells of both files count in report.n_empty_cells. Throws DataError for a
// header cell that is not sample_<ms>ms, times not increasing, a duplicate or empty id, a
// cell that is not a finite number, or a row with the wrong number of cells.
std::vector<AnnotatedSong> read_wide_ratings(const std::string& arousal_csv,
                                             const std::string& valence_csv, DatasetReport& report);

// Names of the four columns of a long annotation file (one row per song and time).
struct LongColumns {
  std::string song_id, time_s, arousal, valence;
};

// Ratings of a long layout: one row per (song, time) with both dimensions, rows in any order.
// Songs come in order of first appearance, their ratings sorted by time. Throws DataError for
// a missing column, an empty id, a cell that is not a finite number (FILE:LINE:COLUMN), or a
// song rated twice at the same time (naming both lines).
std::vector<AnnotatedSong> read_long_ratings(const std::string& path, const LongColumns& columns);

// Fills AnnotatedSong::arousal_std/valence_std from `std_songs` (ratings read from the
// dataset's std file(s) by read_wide_ratings or read_long_ratings, arousal/valence holding the
// standard deviations), pairing by song id and time (1e-6 s). A song whose every rating has a
// std gets them; the others keep empty vectors and are counted in one note naming `source`.
// Throws DataError for a negative std.
void attach_std(std::vector<AnnotatedSong>& songs, const std::vector<AnnotatedSong>& std_songs,
                const std::string& source, DatasetReport& report);

// attach_std from a pair of wide std files (read_wide_ratings layout) when both exist; a note
// when only one does; nothing when neither does.
void attach_wide_std(Dataset& dataset, const std::string& arousal_std,
                     const std::string& valence_std);

// Columns of a static (whole-song) annotation file.
struct StaticColumns {
  std::string song_id, arousal, valence;
};

// Fills AnnotatedSong::static_arousal/static_valence from the static annotation files `paths`
// (CSV with a header holding `columns`; other columns ignored; an empty cell leaves NaN). Songs
// of `songs` in none of the files keep NaN and are noted. Throws DataError for a missing column,
// a cell that is not a finite number, or a song listed twice (naming both places).
void attach_static(std::vector<AnnotatedSong>& songs, const std::vector<std::string>& paths,
                   const StaticColumns& columns, DatasetReport& report);

// Sets each song's audio_offset_s to `offset_s`, and its audio_path to
// "<audio_dir>/<song_id><extension>" where that file exists (empty otherwise; finish_dataset
// counts those). An empty `audio_dir` means the layout has no audio.
void attach_audio(std::vector<AnnotatedSong>& songs, const std::string& audio_dir,
                  const std::string& extension, double offset_s);

// Sorts the songs by id (numerically when every id is a decimal integer), counts songs and
// frames, notes songs without audio and ratings outside [scale_min, scale_max], and probes each
// song's audio header for DatasetReport::n_ratings_outside_audio (an unreadable file is noted
// and counted in n_songs_unreadable_audio, never thrown).
void finish_dataset(Dataset& dataset);

// A number for messages, shortest form ("30", "15.5", "-0.25").
std::string format_number(double value);

// "a, b, c" of up to `max_shown` items, then "and N more".
std::string list_some(const std::vector<std::string>& items, std::size_t max_shown = 8);

}  // namespace dynemo::data
