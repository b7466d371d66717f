// A mapped GstVideoFrame as the vsr engine sees it: its planes, format, colour matrix and range, and
// whether the planes are GPU memory (mapped with GST_MAP_CUDA). No copy. Shared by the elements.
#pragma once
#include <gst/video/video.h>

#include "vsr/frame.h"

// Formats outside the elements' pad templates are not mapped (the format stays RGB).
vsr::Frame frame_view(GstVideoFrame* frame);
