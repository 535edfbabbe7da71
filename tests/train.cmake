# The trainer (src/train): closed forms, reproducibility, resume, model files, on synthetic data.
dynemo_add_test(test-train ML LABELS unit torch)
