# Unit tests of src/models: every family's shapes, padding invariance, attention contracts,
# overfitting a tiny set, teacher forcing, DLSTM pre-training and the registry.
dynemo_add_test(test-models ML LABELS unit torch)
