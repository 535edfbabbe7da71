// Reading the explain and report pages back in tests: an <svg> by id, elements by tag and
// class, attributes, polyline points mapped back to data through their panel's data-box /
// data-xlim / data-ylim, and the size and colours of a PNG file (decoded with cairo).
#pragma once

#include <cairo.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace dynemo::testing {

// The <svg ...>...</svg> whose id is `id`; empty when absent.
inline std::string svg_by_id(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  const std::size_t end = html.find("</svg>", at);
  return html.substr(at, end == std::string::npos ? std::string::npos : end + 6 - at);
}

// Opening tags <tag ... class="cls" ...> in order (the text from '<' to '>').
inline std::vector<std::string> elements(const std::string& text, const std::string& tag,
                                         const std::string& cls) {
  std::vector<std::string> out;
  const std::string open = "<" + tag + " class=\"" + cls + "\"";
  for (std::size_t at = text.find(open); at != std::string::npos; at = text.find(open, at + 1)) {
    out.push_back(text.substr(at, text.find('>', at) + 1 - at));
  }
  return out;
}

// The value of attribute `name` in an opening tag; empty when absent.
inline std::string attr(const std::string& tag, const std::string& name) {
  const std::size_t at = tag.find(" " + name + "=\"");
  if (at == std::string::npos) return "";
  const std::size_t begin = at + name.size() + 3;
  return tag.substr(begin, tag.find('"', begin) - begin);
}

inline std::vector<double> numbers(const std::string& text) {
  std::vector<double> out;
  std::string cleaned = text;
  for (char& c : cleaned) c = c == ',' ? ' ' : c;
  std::istringstream in(cleaned);
  double v;
  while (in >> v) out.push_back(v);
  return out;
}

// Maps pixels back to data with the attributes of the panel group that contains `pos`.
struct PanelMap {
  double left = 0, top = 0, width = 1, height = 1, x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double x(double px) const { return x0 + (px - left) / width * (x1 - x0); }
  double y(double py) const { return y0 + (top + height - py) / height * (y1 - y0); }
};

inline PanelMap panel_at(const std::string& svg, std::size_t pos) {
  const std::size_t at = svg.rfind("<g class=\"panel", pos);
  const std::string tag = svg.substr(at, svg.find('>', at) + 1 - at);
  const std::vector<double> box = numbers(attr(tag, "data-box"));
  const std::vector<double> xlim = numbers(attr(tag, "data-xlim"));
  const std::vector<double> ylim = numbers(attr(tag, "data-ylim"));
  return {box.at(0),  box.at(1),  box.at(2),  box.at(3),
          xlim.at(0), xlim.at(1), ylim.at(0), ylim.at(1)};
}

// Data coordinates of the first polyline of class `cls` in `svg`.
inline std::vector<std::pair<double, double>> polyline_data(const std::string& svg,
                                                            const std::string& cls) {
  std::vector<std::pair<double, double>> out;
  const std::size_t at = svg.find("<polyline class=\"" + cls + "\"");
  if (at == std::string::npos) return out;
  const PanelMap panel = panel_at(svg, at);
  const std::string tag = svg.substr(at, svg.find('>', at) + 1 - at);
  const std::vector<double> xy = numbers(attr(tag, "points"));
  for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
    out.push_back({panel.x(xy[i]), panel.y(xy[i + 1])});
  }
  return out;
}

inline std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Size and number of distinct colours of a PNG file (width -1 when it is not a PNG).
struct PngInfo {
  int width = -1, height = -1;
  std::size_t n_colours = 0;
};

inline PngInfo png_info(const std::string& path) {
  PngInfo info;
  cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    cairo_surface_flush(s);
    info.width = cairo_image_surface_get_width(s);
    info.height = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    std::set<unsigned> colours;
    for (int y = 0; y < info.height && colours.size() < 64; y += 3) {
      const auto* row = reinterpret_cast<const unsigned*>(data + y * stride);
      for (int x = 0; x < info.width; x += 3) colours.insert(row[x]);
    }
    info.n_colours = colours.size();
  }
  cairo_surface_destroy(s);
  return info;
}

}  // namespace dynemo::testing
