# Feature cache (src/data/cache-*.cpp): a tiny dataset of WAVs written by the test, built,
# rebuilt, changed, broken and resumed; and `dynemo cache` end to end on a custom dataset.
dynemo_add_test(test-cache LABELS unit SOURCES audio-fixtures.cpp)
target_link_libraries(test-cache PRIVATE PkgConfig::SNDFILE)

dynemo_add_test(test-cache-cli LABELS cli SOURCES audio-fixtures.cpp)
target_link_libraries(test-cache-cli PRIVATE PkgConfig::SNDFILE)
add_dependencies(test-cache-cli dynemo)
