package rift.probe;

/**
 * Eigen-decomposition of a small dense symmetric matrix by the cyclic Jacobi method, in double precision.
 *
 * <p>Jacobi is used (not QR or power iteration) because it is short, needs no eigen-gap to converge, gives
 * eigenvectors orthonormal to rounding, and visits the (p, q) pairs in a fixed order, so the same matrix
 * always gives the same bits. Cost is about 10 sweeps of n²/2 rotations at O(n) each: fine for the
 * K x K Gram matrices of the PCA probe (K = 100 texts).
 *
 * @param values  eigenvalues, descending (ties keep the lower original index first)
 * @param vectors vectors[i] is the unit eigenvector of values[i]
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    private static final int MAX_SWEEPS = 100;

    /** Decomposes a symmetric matrix (only checked for squareness and symmetry to 1e-12 relative). */
    public static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("row " + i + " has " + matrix[i].length + " entries, expected " + n);
            }
            a[i] = matrix[i].clone();
            for (double x : a[i]) {
                if (!Double.isFinite(x)) throw new IllegalArgumentException("matrix entry is not finite: " + x);
                scale = Math.max(scale, Math.abs(x));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > 1e-12 * scale) {
                    throw new IllegalArgumentException("matrix is not symmetric at (" + i + ", " + j + ")");
                }
                a[j][i] = a[i][j]; // use exactly symmetric input so rotations keep it symmetric
            }
        }
        double[][] v = new double[n][n]; // columns of v are the eigenvectors while iterating
        for (int i = 0; i < n; i++) v[i][i] = 1;

        boolean converged = false;
        for (int sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
            }
            double frobenius = Math.sqrt(diag + 2 * off);
            // Stop when the off-diagonal part is at rounding level of the whole matrix.
            if (Math.sqrt(2 * off) <= 1e-16 * frobenius) {
                converged = true;
                break;
            }
            // Entries this small change no eigenvalue or vector in double precision: drop them, so
            // rounding noise cannot keep the sweeps going.
            double negligible = 1e-18 * frobenius;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) rotate(a, v, p, q, negligible);
            }
        }
        if (!converged) throw new IllegalStateException("Jacobi did not converge in " + MAX_SWEEPS + " sweeps");

        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> {
            int c = Double.compare(a[y][y], a[x][x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            int col = order[k];
            values[k] = a[col][col];
            for (int r = 0; r < n; r++) vectors[k][r] = v[r][col];
        }
        return new SymmetricEigen(values, vectors);
    }

    /** One Jacobi rotation in the (p, q) plane that zeroes a[p][q]; accumulates it into v. */
    private static void rotate(double[][] a, double[][] v, int p, int q, double negligible) {
        double apq = a[p][q];
        if (Math.abs(apq) <= negligible) {
            a[p][q] = 0;
            a[q][p] = 0;
            return;
        }
        double app = a[p][p], aqq = a[q][q];
        double theta = (aqq - app) / (2 * apq);
        // t = tan of the rotation angle, the smaller root of t² + 2θt − 1 = 0 (keeps |angle| ≤ π/4)
        double t;
        if (Math.abs(theta) > 1e150) {
            t = 0.5 / theta;
        } else {
            t = (theta >= 0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = a.length;
        for (int r = 0; r < n; r++) {
            if (r == p || r == q) continue;
            double arp = a[r][p], arq = a[r][q];
            double nrp = c * arp - s * arq;
            double nrq = s * arp + c * arq;
            a[r][p] = nrp;
            a[p][r] = nrp;
            a[r][q] = nrq;
            a[q][r] = nrq;
        }
        a[p][p] = app - t * apq;
        a[q][q] = aqq + t * apq;
        a[p][q] = 0;
        a[q][p] = 0;
        for (int r = 0; r < n; r++) {
            double vrp = v[r][p], vrq = v[r][q];
            v[r][p] = c * vrp - s * vrq;
            v[r][q] = s * vrp + c * vrq;
        }
    }
}
