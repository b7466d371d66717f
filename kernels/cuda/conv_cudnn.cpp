// cuDNN 9 still ships the descriptor-based convolution API (deprecated in favour of the graph API,
// which needs far more code for the same primitives); its deprecation warnings are silenced for this
// file in CMake.
#include "conv_cudnn.h"

#include <cudnn.h>

#include <string>

#include "cuda_runtime.h"
#include "elementwise.h"
#include "kernels/cpu/conv.h"
#include "vsr/error.h"

namespace vsr::cuda {
namespace {

void check_cudnn(cudnnStatus_t status, const char* what) {
  if (status != CUDNN_STATUS_SUCCESS) throw Error(std::string("cuDNN ") + what + ": " + cudnnGetErrorString(status));
}

int to_int(int64_t v, const char* what) {
  if (v < 0 || v > INT32_MAX) throw Error(std::string("cuDNN: ") + what + " " + std::to_string(v) + " does not fit an int");
  return static_cast<int>(v);
}

void set_nchw(cudnnTensorDescriptor_t d, const std::vector<int64_t>& s) {
  check_cudnn(cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, to_int(s[0], "N"), to_int(s[1], "C"),
                                         to_int(s[2], "H"), to_int(s[3], "W")),
              "tensor descriptor");
}

}  // namespace

struct CudnnConv::Impl {
  cpu::ConvLayer layer;
  bool transpose = false;
  cudnnHandle_t handle = nullptr;
  cudnnTensorDescriptor_t x_desc = nullptr, y_desc = nullptr;
  cudnnFilterDescriptor_t w_desc = nullptr;
  cudnnConvolutionDescriptor_t conv_desc = nullptr;
  DeviceArray<float> weight, bias, slopes;
  DeviceArray<uint8_t> workspace;
  size_t workspace_bytes = 0;
  std::vector<int64_t> planned_shape;
  int algo = -1;

  ~Impl() {
    if (conv_desc) cudnnDestroyConvolutionDescriptor(conv_desc);
    if (w_desc) cudnnDestroyFilterDescriptor(w_desc);
    if (y_desc) cudnnDestroyTensorDescriptor(y_desc);
    if (x_desc) cudnnDestroyTensorDescriptor(x_desc);
    if (handle) cudnnDestroy(handle);
  }

  void plan(const std::vector<int64_t>& x_shape, const std::vector<int64_t>& y_shape) {
    set_nchw(x_desc, x_shape);
    set_nchw(y_desc, y_shape);
    constexpr int kCandidates = 8;
    int found = 0;
    if (!transpose) {
      cudnnConvolutionFwdAlgoPerf_t perf[kCandidates];
      check_cudnn(cudnnGetConvolutionForwardAlgorithm_v7(handle, x_desc, w_desc, conv_desc, y_desc, kCandidates, &found, perf),
                  "forward algorithm");
      for (int i = 0; i < found && algo < 0; ++i)
        if (perf[i].status == CUDNN_STATUS_SUCCESS) algo = perf[i].algo, workspace_bytes = perf[i].memory;
    } else {
      // A transposed convolution is the data gradient of the convolution from y's shape to x's.
      cudnnConvolutionBwdDataAlgoPerf_t perf[kCandidates];
      check_cudnn(cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, w_desc, x_desc, conv_desc, y_desc, kCandidates,
                                                               &found, perf),
                  "transposed-convolution algorithm");
      for (int i = 0; i < found && algo < 0; ++i)
        if (perf[i].status == CUDNN_STATUS_SUCCESS) algo = perf[i].algo, workspace_bytes = perf[i].memory;
    }
    if (algo < 0) throw Error("cuDNN offers no algorithm for a convolution on " + cpu::shape_string(x_shape));
    workspace.reserve(workspace_bytes);
    planned_shape = x_shape;
  }
};

CudnnConv::CudnnConv(const cpu::ConvLayer& layer, bool transpose, ConvPrecision precision, cudaStream_t stream)
    : impl_(std::make_unique<Impl>()) {
  Impl& im = *impl_;
  im.layer = layer;
  im.transpose = transpose;
  const cpu::ConvParams& p = layer.params;
  if (p.pad_top != p.pad_bottom || p.pad_left != p.pad_right)
    throw Error("cuDNN convolution: asymmetric padding is not supported on the GPU yet");
  check_cudnn(cudnnCreate(&im.handle), "create");
  check_cudnn(cudnnSetStream(im.handle, stream), "set stream");
  check_cudnn(cudnnCreateTensorDescriptor(&im.x_desc), "tensor descriptor");
  check_cudnn(cudnnCreateTensorDescriptor(&im.y_desc), "tensor descriptor");
  check_cudnn(cudnnCreateFilterDescriptor(&im.w_desc), "filter descriptor");
  check_cudnn(cudnnCreateConvolutionDescriptor(&im.conv_desc), "convolution descriptor");
  const auto& w = layer.weight.shape;  // Conv: [K, C/g, kh, kw]; ConvTranspose: [C, K/g, kh, kw]
  check_cudnn(cudnnSetFilter4dDescriptor(im.w_desc, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, to_int(w[0], "filters"),
                                         to_int(w[1], "channels"), to_int(w[2], "kernel height"), to_int(w[3], "kernel width")),
              "filter");
  check_cudnn(cudnnSetConvolution2dDescriptor(im.conv_desc, to_int(p.pad_top, "pad"), to_int(p.pad_left, "pad"),
                                              to_int(p.stride_h, "stride"), to_int(p.stride_w, "stride"),
                                              to_int(p.dilation_h, "dilation"), to_int(p.dilation_w, "dilation"),
                                              CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
              "convolution");
  check_cudnn(cudnnSetConvolutionGroupCount(im.conv_desc, to_int(p.group, "groups")), "groups");
  check_cudnn(cudnnSetConvolutionMathType(im.conv_desc, precision == ConvPrecision::Fp16
                                                            ? CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION
                                                            : CUDNN_FMA_MATH),
              "math type");
  im.weight.upload(layer.weight.data, stream);
  if (layer.has_bias) im.bias.upload(layer.bias.data, stream);
  if (p.activation.kind == cpu::ActivationKind::PRelu) im.slopes.upload(p.activation.slopes, stream);
  check(cudaStreamSynchronize(stream), "convolution weights upload");
}

CudnnConv::~CudnnConv() = default;

std::vector<int64_t> CudnnConv::output_shape(const std::vector<int64_t>& x_shape) const {
  cpu::Tensor probe;
  probe.shape = x_shape;
  return impl_->transpose ? cpu::conv_transpose_output_shape(probe, impl_->layer.weight, impl_->layer.params)
                          : cpu::conv_output_shape(probe, impl_->layer.weight, impl_->layer.params);
}

int CudnnConv::algorithm() const { return impl_->algo; }

void CudnnConv::run(const float* x, const std::vector<int64_t>& x_shape, float* y, const float* residual,
                    cudaStream_t stream) {
  Impl& im = *impl_;
  const std::vector<int64_t> y_shape = output_shape(x_shape);
  if (x_shape != im.planned_shape) {
    im.algo = -1;
    im.plan(x_shape, y_shape);
  }
  check_cudnn(cudnnSetStream(im.handle, stream), "set stream");
  const float one = 1.0f, zero = 0.0f;
  if (!im.transpose)
    check_cudnn(cudnnConvolutionForward(im.handle, &one, im.x_desc, x, im.w_desc, im.weight.data(), im.conv_desc,
                                        static_cast<cudnnConvolutionFwdAlgo_t>(im.algo), im.workspace.data(),
                                        im.workspace_bytes, &zero, im.y_desc, y),
                "convolution forward");
  else
    check_cudnn(cudnnConvolutionBackwardData(im.handle, &one, im.w_desc, im.weight.data(), im.x_desc, x, im.conv_desc,
                                             static_cast<cudnnConvolutionBwdDataAlgo_t>(im.algo), im.workspace.data(),
                                             im.workspace_bytes, &zero, im.y_desc, y),
                "transposed convolution");
  bias_activation(y, y_shape[0], y_shape[1], y_shape[2] * y_shape[3], im.layer.has_bias ? im.bias.data() : nullptr,
                  im.layer.params.activation, im.slopes.data(), residual, stream);
}

}  // namespace vsr::cuda
