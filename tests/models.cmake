# Unit tests of src/models: every family's shapes, padding invariance, attention contracts,
# overfitting a tiny set, teacher forcing, DLSTM pre-training and the registry.
dynemo_add_test(test-models ML LABELS unit torch)
# The model file (src/models/model-file.h, ensemble.h): the sidecar's JSON and checks, and the
# shipped v1, v2 and v3 models loading with their recorded values.
dynemo_add_test(test-model-file ML LABELS unit torch)
# The shared LSTM layer and additive attention against LibTorch's LSTM and autograd.
dynemo_add_test(test-lstm-layer ML LABELS unit torch)
