// The sequence trainers' sources of consecutive frames (vsr-train-video, vsr-train-interp): video files
// and folders of frame images, loaded once at startup (torch-free).
#pragma once
#include <string>
#include <vector>

#include "eval/image.h"

namespace vsr::train {

struct TrainingClip {
  std::string name;            // the file, or the frame folder relative to the folder named
  std::vector<Image8> frames;  // the frames training may read, in order
  int total_frames = 0;        // before the held-back tail was dropped (video files)
};

// A video file: one clip, its frames before the held-back tail (first_held_back_frame: the last 15%,
// which scripts/eval evaluates on), decoded with FFmpeg's libraries.
// A folder: every folder under it (itself included) that holds two or more PNG or JPEG frames is one
// clip of all its frames in name order, numbers by value (frame_2 before frame_10). Nothing is held
// back: such sets (REDS, Vimeo-90K, frame dumps) are split into training and evaluation by folder.
// Frames of one clip must share a size.
// Throws vsr::Error naming the file or folder that cannot be read.
std::vector<TrainingClip> load_training_clips(const std::string& path);

// "vtest.avi: frames 0..674 of 795 (768x576; held back from 675)", or for a folder's clips
// "REDS/train: 240 frame folders, 24000 frames (1280x720 ...)": the trainers' data lines.
std::string describe_clips(const std::string& path, const std::vector<TrainingClip>& clips);

}  // namespace vsr::train
