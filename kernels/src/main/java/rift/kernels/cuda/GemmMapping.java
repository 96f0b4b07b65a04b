package rift.kernels.cuda;

/**
 * Row-major GEMM (rift's convention, as rift.kernels.cpu.Gemm) to cuBLAS's column-major arguments.
 *
 * <p>A row-major matrix X [r, c] with leading dimension ld is, read column-major with the same ld,
 * X^T [c, r]. So the row-major C = op(A) op(B) is, column-major, C^T = op(B)^T op(A)^T: cuBLAS gets
 * m = N, n = M, k = K, its "A" is rift's B (transposed by cuBLAS exactly when rift transposes B) and its
 * "B" is rift's A; every leading dimension and batch stride stays as it is. Pure arithmetic on
 * addresses, so GemmMappingTest checks it on the CPU against a column-major reference GEMM.
 */
final class GemmMapping {
    private GemmMapping() {}

    /** cuBLAS arguments (column-major); a, b, c are device addresses (or offsets in a test). */
    record Call(int transa, int transb, int m, int n, int k, long a, int lda, long strideA, long b, int ldb, long strideB,
                long c, int ldc, long strideC, int batch) {}

    /**
     * Row-major C [M, N] = op(A) [M, K] op(B) [K, N]: A is stored [M, K] (or [K, M] when transA),
     * B is stored [K, N] (or [N, K] when transB), leading dimensions in elements; batch > 1 repeats it
     * with the given strides.
     */
    static Call fromRowMajor(boolean transA, boolean transB, int M, int N, int K, long a, int lda, long strideA,
                             long b, int ldb, long strideB, long c, int ldc, long strideC, int batch) {
        if (M < 0 || N < 0 || K < 0 || batch < 1) {
            throw new IllegalArgumentException("bad GEMM shape M=" + M + " N=" + N + " K=" + K + " batch=" + batch);
        }
        check("lda", lda, transA ? M : K);
        check("ldb", ldb, transB ? K : N);
        check("ldc", ldc, N);
        return new Call(transB ? Cublas.OP_T : Cublas.OP_N, transA ? Cublas.OP_T : Cublas.OP_N, N, M, K,
                b, ldb, strideB, a, lda, strideA, c, ldc, strideC, batch);
    }

    private static void check(String name, int ld, int rowLength) {
        if (ld < Math.max(1, rowLength)) {
            throw new IllegalArgumentException(name + " = " + ld + " is less than the stored row length " + rowLength);
        }
    }
}
