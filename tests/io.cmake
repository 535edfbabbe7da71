# Unit tests of src/io: atomic writes, CSV/NPY feature files, JSON sidecars.
dynemo_add_test(test-io LABELS unit)
# The batch engine's end: errors.log across runs, stopping when there is no room to write.
dynemo_add_test(test-batch LABELS unit)
# The malloc settings of batch programs (dynemo::reuse_large_buffers).
dynemo_add_test(test-runtime LABELS unit)
# Integers read from user JSON (common/json-int.h): whole numbers that fit, never a cast.
dynemo_add_test(test-json-int LABELS unit)
