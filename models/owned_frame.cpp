#include "owned_frame.h"

#include <cstring>

namespace vsr {

OwnedFrame::OwnedFrame(const Frame& source) : frame_(source) {
  size_t offsets[3] = {0, 0, 0}, total = 0;
  PlaneExtent extents[3];
  for (int p = 0; p < plane_count(source.format); ++p) {
    extents[p] = plane_extent(source.format, source.width, source.height, p);
    offsets[p] = total;
    total += static_cast<size_t>(extents[p].row_bytes) * extents[p].rows;
  }
  bytes_.resize(total);
  for (int p = 0; p < plane_count(source.format); ++p) {
    for (int y = 0; y < extents[p].rows; ++y)
      std::memcpy(bytes_.data() + offsets[p] + static_cast<size_t>(y) * extents[p].row_bytes,
                  source.planes[p].data + static_cast<size_t>(y) * source.planes[p].stride, extents[p].row_bytes);
    frame_.planes[p] = {bytes_.data() + offsets[p], extents[p].row_bytes};
  }
}

}  // namespace vsr
