# The Python package (python/): pytest files under tests/python, run with the freshly built
# package on PYTHONPATH. test_dask.py reads the shared DEAM excerpts (label data too).
if(DYNEMO_BUILD_PYTHON)
  foreach(name module dask)
    add_test(NAME python-${name}
             COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider
                     ${CMAKE_CURRENT_SOURCE_DIR}/python/test_${name}.py)
    set_tests_properties(python-${name} PROPERTIES
      ENVIRONMENT "PYTHONPATH=${PROJECT_BINARY_DIR}/python;DYNEMO_CLI=$<TARGET_FILE:dynemo>;DYNEMO_SOURCE_DIR=${PROJECT_SOURCE_DIR};DYNEMO_SHARED_DIR=${DYNEMO_SHARED_DIR}"
      SKIP_RETURN_CODE 5)
  endforeach()
  set_tests_properties(python-module PROPERTIES LABELS "python")
  set_tests_properties(python-dask PROPERTIES LABELS "python;data" TIMEOUT 900)
endif()
