// The drawing surface of every plot: one interface, two back ends. SvgCanvas writes SVG text
// whose elements carry the ids and classes the drawing code gives (so pages and tests can find
// "the arousal curve"); PngCanvas renders the same calls with cairo into a PNG. Coordinates are
// pixels, origin top left, y down. Private to src/explain.
#pragma once

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace dynemo::explain {

struct Rgb {
  double r = 0, g = 0, b = 0;  // each in [0, 1]
};

struct Point {
  double x = 0, y = 0;  // pixels
};

struct Stroke {
  Rgb color;
  double width_px = 1.5;
  bool dashed = false;
};

enum class Anchor { start, middle, end };

// data-* attributes of a group ("box" -> data-box="..."); ignored by the PNG back end.
using DataAttributes = std::map<std::string, std::string>;

class Canvas {
 public:
  Canvas(double width_px, double height_px) : width_px_(width_px), height_px_(height_px) {}
  virtual ~Canvas() = default;
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  double width_px() const { return width_px_; }
  double height_px() const { return height_px_; }

  // A group of elements; cls and id may be empty. Groups nest; every begin needs an end.
  virtual void begin_group(const std::string& cls, const std::string& id = "",
                           const DataAttributes& data = {}) = 0;
  virtual void end_group() = 0;
  // An open line through `points` (at least 1).
  virtual void polyline(const std::vector<Point>& points, const Stroke& stroke,
                        const std::string& cls) = 0;
  // A closed, filled shape with opacity in [0, 1].
  virtual void polygon(const std::vector<Point>& points, Rgb fill, double opacity,
                       const std::string& cls) = 0;
  // A filled axis-aligned rectangle; `title` becomes a tooltip in SVG.
  virtual void rect(double x, double y, double w, double h, Rgb fill, const std::string& cls,
                    const std::string& title = "") = 0;
  virtual void circle(Point centre, double radius_px, Rgb fill, const std::string& cls,
                      const std::string& title = "") = 0;
  // Text with its baseline at `at`; vertical = rotated 90 degrees counter-clockwise.
  virtual void text(Point at, const std::string& text, double size_px, Anchor anchor,
                    const std::string& cls, bool vertical = false) = 0;

 private:
  double width_px_, height_px_;
};

// SVG text of the drawing: <svg id="<id>" class="plot" ...>...</svg>.
class SvgCanvas : public Canvas {
 public:
  SvgCanvas(const std::string& id, double width_px, double height_px);
  void begin_group(const std::string& cls, const std::string& id = "",
                   const DataAttributes& data = {}) override;
  void end_group() override;
  void polyline(const std::vector<Point>& points, const Stroke& stroke,
                const std::string& cls) override;
  void polygon(const std::vector<Point>& points, Rgb fill, double opacity,
               const std::string& cls) override;
  void rect(double x, double y, double w, double h, Rgb fill, const std::string& cls,
            const std::string& title = "") override;
  void circle(Point centre, double radius_px, Rgb fill, const std::string& cls,
              const std::string& title = "") override;
  void text(Point at, const std::string& text, double size_px, Anchor anchor,
            const std::string& cls, bool vertical = false) override;
  // The finished document. Throws Error when a group is still open.
  std::string svg() const;

 private:
  std::string id_;
  std::ostringstream body_;
  int depth_ = 0;
};

// Renders with cairo on an ARGB image of the canvas size (white background).
class PngCanvas : public Canvas {
 public:
  PngCanvas(double width_px, double height_px);
  ~PngCanvas() override;
  void begin_group(const std::string& cls, const std::string& id = "",
                   const DataAttributes& data = {}) override;
  void end_group() override;
  void polyline(const std::vector<Point>& points, const Stroke& stroke,
                const std::string& cls) override;
  void polygon(const std::vector<Point>& points, Rgb fill, double opacity,
               const std::string& cls) override;
  void rect(double x, double y, double w, double h, Rgb fill, const std::string& cls,
            const std::string& title = "") override;
  void circle(Point centre, double radius_px, Rgb fill, const std::string& cls,
              const std::string& title = "") override;
  void text(Point at, const std::string& text, double size_px, Anchor anchor,
            const std::string& cls, bool vertical = false) override;
  // Encodes the image and writes it atomically to `path`. Throws IoError naming the file.
  void write_png(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "&", "<", ">", '"' and "'" as entities, for SVG and HTML text and attribute values.
std::string escape_xml(const std::string& text);

// A number for SVG coordinates: at most 2 decimals, no trailing zeros ("12.5", "3").
std::string fmt_px(double value);

}  // namespace dynemo::explain
