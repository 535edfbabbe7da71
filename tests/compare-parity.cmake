dynemo_add_test(test-compare-parity LABELS data)
