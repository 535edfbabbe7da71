# Audio front end: decoding, downmix, ranges, resampling and every bad-input case. Fixtures
# are written at run time with libsndfile, hence the direct link.
dynemo_add_test(test-audio LABELS unit SOURCES test-audio-errors.cpp audio-fixtures.cpp)
target_link_libraries(test-audio PRIVATE PkgConfig::SNDFILE)

# The real clips in ../shared/reference (skipped when absent).
dynemo_add_test(test-audio-data LABELS data)
