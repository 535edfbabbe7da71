// Building a feature cache: check every song's entry against its keys (in parallel: hashing the
// audio is most of it), extract the songs whose entry is missing or stale (a batch of the batch
// engine, dynemo/batch.h: bounded parallelism, a full disk stops it), and keep index.json
// current. Entries are self-describing, so a build killed at any point resumes.
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "cache-store.h"
#include "dynemo/audio.h"
#include "dynemo/batch.h"
#include "dynemo/cache.h"
#include "dynemo/error.h"
#include "dynemo/file-features.h"
#include "dynemo/io.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;
using namespace cache_detail;

enum class State { skipped, up_to_date, to_do, extracted, failed };

struct Slot {
  State state = State::to_do;
  EntryKey key;
  std::uint64_t n_rows = 0;
  std::string error;  // set in the check when the audio cannot be hashed
};

void check_options(const Dataset& dataset, const CacheOptions& options) {
  if (options.cache_dir.empty()) throw ConfigError("feature cache: cache_dir is empty");
  if (options.jobs < 1) {
    throw ConfigError("feature cache: jobs must be >= 1, got " + std::to_string(options.jobs));
  }
  if (dataset.name.empty()) throw ConfigError("feature cache: the dataset has no name");
  validate(options.config);
  parse_feature_spec(options.spec);
  std::set<std::string> ids;
  for (const AnnotatedSong& song : dataset.songs) {
    if (!ids.insert(song.song_id).second) {
      throw DataError("feature cache: dataset " + dataset.name + " lists song " + song.song_id +
                      " twice");
    }
  }
}

// Removes temporary files (".<name>.tmp-<pid>-<n>", io/atomic-write.cpp) left in `dir` by
// writers that no longer run, i.e. by a killed build. Those of live processes are kept.
void remove_stale_temporaries(const fs::path& dir) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const std::size_t tag = name.rfind(".tmp-");
    if (name.empty() || name[0] != '.' || tag == std::string::npos) continue;
    const long pid = std::strtol(name.c_str() + tag + 5, nullptr, 10);
    if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
      fs::remove(entry.path(), ec);
    }
  }
}

[[noreturn]] void no_whole_window(const AnnotatedSong& song, double audio_s) {
  throw DataError(song.audio_path + ": none of the " + std::to_string(song.time_s.size()) +
                  " ratings of song " + song.song_id + " has a whole audio window in its " +
                  std::to_string(audio_s) + " s");
}

// Lays the song's rating grid on its audio and extracts: a file longer than file_features'
// whole-file limit (by its header) in pieces, in bounded memory (the rows are paired with the
// ratings by time afterwards, match_rows), others decoded whole. Throws what the library
// throws, and DataError when no rating has a whole window in the audio.
FeatureMatrix extract_song(const AnnotatedSong& song, const CacheOptions& options) {
  const double header_s = probe_audio(song.audio_path).duration_s();
  if (header_s > FileFeatureOptions{}.whole_file_max_s) {
    const SongGrid grid = song_grid(song, header_s, options.config);
    if (grid.rating_index.empty()) {
      no_whole_window(song, header_s);
    }
    return file_features(song.audio_path, options.spec, grid.config);
  }
  AudioLoadOptions load;
  load.target_sample_rate_hz = options.config.sample_rate_hz;
  const Audio audio = load_audio(song.audio_path, load);
  const SongGrid grid = song_grid(song, audio.duration_s(), options.config);
  if (grid.rating_index.empty()) {
    no_whole_window(song, audio.duration_s());
  }
  return extract_features(options.spec, audio.samples.data(), audio.samples.size(),
                          audio.sample_rate_hz, grid.config, song.audio_path);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes index.json listing the cached songs, unless it already holds exactly that.
void write_index(const fs::path& dir, const Dataset& dataset, const CacheOptions& options,
                 const std::vector<Slot>& slots) {
  std::vector<IndexSong> songs;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].state != State::up_to_date && slots[i].state != State::extracted) continue;
    const std::string& id = dataset.songs[i].song_id;
    songs.push_back({id, entry_file_name(id), slots[i].key.audio_hash, slots[i].n_rows});
  }
  const std::string text = index_json(dataset.name, options.spec, options.config, songs);
  const fs::path path = dir / "index.json";
  if (read_text(path) != text) write_file_atomic(path.string(), text);
}

}  // namespace

CacheResult build_cache(const Dataset& dataset, const CacheOptions& options,
                        const CacheProgressFn& progress) {
  check_options(dataset, options);
  const auto start = std::chrono::steady_clock::now();
  const fs::path dir = cache_folder(options.cache_dir, dataset.name, options.spec, options.config);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    throw IoError("cannot create cache folder " + dir.string() + ": " +
                  (ec ? ec.message() : std::string("a file of that name exists")));
  }
  remove_stale_temporaries(dir);

  const std::string hash = feature_hash(options.spec, options.config);
  const std::size_t n_cols = feature_columns(options.spec).size();
  const std::size_t n = dataset.songs.size();
  std::vector<Slot> slots(n);

  // Check: which entries are up to date.
  parallel_for(n, options.jobs, [&](std::size_t i) {
    const AnnotatedSong& song = dataset.songs[i];
    Slot& slot = slots[i];
    if (song.audio_path.empty()) {
      slot.state = State::skipped;
      return;
    }
    slot.key.feature_hash = hash;
    slot.key.grid_hash = grid_hash(song);
    try {
      slot.key.audio_hash = file_hash(song.audio_path);
    } catch (const std::exception& e) {
      slot.error = e.what();  // the engine adds the path when the message lacks it
      return;
    }
    EntryHeader header;
    std::string why;
    if (read_entry_header((dir / entry_file_name(song.song_id)).string(), header, why) &&
        header.song_id == song.song_id && header.key == slot.key && header.n_cols == n_cols) {
      slot.state = State::up_to_date;
      slot.n_rows = header.n_rows;
    }
  });

  std::vector<std::size_t> to_do;
  CacheProgress state;
  state.n_songs = n;
  for (std::size_t i = 0; i < n; ++i) {
    if (slots[i].state == State::to_do) to_do.push_back(i);
    if (slots[i].state == State::up_to_date) ++state.n_up_to_date;
    if (slots[i].state == State::skipped) ++state.n_skipped;
  }
  state.n_to_do = to_do.size();
  if (progress) progress(state);

  // Extract: a batch of the songs to do (item k: song to_do[k], its entry the output).
  std::vector<BatchItem> items;
  for (const std::size_t i : to_do) {
    items.push_back(
        {dataset.songs[i].audio_path, (dir / entry_file_name(dataset.songs[i].song_id)).string()});
  }
  BatchWork work;
  work.run = [&](const BatchItem& item) {
    const std::size_t i = to_do[static_cast<std::size_t>(&item - items.data())];
    if (!slots[i].error.empty()) throw DataError(slots[i].error);
    const FeatureMatrix features = extract_song(dataset.songs[i], options);
    write_file_atomic(item.output, encode_entry(dataset.songs[i].song_id, slots[i].key, features));
    slots[i].n_rows = features.n_rows();  // this item's slot: no other thread touches it
    return 0.0;
  };
  std::size_t n_since_index = 0;
  const auto extract_start = std::chrono::steady_clock::now();
  work.on_item = [&](const BatchItem& item, const BatchFailure* failure, bool) {
    // One call at a time (the engine's lock): guards slots[*].state, state and the index.
    Slot& slot = slots[to_do[static_cast<std::size_t>(&item - items.data())]];
    slot.state = failure ? State::failed : State::extracted;
    if (failure) {
      slot.error = failure->message;
      std::error_code remove_ec;
      fs::remove(item.output, remove_ec);  // a stale entry must not be served
    }
    ++state.n_done;
    if (failure) ++state.n_failed;
    state.elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - extract_start).count();
    if (!failure && ++n_since_index >= std::max<std::size_t>(options.index_every, 1)) {
      n_since_index = 0;
      try {
        write_index(dir, dataset, options, slots);
      } catch (const std::exception&) {
        // Retried at the end, where a failure is reported.
      }
    }
    if (progress) progress(state);
  };
  const BatchResult batch = run_items(items, options.jobs, work, "");
  if (!batch.stopped_because.empty()) {
    // The entries written so far stay valid: the next run finds them up to date.
    throw NoSpaceError(batch.stopped_because + "; the cache stopped there, " +
                       std::to_string(batch.n_not_attempted) + " song(s) not attempted");
  }

  write_index(dir, dataset, options, slots);

  CacheResult result;
  result.dir = dir.string();
  result.n_songs = n;
  result.n_up_to_date = state.n_up_to_date;
  for (std::size_t i = 0; i < n; ++i) {
    const AnnotatedSong& song = dataset.songs[i];
    if (slots[i].state == State::extracted) ++result.n_extracted;
    if (slots[i].state == State::skipped) result.skipped.push_back(song.song_id);
    if (slots[i].state == State::failed) {
      result.failed.push_back({song.song_id, song.audio_path, slots[i].error});
    }
  }
  result.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace dynemo
