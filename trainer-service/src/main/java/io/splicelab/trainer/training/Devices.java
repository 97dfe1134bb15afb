package io.splicelab.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Resolves the configured device: {@code auto} takes the first GPU when the engine has one (CUDA natives
 * installed, see the README), else the CPU; {@code gpu} without a GPU is an error before the run starts.
 */
public final class Devices {
    private Devices() {
    }

    public static Device resolve(String device) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (device == null ? "auto" : device) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("device gpu requested but the PyTorch engine sees no GPU "
                            + "(CPU natives installed, or no CUDA driver); see trainer-service/README.md");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }
}
