dynemo_add_test(test-compare-llds LABELS unit)
