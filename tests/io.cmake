# Unit tests of src/io: atomic writes, CSV/NPY feature files, JSON sidecars.
dynemo_add_test(test-io LABELS unit)
