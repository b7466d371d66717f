// Still photos from folders of JPEG and PNG files, for the synthetic-motion samplers of both sequence
// datasets (frame_sequence_dataset.h, video_sequence_dataset.h). Torch-free.
#pragma once
#include <string>
#include <vector>

#include "eval/image.h"

namespace vsr::train {

// Every *.jpg / *.jpeg / *.png of the folders (name order), JPEGs decoded at 1/jpeg_denominator (the
// lent photos are 4-24 Mpixel). Throws vsr::Error naming a folder that cannot be read or a bad file.
std::vector<Image8> load_stills(const std::vector<std::string>& folders, int jpeg_denominator);

}  // namespace vsr::train
