# Live streams (include/dynemo/stream.h, src/features/listener-stream.cpp): the same rows as the
# offline path whatever the push sizes, the resampler's lag, bad PCM.
dynemo_add_test(test-stream ML LABELS unit torch SOURCES audio-fixtures.cpp)
target_link_libraries(test-stream PRIVATE PkgConfig::SNDFILE)
dynemo_add_test(test-stream-cli LABELS cli)
add_dependencies(test-stream-cli dynemo)
# The same on real music of the shared data (label data): every listener value of the stream
# equals the whole-file value.
dynemo_add_test(test-stream-data LABELS data)
