# The datasets' own features (src/data/dataset-features.cpp): synthetic DEAM official and PMEmo
# layouts with feature files, written to a temporary folder, the failure paths, and the
# "dataset features" line of `dynemo dataset info`.
dynemo_add_test(test-dataset-features LABELS unit)
add_dependencies(test-dataset-features dynemo)
