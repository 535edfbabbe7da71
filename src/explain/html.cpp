// The page frame and its small building blocks. Everything the page needs is inside it, so it
// opens from disk in any browser and can be mailed as one file.
#include "explain/html.h"

#include <cmath>
#include <cstdio>

#include "dynemo/version.h"
#include "explain/canvas.h"

namespace dynemo::explain {
namespace {

const char* const kCss =
    R"(body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;color:#222;background:#f6f6f4}
main{max-width:1000px;margin:0 auto;padding:16px 24px;background:#fff}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid #ddd}
.summary{font-size:14px;line-height:1.6}.summary b{display:inline-block;min-width:15em}
h3{font-size:14px;margin:14px 0 2px}.row{display:flex;flex-wrap:wrap;gap:12px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}
td:first-child,th:first-child{text-align:left}
svg.plot{display:block;max-width:100%;height:auto;margin:6px 0}
.note{color:#8a5a00;font-size:13px}footer{color:#888;font-size:11px;margin-top:24px})";

}  // namespace

std::string html_page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
         escape_xml(title) + "</title>\n<style>\n" + kCss +
         "\n</style>\n</head>\n<body>\n<main>\n" + "<h1>" + escape_xml(title) + "</h1>\n" + body +
         "<footer>dynemo " + kVersion + " (" + kGitSha + ")</footer>\n</main>\n</body>\n</html>\n";
}

std::string html_section(const std::string& id, const std::string& heading,
                         const std::string& content) {
  return "<section" + (id.empty() ? std::string() : " id=\"" + escape_xml(id) + "\"") + ">\n<h2>" +
         escape_xml(heading) + "</h2>\n" + content + "</section>\n";
}

std::string html_table(const std::string& id, const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string out =
      "<table" + (id.empty() ? std::string() : " id=\"" + escape_xml(id) + "\"") + ">\n<tr>";
  for (const std::string& h : header) out += "<th>" + escape_xml(h) + "</th>";
  out += "</tr>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += "<td>" + escape_xml(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

std::string html_number(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string html_note(const std::string& text) {
  return "<p class=\"note\">" + escape_xml(text) + "</p>\n";
}

}  // namespace dynemo::explain
