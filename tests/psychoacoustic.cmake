# Psychoacoustic features (dissonance, roughness, tempo, event density): analytic cases.
dynemo_add_test(test-psychoacoustic LABELS unit)
