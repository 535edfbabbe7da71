// The HTML around the figures: one self-contained page (inline CSS and SVG, no scripts, no
// network), sections, notes, and tables of numbers. Private to src/explain.
#pragma once

#include <string>
#include <vector>

namespace dynemo::explain {

// A whole document: <!DOCTYPE html>, <title>, the CSS, `body` inside <main>, and a footer with
// the dynemo version and git SHA.
std::string html_page(const std::string& title, const std::string& body);

// <section id="<id>"><h2>heading</h2> content </section>; id may be empty.
std::string html_section(const std::string& id, const std::string& heading,
                         const std::string& content);

// A table with a header row; cells are escaped. id may be empty.
std::string html_table(const std::string& id, const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows);

// A number with `decimals` decimals, "n/a" when not finite.
std::string html_number(double value, int decimals = 3);

// <p class="note">text</p>, escaped.
std::string html_note(const std::string& text);

}  // namespace dynemo::explain
