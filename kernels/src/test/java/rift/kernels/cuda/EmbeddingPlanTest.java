package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EmbeddingPlanTest {
    @Test
    void groupsPositionsByRowInTokenOrder() {
        int[] ids = {4, 1, 4, 0, 1, 4, 9};
        int[] packed = EmbeddingPlan.groupByRow(ids, 6); // the last id is beyond N and ignored
        int U = EmbeddingPlan.uniqueRows(packed, 6);
        assertEquals(3, U);
        assertArrayEquals(new int[] {0, 1, 4, /* start */ 0, 1, 3, 6, /* pos */ 3, 1, 4, 0, 2, 5}, packed);
    }

    @Test
    void emptyInput() {
        int[] packed = EmbeddingPlan.groupByRow(new int[0], 0);
        assertEquals(0, EmbeddingPlan.uniqueRows(packed, 0));
        assertArrayEquals(new int[] {0}, packed);
    }
}
