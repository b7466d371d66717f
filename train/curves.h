// The training curves as a PNG (loss and validation PSNR against iterations), redrawn from train.csv
// at each checkpoint so a run can be watched with any image viewer. No plotting library: two panels
// of polylines on a white canvas, with the value range printed in the log instead of tick labels.
#pragma once
#include <string>

namespace vsr::train {

// Reads `csv` (train.csv's columns) and writes `png`. Returns a one-line summary of the ranges drawn
// ("loss 0.031..0.020, val_psnr 32.1..36.5 dB over 0..50000"), empty when there is nothing to draw.
std::string draw_curves(const std::string& csv, const std::string& png);

}  // namespace vsr::train
