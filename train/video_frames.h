// Every frame of a video file, decoded once with FFmpeg's libraries into 8-bit RGB images (the
// training videos are small enough to hold in memory). Torch-free.
#pragma once
#include <string>
#include <vector>

#include "eval/image.h"

namespace vsr::train {

// All decoded frames of the best video stream, in decoding-output order, as `ffmpeg -fps_mode
// passthrough` writes them. Throws vsr::Error naming the file when it cannot be decoded.
std::vector<Image8> decode_video_frames(const std::string& path);

// The first frame index of a video's held-back tail: frames at or after it (the last 15%) are never
// used for training, as scripts/eval/interp_triplets.sh evaluates on exactly those.
inline int first_held_back_frame(int decoded_frame_count) { return decoded_frame_count * 85 / 100; }

}  // namespace vsr::train
