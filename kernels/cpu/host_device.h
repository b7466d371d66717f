// VSR_HD marks small inline functions that both the CPU reference and its CUDA twin call, so the two
// backends share one copy of the arithmetic (host-only when not compiled by nvcc).
#pragma once
#ifdef __CUDACC__
#define VSR_HD __host__ __device__
#else
#define VSR_HD
#endif
