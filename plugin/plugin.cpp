// Registers the vsr GStreamer plugin and its elements.
#include <gst/gst.h>

#include "gstvsrinterpolate.h"
#include "gstvsrupscale.h"

#ifndef PACKAGE
#define PACKAGE "vsr"
#endif

static gboolean plugin_init(GstPlugin* plugin) {
  return GST_ELEMENT_REGISTER(vsrupscale, plugin) && GST_ELEMENT_REGISTER(vsrinterpolate, plugin);
}

GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, vsr, "Video super-resolution (vsr)", plugin_init, "0.1.0",
                  "LGPL", "vsr", "vsr project")
