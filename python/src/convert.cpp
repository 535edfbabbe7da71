#include "convert.h"

#include <cstring>
#include <string>

#include "dynemo/error.h"

namespace dynemo::python {
namespace {

// The Python classes, kept alive for the life of the process (module objects are never freed).
PyObject* error_class = nullptr;
PyObject* audio_class = nullptr;
PyObject* io_class = nullptr;
PyObject* config_class = nullptr;

}  // namespace

void define_errors(py::module_& m) {
  const auto make = [&m](const char* name, PyObject* bases, const char* doc) {
    PyObject* cls =
        PyErr_NewExceptionWithDoc((std::string("dynemo.") + name).c_str(), doc, bases, nullptr);
    if (cls == nullptr) throw py::error_already_set();
    m.attr(name) = py::handle(cls);
    return cls;
  };
  error_class = make("Error", PyExc_Exception, "Any error reported by dynemo's library.");
  audio_class = make("AudioError", error_class,
                     "Unusable audio: missing, empty, corrupt, truncated, too short, NaN samples; "
                     "the message names the file and the problem.");
  py::tuple io_bases = py::make_tuple(py::handle(error_class), py::handle(PyExc_OSError));
  io_class = make("IoError", io_bases.ptr(), "A file that cannot be read or written.");
  py::tuple config_bases = py::make_tuple(py::handle(error_class), py::handle(PyExc_ValueError));
  config_class = make("ConfigError", config_bases.ptr(),
                      "An invalid option or an inconsistent model or feature set.");
  translate_errors(m);
}

void translate_errors(const py::module_& signal_module) {
  error_class = signal_module.attr("Error").ptr();
  audio_class = signal_module.attr("AudioError").ptr();
  io_class = signal_module.attr("IoError").ptr();
  config_class = signal_module.attr("ConfigError").ptr();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const AudioError& e) {
      PyErr_SetString(audio_class, e.what());
    } catch (const IoError& e) {
      PyErr_SetString(io_class, e.what());
    } catch (const ConfigError& e) {
      PyErr_SetString(config_class, e.what());
    } catch (const Error& e) {
      PyErr_SetString(error_class, e.what());
    }
  });
}

py::array_t<float> to_array(const FeatureMatrix& m) {
  py::array_t<float> out(
      {static_cast<py::ssize_t>(m.n_rows()), static_cast<py::ssize_t>(m.n_cols())});
  if (!m.values.empty())
    std::memcpy(out.mutable_data(), m.values.data(), m.values.size() * sizeof(float));
  return out;
}

std::vector<float> to_samples(
    const py::array_t<float, py::array::c_style | py::array::forcecast>& a) {
  if (a.ndim() != 1) {
    throw ConfigError("samples must be a 1-D array (mono), got " + std::to_string(a.ndim()) +
                      " dimensions");
  }
  return std::vector<float>(a.data(), a.data() + a.size());
}

}  // namespace dynemo::python
