# dynemo features with the openSMILE-based sets; the reference comparison needs ../shared (data).
dynemo_add_test(test-compare-cli LABELS cli data)
add_dependencies(test-compare-cli dynemo)
