package io.splicelab.onnx;

/**
 * A checkpoint that cannot be exported: its parameter file does not match its network (or is not a DJL parameter file
 * this module can read). The message says where and why.
 */
public class CheckpointFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }
}
