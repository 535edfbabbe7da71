# The programs in examples/, run as a user would run them, on WAV fixtures written with
# libsndfile (audio-fixtures.cpp). Only when the examples are built.
if(DYNEMO_BUILD_EXAMPLES)
  dynemo_add_test(test-examples LABELS cli SOURCES audio-fixtures.cpp)
  target_link_libraries(test-examples PRIVATE PkgConfig::SNDFILE)
  target_compile_definitions(test-examples PRIVATE
    DYNEMO_EXAMPLE_BASIC_USAGE="$<TARGET_FILE:example-basic-usage>"
    DYNEMO_EXAMPLE_PREDICT_FILE="$<TARGET_FILE:example-predict-file>"
    DYNEMO_EXAMPLE_C_API="$<TARGET_FILE:example-c-api>")
  add_dependencies(test-examples example-basic-usage example-predict-file example-c-api dynemo)
endif()
