dynemo_add_test(test-compare-sets LABELS unit)
