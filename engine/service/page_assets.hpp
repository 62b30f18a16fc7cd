// The web page (engine/service/page/), built into the service: `sumisura serve` serves it at /
// with no files beside the binary (`--page DIR` serves a shop's own folder instead).
#pragma once

#include <vector>

namespace sumisura::service {

struct PageAsset {
  const char* path;          ///< "/index.html", "/page.js", ...
  const char* content_type;  ///< with its charset
  const char* content;
};

/// Every file of the page (generated at build time by cmake/embed_page.cmake).
const std::vector<PageAsset>& page_assets();

}  // namespace sumisura::service
