# The trainer's sources that need nothing but LibTorch and ONNX (the architectures, the losses, mixed
# precision, checkpoints, the ONNX writer's callers): vsr_train_core builds them with the rest here,
# and train/device_check/ builds them alone on a GPU machine, whose PyTorch has no FFmpeg or oneDNN
# beside it. Names relative to train/.
set(VSR_TRAIN_TORCH_SOURCES
    sr_model.cpp espcn.cpp fsrcnn.cpp srvgg.cpp preupsample.cpp upsampler.cpp edsr.cpp rcan.cpp carn.cpp
    srresnet.cpp rrdb.cpp rdn.cpp drn.cpp spsr.cpp gradient_map.cpp cdc.cpp harris.cpp irn.cpp
    window_net.cpp recurrent_net.cpp interp_net.cpp warp.cpp
    losses.cpp loss_mix.cpp loss_settings.cpp feature_net.cpp discriminators.cpp
    mixed_precision.cpp checkpoint_io.cpp optimisation.cpp)
