dynemo_add_test(test-compare-voicing LABELS unit)
dynemo_add_test(test-compare-voicing-parity LABELS data)
