dynemo_add_test(test-compare-sets LABELS unit)
# The ComParE 2016 functionals on analytic inputs and the `compare` set's layout.
dynemo_add_test(test-compare-functionals LABELS unit)
