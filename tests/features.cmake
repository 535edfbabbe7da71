dynemo_add_test(test-features LABELS unit)
dynemo_add_test(test-fft LABELS unit)
dynemo_add_test(test-features-parity LABELS data)
