# Sourced by every recipe: GStreamer finds the freshly built plugin (build/plugin, or
# $VSR_BUILD_DIR/plugin) through a registry of our own, so a stale system registry cannot hide it.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${VSR_BUILD_DIR:-$root/build}
export GST_PLUGIN_PATH="$build/plugin${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
export GST_REGISTRY="${GST_REGISTRY:-$build/gst-registry.bin}"
