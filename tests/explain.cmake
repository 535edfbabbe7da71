# Explanations and reports (src/explain): figures whose numbers map back to the data, pages,
# PNG output, and a tiny attention model trained here on synthetic audio (test-explain); the
# pages rendered by headless Chromium (test-explain-render, skipped without chromium).
dynemo_add_test(test-explain ML LABELS unit torch SOURCES audio-fixtures.cpp)
target_link_libraries(test-explain PRIVATE PkgConfig::SNDFILE PkgConfig::CAIRO)
add_dependencies(test-explain dynemo)
dynemo_add_test(test-explain-render ML LABELS slow torch)
target_link_libraries(test-explain-render PRIVATE PkgConfig::CAIRO)
