#include "pooling.h"

#include "vsr/error.h"

namespace vsr::cpu {

void global_average_pool(const Tensor& x, Tensor& y) {
  if (x.shape.size() < 3) throw Error("GlobalAveragePool expects N x C x spatial..., got " + shape_string(x.shape));
  int64_t plane = 1;
  for (size_t d = 2; d < x.shape.size(); ++d) plane *= x.shape[d];
  if (plane == 0) throw Error("GlobalAveragePool: empty spatial extent in " + shape_string(x.shape));
  std::vector<int64_t> shape(x.shape.size(), 1);
  shape[0] = x.shape[0];
  shape[1] = x.shape[1];
  y.is_int = false;
  y.ints.clear();
  y.resize(shape);
  const int64_t planes = x.shape[0] * x.shape[1];
#pragma omp parallel for schedule(static)
  for (int64_t p = 0; p < planes; ++p) {
    const float* in = x.data.data() + p * plane;
    double sum = 0.0;  // double: a 4K plane of floats would otherwise lose low bits
    for (int64_t i = 0; i < plane; ++i) sum += in[i];
    y.data[p] = static_cast<float>(sum / static_cast<double>(plane));
  }
}

}  // namespace vsr::cpu
