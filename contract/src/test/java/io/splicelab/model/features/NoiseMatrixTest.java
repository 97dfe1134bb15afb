package io.splicelab.model.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseMatrixTest {
    @Test
    void roundTripsAndRejectsMalformedArtifacts() {
        NoiseMatrix m = new NoiseMatrix(2, 3, new float[] {1, 2, 3, -4, 5.5f, Float.MIN_VALUE});
        NoiseMatrix back = NoiseMatrix.decode(m.encode());
        assertEquals(2, back.rows());
        assertEquals(3, back.cols());
        assertArrayEquals(m.values(), back.values());
        assertArrayEquals(new float[] {-4, 5.5f, Float.MIN_VALUE}, back.row(1));
        byte[] bytes = m.encode();
        assertThrows(IllegalArgumentException.class, () -> NoiseMatrix.decode(Arrays.copyOf(bytes, bytes.length - 1)));
        bytes[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> NoiseMatrix.decode(bytes));
        assertThrows(IllegalArgumentException.class, () -> new NoiseMatrix(2, 2, new float[3]));
    }
}
