# src/data without the loaders: the time grid (song_grid, match_rows), splits and their JSON,
# prediction files and evaluation. Songs and datasets are built in the tests.
dynemo_add_test(test-data-grid LABELS unit)

# `dynemo split` and `dynemo evaluate` end to end on a tiny custom dataset written by the test.
dynemo_add_test(test-evaluate-cli LABELS cli SOURCES audio-fixtures.cpp)
target_link_libraries(test-evaluate-cli PRIVATE PkgConfig::SNDFILE)
add_dependencies(test-evaluate-cli dynemo)
