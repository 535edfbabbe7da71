dynemo_add_test(test-features LABELS unit)
dynemo_add_test(test-fft LABELS unit)
dynemo_add_test(test-features-parity LABELS data)
# The listener set: band limit, floors, chroma, rhythm, resampling (analytic cases).
dynemo_add_test(test-listener LABELS unit SOURCES audio-fixtures.cpp)
target_link_libraries(test-listener PRIVATE PkgConfig::SNDFILE)
# Features straight from files: block reader = load_audio, every set in pieces = whole file.
dynemo_add_test(test-file-features LABELS unit SOURCES audio-fixtures.cpp)
target_link_libraries(test-file-features PRIVATE PkgConfig::SNDFILE)
dynemo_add_test(test-recent-cache LABELS unit)
