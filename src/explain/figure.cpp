// Rendering a Figure: the same drawing code on the SVG or the PNG canvas.
#include "explain/figures.h"

namespace dynemo::explain {

std::string render_svg(const Figure& figure) {
  SvgCanvas canvas(figure.id, figure.width_px, figure.height_px);
  figure.draw(canvas);
  return canvas.svg();
}

void render_png(const Figure& figure, const std::string& path) {
  PngCanvas canvas(figure.width_px, figure.height_px);
  figure.draw(canvas);
  canvas.write_png(path);
}

}  // namespace dynemo::explain
