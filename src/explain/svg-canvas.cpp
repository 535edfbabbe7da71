// The SVG back end of Canvas: one element per call, classes and ids as given, numbers with at
// most two decimals (0.005 px), text as real <text> so the page stays searchable.
#include <cmath>
#include <cstdio>

#include "dynemo/error.h"
#include "explain/canvas.h"

namespace dynemo::explain {
namespace {

std::string color(Rgb c) {
  auto channel = [](double v) {
    const double clamped = v < 0 ? 0 : (v > 1 ? 1 : v);
    return static_cast<int>(std::lround(clamped * 255.0));
  };
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", channel(c.r), channel(c.g), channel(c.b));
  return text;
}

std::string class_attr(const std::string& cls) {
  return cls.empty() ? std::string() : " class=\"" + escape_xml(cls) + "\"";
}

std::string points_attr(const std::vector<Point>& points) {
  std::string out;
  for (const Point& p : points) {
    if (!out.empty()) out += ' ';
    out += fmt_px(p.x) + "," + fmt_px(p.y);
  }
  return out;
}

std::string title_element(const std::string& title) {
  return title.empty() ? std::string() : "<title>" + escape_xml(title) + "</title>";
}

}  // namespace

std::string escape_xml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fmt_px(double value) {
  if (!std::isfinite(value)) value = 0.0;
  char text[48];
  std::snprintf(text, sizeof text, "%.2f", value);
  std::string s = text;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

SvgCanvas::SvgCanvas(const std::string& id, double width_px, double height_px)
    : Canvas(width_px, height_px), id_(id) {}

void SvgCanvas::begin_group(const std::string& cls, const std::string& id,
                            const DataAttributes& data) {
  body_ << "<g" << class_attr(cls);
  if (!id.empty()) body_ << " id=\"" << escape_xml(id) << '"';
  for (const auto& [key, value] : data)
    body_ << " data-" << key << "=\"" << escape_xml(value) << '"';
  body_ << ">\n";
  ++depth_;
}

void SvgCanvas::end_group() {
  if (depth_ == 0) throw Error("svg: end_group without begin_group");
  --depth_;
  body_ << "</g>\n";
}

void SvgCanvas::polyline(const std::vector<Point>& points, const Stroke& stroke,
                         const std::string& cls) {
  body_ << "<polyline" << class_attr(cls) << " fill=\"none\" stroke=\"" << color(stroke.color)
        << "\" stroke-width=\"" << fmt_px(stroke.width_px) << '"'
        << (stroke.dashed ? " stroke-dasharray=\"4 3\"" : "") << " points=\"" << points_attr(points)
        << "\"/>\n";
}

void SvgCanvas::polygon(const std::vector<Point>& points, Rgb fill, double opacity,
                        const std::string& cls) {
  body_ << "<polygon" << class_attr(cls) << " fill=\"" << color(fill) << "\" fill-opacity=\""
        << fmt_px(opacity) << "\" points=\"" << points_attr(points) << "\"/>\n";
}

void SvgCanvas::rect(double x, double y, double w, double h, Rgb fill, const std::string& cls,
                     const std::string& title) {
  body_ << "<rect" << class_attr(cls) << " x=\"" << fmt_px(x) << "\" y=\"" << fmt_px(y)
        << "\" width=\"" << fmt_px(w) << "\" height=\"" << fmt_px(h) << "\" fill=\"" << color(fill)
        << '"';
  if (title.empty()) {
    body_ << "/>\n";
  } else {
    body_ << '>' << title_element(title) << "</rect>\n";
  }
}

void SvgCanvas::circle(Point centre, double radius_px, Rgb fill, const std::string& cls,
                       const std::string& title) {
  body_ << "<circle" << class_attr(cls) << " cx=\"" << fmt_px(centre.x) << "\" cy=\""
        << fmt_px(centre.y) << "\" r=\"" << fmt_px(radius_px) << "\" fill=\"" << color(fill) << '"';
  if (title.empty()) {
    body_ << "/>\n";
  } else {
    body_ << '>' << title_element(title) << "</circle>\n";
  }
}

void SvgCanvas::text(Point at, const std::string& text, double size_px, Anchor anchor,
                     const std::string& cls, bool vertical) {
  const char* anchors[] = {"start", "middle", "end"};
  body_ << "<text" << class_attr(cls) << " x=\"" << fmt_px(at.x) << "\" y=\"" << fmt_px(at.y)
        << "\" font-size=\"" << fmt_px(size_px) << "\" text-anchor=\""
        << anchors[static_cast<int>(anchor)] << '"';
  if (vertical) {
    body_ << " transform=\"rotate(-90 " << fmt_px(at.x) << ' ' << fmt_px(at.y) << ")\"";
  }
  body_ << '>' << escape_xml(text) << "</text>\n";
}

std::string SvgCanvas::svg() const {
  if (depth_ != 0) throw Error("svg " + id_ + ": " + std::to_string(depth_) + " groups left open");
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + escape_xml(id_) +
         "\" class=\"plot\" width=\"" + fmt_px(width_px()) + "\" height=\"" + fmt_px(height_px()) +
         "\" viewBox=\"0 0 " + fmt_px(width_px()) + ' ' + fmt_px(height_px()) +
         "\" font-family=\"DejaVu Sans, sans-serif\">\n" +
         "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" + fmt_px(width_px()) +
         "\" height=\"" + fmt_px(height_px()) + "\" fill=\"#ffffff\"/>\n" + body_.str() +
         "</svg>\n";
}

}  // namespace dynemo::explain
