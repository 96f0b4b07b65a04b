package rift.kernels.cuda;

import static rift.kernels.cuda.Kernel.Param.F32;
import static rift.kernels.cuda.Kernel.Param.I32;
import static rift.kernels.cuda.Kernel.Param.I64;
import static rift.kernels.cuda.Kernel.Param.PTR;

import java.util.List;

/** Every kernel of src/main/cuda with its parameter list (KernelSignatureTest checks them against the sources). */
final class Kernels {
    private Kernels() {}

    // elementwise.cuh
    static final Kernel CONVERT = Kernel.of("rift_convert", PTR, I32, PTR, I32, I64);
    static final Kernel ADD = Kernel.of("rift_add", PTR, I32, PTR, I32, PTR, I32, I64);
    static final Kernel SCALE = Kernel.of("rift_scale", PTR, I32, F32, I64);
    static final Kernel SWIGLU_FWD = Kernel.of("rift_swiglu_fwd", PTR, I32, PTR, I32, PTR, I32, I64);
    static final Kernel SWIGLU_BWD = Kernel.of("rift_swiglu_bwd", PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, I64, I32);
    static final Kernel ADD_BIAS = Kernel.of("rift_add_bias", PTR, I32, PTR, I32, I32, I32);
    static final Kernel COLSUM_PARTIAL = Kernel.of("rift_colsum_partial", PTR, PTR, I32, PTR, I32, PTR, I32, I32, I32, I32, I32);
    static final Kernel COLSUM_FINISH = Kernel.of("rift_colsum_finish", PTR, I32, PTR, I32);
    static final Kernel ADAMW = Kernel.of("rift_adamw", PTR, I32, PTR, I32, PTR, I32, PTR, I32, I64,
            F32, F32, F32, F32, F32, F32, F32, F32, PTR, I32);
    static final Kernel ADAMW_MULTI = Kernel.of("rift_adamw_multi", PTR, I32, I32, F32, F32, F32, F32, F32, F32, F32);
    static final Kernel SUMSQ_PARTIAL = Kernel.of("rift_sumsq_partial", PTR, PTR, I32, I64, I64);
    static final Kernel SUM_FINISH = Kernel.of("rift_sum_finish", PTR, PTR, I32);
    static final Kernel SUMSQ_PARTIAL_MULTI = Kernel.of("rift_sumsq_partial_multi", PTR, PTR, I32);
    static final Kernel SUM_FINISH_MULTI = Kernel.of("rift_sum_finish_multi", PTR, PTR, PTR);
    static final Kernel ZERO_MULTI = Kernel.of("rift_zero_multi", PTR, I32, I32);
    static final Kernel COPY_ROWS = Kernel.of("rift_copy_rows", PTR, I32, PTR, PTR, I32, PTR, I32, I32);
    static final Kernel COPY_ROWS_PAIR = Kernel.of("rift_copy_rows_pair", PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, I32);

    // norm_embed_rope.cuh
    static final Kernel EMBEDDING_FWD = Kernel.of("rift_embedding_fwd", PTR, I32, PTR, PTR, I32, I32, I32);
    static final Kernel EMBEDDING_BWD = Kernel.of("rift_embedding_bwd", PTR, I32, PTR, PTR, PTR, PTR, I32, I32, I32);
    static final Kernel RMSNORM_FWD = Kernel.of("rift_rmsnorm_fwd", PTR, I32, PTR, I32, PTR, I32, PTR, I32, I32, I32, F32);
    static final Kernel RMSNORM_BWD_DX = Kernel.of("rift_rmsnorm_bwd_dx", PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, I32, I32, I32);
    static final Kernel ROPE = Kernel.of("rift_rope", PTR, I32, PTR, PTR, PTR, I32, I32, I32, F32);
    static final Kernel ADD_RMSNORM_FWD = Kernel.of("rift_add_rmsnorm_fwd", PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32,
            I32, I32, F32);
    static final Kernel RMSNORM_ROPE = Kernel.of("rift_rmsnorm_rope", PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, PTR, PTR, I32, I32, I32,
            F32);

    // attention.cuh
    static final Kernel ATTN_ROWDOT = Kernel.of("rift_attn_rowdot", PTR, PTR, I32, PTR, I32, I32, I32, I32, I32);
    static final Kernel ATTN_DECODE = Kernel.of("rift_attn_decode", PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, I32, I32, I32, F32);

    private static Kernel attnFwd(String name) {
        return Kernel.of(name, PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, I32, I32, F32);
    }

    private static Kernel attnDq(String name) {
        return Kernel.of(name, PTR, I32, PTR, I32, PTR, PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, I32, I32, F32);
    }

    private static Kernel attnDkDv(String name) {
        return Kernel.of(name, PTR, I32, PTR, I32, PTR, I32, PTR, PTR, I32, PTR, I32, PTR, I32, PTR, I32, PTR, I32, I32, I32, F32);
    }

    static final Kernel ATTN_FWD_HD64 = attnFwd("rift_attn_fwd_hd64");
    static final Kernel ATTN_FWD_HD128 = attnFwd("rift_attn_fwd_hd128");
    static final Kernel ATTN_FWD_HD256 = attnFwd("rift_attn_fwd_hd256");
    static final Kernel ATTN_DQ_HD64 = attnDq("rift_attn_dq_hd64");
    static final Kernel ATTN_DQ_HD128 = attnDq("rift_attn_dq_hd128");
    static final Kernel ATTN_DQ_HD256 = attnDq("rift_attn_dq_hd256");
    static final Kernel ATTN_DKDV_HD64 = attnDkDv("rift_attn_dkdv_hd64");
    static final Kernel ATTN_DKDV_HD128 = attnDkDv("rift_attn_dkdv_hd128");
    static final Kernel ATTN_DKDV_HD256 = attnDkDv("rift_attn_dkdv_hd256");

    // attention_tc.cuh: tensor-core variants (bf16 inputs), same arguments
    static final Kernel ATTN_FWD_TC_HD64 = attnFwd("rift_attn_fwd_tc_hd64");
    static final Kernel ATTN_FWD_TC_HD128 = attnFwd("rift_attn_fwd_tc_hd128");
    static final Kernel ATTN_DQ_TC_HD64 = attnDq("rift_attn_dq_tc_hd64");
    static final Kernel ATTN_DQ_TC_HD128 = attnDq("rift_attn_dq_tc_hd128");
    static final Kernel ATTN_DKDV_TC_HD64 = attnDkDv("rift_attn_dkdv_tc_hd64");
    static final Kernel ATTN_DKDV_TC_HD128 = attnDkDv("rift_attn_dkdv_tc_hd128");
    static final Kernel ATTN_FWD_FA2_HD64 = attnFwd("rift_attn_fwd_fa2_hd64"); // opt-in: -Drift.cuda.attention=fa2 or fa2fwd
    static final Kernel ATTN_FWD_FA2_HD128 = attnFwd("rift_attn_fwd_fa2_hd128");

    // attention_fa2_bwd.cuh: opt-in backward schedules (-Drift.cuda.attention=fa2 or fa2bwd), the tc backward's arguments
    static final Kernel ATTN_DQ_FA2_HD64 = attnDq("rift_attn_dq_fa2_hd64");
    static final Kernel ATTN_DQ_FA2_HD128 = attnDq("rift_attn_dq_fa2_hd128");
    static final Kernel ATTN_DKDV_FA2_HD64 = attnDkDv("rift_attn_dkdv_fa2_hd64");
    static final Kernel ATTN_DKDV_FA2_HD128 = attnDkDv("rift_attn_dkdv_fa2_hd128");
    static final Kernel MMA_PROBE = Kernel.of("rift_mma_probe", PTR, PTR, PTR, I32);

    // lmhead.cuh
    static final Kernel LM_TARGET_DOT = Kernel.of("rift_lm_target_dot", PTR, PTR, I32, PTR, I32, PTR, I32, I32);
    static final Kernel LM_INIT = Kernel.of("rift_lm_init", PTR, PTR, PTR, PTR, PTR, I32);
    static final Kernel LM_FOLD = Kernel.of("rift_lm_fold", PTR, I32, I32, I32, PTR, PTR, PTR, PTR, PTR, PTR, PTR);
    static final Kernel LM_FINISH = Kernel.of("rift_lm_finish", PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, I32);
    static final Kernel LM_DLOGITS = Kernel.of("rift_lm_dlogits", PTR, I32, PTR, I32, I32, I32, I32, PTR, PTR, PTR, PTR, PTR);

    // sampling.cuh
    static final Kernel SAMPLE = Kernel.of("rift_sample", PTR, PTR, PTR, I32, I32, I32, PTR, F32, I32, F32, F32);

    static final List<Kernel> ALL = List.of(CONVERT, ADD, SCALE, SWIGLU_FWD, SWIGLU_BWD, ADD_BIAS, COLSUM_PARTIAL,
            COLSUM_FINISH, ADAMW, ADAMW_MULTI, SUMSQ_PARTIAL, SUM_FINISH, SUMSQ_PARTIAL_MULTI, SUM_FINISH_MULTI, ZERO_MULTI, COPY_ROWS,
            COPY_ROWS_PAIR, ADD_RMSNORM_FWD, RMSNORM_ROPE, // the fused ops (addRmsNorm, rmsNormRope, the K + V kvWrite)
            EMBEDDING_FWD, EMBEDDING_BWD, RMSNORM_FWD, RMSNORM_BWD_DX, ROPE, ATTN_ROWDOT, ATTN_DECODE, ATTN_FWD_HD64,
            ATTN_FWD_HD128, ATTN_FWD_HD256,
            ATTN_DQ_HD64, ATTN_DQ_HD128, ATTN_DQ_HD256, ATTN_DKDV_HD64, ATTN_DKDV_HD128, ATTN_DKDV_HD256,
            ATTN_FWD_TC_HD64, ATTN_FWD_TC_HD128, ATTN_DQ_TC_HD64, ATTN_DQ_TC_HD128, ATTN_DKDV_TC_HD64, ATTN_DKDV_TC_HD128, ATTN_FWD_FA2_HD64,
            ATTN_FWD_FA2_HD128, ATTN_DQ_FA2_HD64, ATTN_DQ_FA2_HD128, ATTN_DKDV_FA2_HD64, ATTN_DKDV_FA2_HD128, MMA_PROBE,
            LM_TARGET_DOT, LM_INIT, LM_FOLD, LM_FINISH, LM_DLOGITS, SAMPLE);
}
