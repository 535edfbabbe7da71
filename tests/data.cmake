# Dataset loaders (src/data: csv, deam, emomusic, pmemo, custom): synthetic datasets in every
# layout and deliberately broken files, written to a temporary folder; also `dynemo dataset
# info` on one of them.
dynemo_add_test(test-data-loaders LABELS unit)
add_dependencies(test-data-loaders dynemo)
# The real annotation files of ../shared/data (skipped when absent).
dynemo_add_test(test-data-shared LABELS data)
add_dependencies(test-data-shared dynemo)
# The time grid on the real DEAM excerpts: 20 ratings per song meet 20 windows.
dynemo_add_test(test-data-grid-shared LABELS data)
