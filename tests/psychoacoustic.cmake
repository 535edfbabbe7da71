# Psychoacoustic features (dissonance, roughness, tempo, event density): analytic cases.
dynemo_add_test(test-psychoacoustic LABELS unit)
# Tempo and event density of real music against librosa's beat tracker and onset detector
# (reference numbers recorded in the test; label data).
dynemo_add_test(test-psychoacoustic-real LABELS data)
