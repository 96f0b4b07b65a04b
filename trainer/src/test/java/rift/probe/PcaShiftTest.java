package rift.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;
import rift.probe.PcaShift.LayerPoint;
import rift.probe.PcaShift.Result;
import rift.util.Rng;

class PcaShiftTest {
    static final int TEXTS = 12, HIDDEN = 20, LAYERS = 4;

    static double[][][] baseFeatures() {
        double[][][] f = new double[LAYERS][][];
        for (int l = 0; l < LAYERS; l++) f[l] = PcaTest.randomMatrix(TEXTS, HIDDEN, 100 + l);
        return f;
    }

    /** Every text's features moved by the same vector per layer. */
    static double[][][] moved(double[][][] base, double[][] offsetPerLayer) {
        double[][][] out = new double[base.length][TEXTS][HIDDEN];
        for (int l = 0; l < base.length; l++) {
            for (int k = 0; k < TEXTS; k++) {
                for (int j = 0; j < HIDDEN; j++) out[l][k][j] = base[l][k][j] + offsetPerLayer[l][j];
            }
        }
        return out;
    }

    static double[] scaled(double[] v, double c) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) out[j] = c * v[j];
        return out;
    }

    @Test
    void identicalModelsHaveNoShift() {
        double[][][] base = baseFeatures();
        Result r = PcaShift.analyze("same", base, base);
        assertEquals(0, r.d(), 0);
        assertEquals(LAYERS, r.layers().size());
        for (LayerPoint p : r.layers()) {
            assertEquals(0, p.shift(), 0);
            assertEquals(p.pc2Base(), p.pc2Tuned(), 0);
        }
    }

    /** tuned = base + c·PC1 of each layer: shift = c, PC2 unchanged, d = |c|, sign follows c. */
    @Test
    void moveAlongFirstComponent() {
        double[][][] base = baseFeatures();
        double[][] pc1 = new double[LAYERS][];
        for (int l = 0; l < LAYERS; l++) pc1[l] = Pca.fit(base[l], 2, "base").components()[0];
        double previous = 0;
        for (double c : new double[] {0.5, 1, 2, 4}) {
            double[][] offsets = new double[LAYERS][];
            for (int l = 0; l < LAYERS; l++) offsets[l] = scaled(pc1[l], c);
            Result r = PcaShift.analyze("pc1", base, moved(base, offsets));
            for (LayerPoint p : r.layers()) {
                assertEquals(c, p.shift(), 1e-12);
                assertEquals(p.pc2Base(), p.pc2Tuned(), 1e-12);
            }
            assertEquals(c, r.meanShift(), 1e-12);
            assertEquals(c, r.d(), 1e-12);
            assertTrue(r.d() > previous, "d grows with c");
            previous = r.d();
        }
        double[][] back = new double[LAYERS][];
        for (int l = 0; l < LAYERS; l++) back[l] = scaled(pc1[l], -3);
        Result r = PcaShift.analyze("pc1", base, moved(base, back));
        assertEquals(-3, r.meanShift(), 1e-12);
        assertEquals(3, r.d(), 1e-12);
    }

    /** A general offset v moves PC1 by v·c1 and PC2 by v·c2 in every layer. */
    @Test
    void generalOffsetProjectsOnBaseAxes() {
        double[][][] base = baseFeatures();
        Rng rng = new Rng(9);
        double[][] offsets = new double[LAYERS][HIDDEN];
        for (double[] o : offsets) for (int j = 0; j < HIDDEN; j++) o[j] = rng.nextGaussian();
        Result r = PcaShift.analyze("v", base, moved(base, offsets));
        double shiftSum = 0, pc2Sum = 0;
        for (int l = 0; l < LAYERS; l++) {
            Pca pca = Pca.fit(base[l], 2, "base");
            double along1 = Pca.dot(offsets[l], pca.components()[0]);
            double along2 = Pca.dot(offsets[l], pca.components()[1]);
            LayerPoint p = r.layers().get(l);
            assertEquals(along1, p.shift(), 1e-12);
            assertEquals(along2, p.pc2Tuned() - p.pc2Base(), 1e-12);
            assertEquals(pca.meanRawProjection(base[l], 0), p.pc1Base(), 0);
            shiftSum += along1;
            pc2Sum += along2;
        }
        assertEquals(Math.hypot(shiftSum / LAYERS, pc2Sum / LAYERS), r.d(), 1e-12);
    }

    /** The centroid rule: d uses the layer means, so opposite shifts in two layers cancel. */
    @Test
    void oppositeLayerShiftsCancelInD() {
        LayerPoint a = new LayerPoint(0, 5, 1, 7, 1, 2, 1, 1);
        LayerPoint b = new LayerPoint(1, 5, 1, 3, 4, -2, 1, 1);
        Result r = PcaShift.combine("two", List.of(a, b));
        assertEquals(0, r.meanShift(), 0);
        assertEquals(1, r.meanPc2Base(), 0);
        assertEquals(2.5, r.meanPc2Tuned(), 0);
        assertEquals(1.5, r.d(), 0);
        assertEquals((1.5 + 2) / 2, PcaShift.meanD(List.of(r, PcaShift.combine("one", List.of(a)))), 0);
    }

    @Test
    void poolingWithAndWithoutPads() {
        // two texts of T = 3 positions, hidden 2; text 0 is left-padded by one position
        float[][][] hidden = {
            {{9, 9}, {1, 2}, {3, 4}},
            {{1, 1}, {2, 2}, {3, 6}},
        };
        boolean[][] mask = {{false, true, true}, {true, true, true}};
        double[][] withPads = PcaShift.meanPool(hidden, mask, false);
        double[][] realOnly = PcaShift.meanPool(hidden, mask, true);
        assertArrayEquals(new double[] {13 / 3.0, 5}, withPads[0], 1e-15);
        assertArrayEquals(new double[] {2, 3}, realOnly[0], 0);
        assertArrayEquals(new double[] {2, 3}, withPads[1], 0); // no pads: both ways agree
        assertArrayEquals(withPads[1], realOnly[1], 0);
        float[] flat = {9, 9, 1, 2, 3, 4, 1, 1, 2, 2, 3, 6};
        assertArrayEquals(withPads[0], PcaShift.meanPool(flat, 2, 3, 2, mask, false)[0], 0);
        boolean[][] empty = {{false, false, false}, {true, true, true}};
        assertThrows(RiftException.class, () -> PcaShift.meanPool(hidden, empty, true));
    }

    @Test
    void mismatchedInputsAreErrors() {
        double[][][] base = baseFeatures();
        double[][][] fewerLayers = new double[LAYERS - 1][][];
        System.arraycopy(base, 0, fewerLayers, 0, LAYERS - 1);
        assertThrows(RiftException.class, () -> PcaShift.analyze("x", base, fewerLayers));
        double[][] fewerTexts = new double[TEXTS - 1][];
        System.arraycopy(base[0], 0, fewerTexts, 0, TEXTS - 1);
        assertThrows(RiftException.class, () -> PcaShift.layer(0, base[0], fewerTexts, "x"));
        double[][] narrower = new double[TEXTS][HIDDEN - 1];
        assertThrows(RiftException.class, () -> PcaShift.layer(0, base[0], narrower, "x"));
        assertThrows(RiftException.class, () -> PcaShift.combine("x", new ArrayList<>()));
    }
}
