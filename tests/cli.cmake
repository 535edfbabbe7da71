# End-to-end tests of the dynemo binary. The test writes its own WAV fixtures with libsndfile.
dynemo_add_test(test-cli LABELS cli SOURCES audio-fixtures.cpp)
target_link_libraries(test-cli PRIVATE PkgConfig::SNDFILE)
add_dependencies(test-cli dynemo)
