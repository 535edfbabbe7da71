# The shipped model against re-encodings of shared DEAM excerpts (ffmpeg; label data).
dynemo_add_test(test-model-invariance ML LABELS data torch)
