// Shared by the two extension modules: library errors as Python exceptions, and tables as NumPy
// arrays.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <vector>

#include "dynemo/features.h"

namespace dynemo::python {

namespace py = pybind11;

// Creates dynemo.Error (Exception), AudioError (Error), IoError (Error, OSError) and ConfigError
// (Error, ValueError) on `m` (the _signal module).
void define_errors(py::module_& m);
// Translates the library's exceptions into the classes define_errors put on `signal_module`.
void translate_errors(const py::module_& signal_module);

// float32 [rows, cols] copy of a FeatureMatrix's values.
py::array_t<float> to_array(const FeatureMatrix& m);
// A contiguous float32 copy of a 1-D array-like (anything NumPy converts).
std::vector<float> to_samples(
    const py::array_t<float, py::array::c_style | py::array::forcecast>& a);

}  // namespace dynemo::python
