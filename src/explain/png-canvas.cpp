// The PNG back end of Canvas: the same calls drawn with cairo on an ARGB image surface (white
// background, DejaVu Sans through cairo's toy font API), encoded in memory and written
// atomically. Groups, classes and titles have no meaning in a bitmap and are ignored.
#include <cairo.h>

#include <cmath>

#include "dynemo/error.h"
#include "dynemo/io.h"
#include "explain/canvas.h"

namespace dynemo::explain {

struct PngCanvas::Impl {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
};

namespace {

void path_of(cairo_t* cr, const std::vector<Point>& points) {
  cairo_new_path(cr);
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i == 0) {
      cairo_move_to(cr, points[i].x, points[i].y);
    } else {
      cairo_line_to(cr, points[i].x, points[i].y);
    }
  }
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

PngCanvas::PngCanvas(double width_px, double height_px)
    : Canvas(width_px, height_px), impl_(std::make_unique<Impl>()) {
  const int w = static_cast<int>(std::ceil(width_px)), h = static_cast<int>(std::ceil(height_px));
  impl_->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  impl_->cr = cairo_create(impl_->surface);
  if (cairo_status(impl_->cr) != CAIRO_STATUS_SUCCESS) {
    throw Error("png: cannot create a " + std::to_string(w) + "x" + std::to_string(h) +
                " image: " + cairo_status_to_string(cairo_status(impl_->cr)));
  }
  cairo_set_source_rgb(impl_->cr, 1, 1, 1);
  cairo_paint(impl_->cr);
  cairo_select_font_face(impl_->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
}

PngCanvas::~PngCanvas() {
  cairo_destroy(impl_->cr);
  cairo_surface_destroy(impl_->surface);
}

void PngCanvas::begin_group(const std::string&, const std::string&, const DataAttributes&) {}
void PngCanvas::end_group() {}

void PngCanvas::polyline(const std::vector<Point>& points, const Stroke& stroke,
                         const std::string&) {
  cairo_t* cr = impl_->cr;
  path_of(cr, points);
  cairo_set_source_rgb(cr, stroke.color.r, stroke.color.g, stroke.color.b);
  cairo_set_line_width(cr, stroke.width_px);
  const double dashes[] = {4.0, 3.0};
  cairo_set_dash(cr, dashes, stroke.dashed ? 2 : 0, 0.0);
  cairo_stroke(cr);
}

void PngCanvas::polygon(const std::vector<Point>& points, Rgb fill, double opacity,
                        const std::string&) {
  cairo_t* cr = impl_->cr;
  path_of(cr, points);
  cairo_close_path(cr);
  cairo_set_source_rgba(cr, fill.r, fill.g, fill.b, opacity);
  cairo_fill(cr);
}

void PngCanvas::rect(double x, double y, double w, double h, Rgb fill, const std::string&,
                     const std::string&) {
  cairo_t* cr = impl_->cr;
  cairo_new_path(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_set_source_rgb(cr, fill.r, fill.g, fill.b);
  cairo_fill(cr);
}

void PngCanvas::circle(Point centre, double radius_px, Rgb fill, const std::string&,
                       const std::string&) {
  cairo_t* cr = impl_->cr;
  cairo_new_path(cr);
  cairo_arc(cr, centre.x, centre.y, radius_px, 0.0, 2.0 * M_PI);
  cairo_set_source_rgb(cr, fill.r, fill.g, fill.b);
  cairo_fill(cr);
}

void PngCanvas::text(Point at, const std::string& text, double size_px, Anchor anchor,
                     const std::string&, bool vertical) {
  cairo_t* cr = impl_->cr;
  cairo_save(cr);
  cairo_set_font_size(cr, size_px);
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  const double shift = anchor == Anchor::start    ? 0.0
                       : anchor == Anchor::middle ? extents.x_advance / 2.0
                                                  : extents.x_advance;
  cairo_translate(cr, at.x, at.y);
  if (vertical) cairo_rotate(cr, -M_PI / 2.0);
  cairo_move_to(cr, -shift, 0.0);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_show_text(cr, text.c_str());
  cairo_restore(cr);
}

void PngCanvas::write_png(const std::string& path) const {
  cairo_surface_flush(impl_->surface);
  std::string bytes;
  const cairo_status_t status =
      cairo_surface_write_to_png_stream(impl_->surface, append_bytes, &bytes);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw IoError(path + ": cannot encode the PNG: " + cairo_status_to_string(status));
  }
  write_file_atomic(path, bytes);
}

}  // namespace dynemo::explain
