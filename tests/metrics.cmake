# Unit tests of src/metrics: R^2, RMSE, MAE, Pearson r, CCC, Kendall tau-b; pooled and per song.
dynemo_add_test(test-metrics LABELS unit)
# Predictive sds: the sd model's fit and calibration figures.
dynemo_add_test(test-uncertainty LABELS unit)
