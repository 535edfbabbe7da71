# Prediction (src/predict): Predictor, chunked long files, and `dynemo predict` batches, with a
# tiny model trained in the test.
dynemo_add_test(test-predict ML LABELS unit torch cli SOURCES audio-fixtures.cpp)
target_link_libraries(test-predict PRIVATE PkgConfig::SNDFILE)
add_dependencies(test-predict dynemo)
# Group attributions of the shipped model (exact Shapley values of musical feature groups).
dynemo_add_test(test-attribution ML LABELS unit torch)
dynemo_add_test(test-attribution-data ML LABELS data torch)
