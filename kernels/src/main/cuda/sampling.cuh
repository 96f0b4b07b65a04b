// Token sampling on the device: one token per row of logits [B, V] with temperature, top-k, top-p and
// min-p (rift.kernels.cpu.Sampling is the reference and states the semantics), so a decode step sends
// back B ids and B log-probs instead of the [B, V] logits.
//
// One block per row. Every quantity the reference computes in double is computed in double here with
// the same operations (p_i = exp(l_i / T - lse), l_i / T rounded to float first as Java does), but sums
// run in a fixed tree rather than left to right. So a token differs from the reference's only where a
// decision compares two quantities that are equal within the rounding of a double sum (~1e-16
// relative): the uniform straddling a cumulative boundary, a top-p cut exactly at top_p * mass, a min-p
// cut exactly at min_p * p_max. Runs are bitwise deterministic (fixed trees, no atomics).
//
// Order without sorting. The reference orders candidates by (logit descending, id ascending). A logit's
// bits map to a uint32 key that orders like Java's Float.compare; the top-k set is then {key > K} plus
// the lowest ids with key == K, and the top-p prefix {key > X} plus a prefix (in id order) of the
// equals at X. K and X come from a radix search over the key, 4 bits per pass: each pass counts (top-k)
// or sums the probability mass (top-p) of the members in the current key range into 16 bins by the next
// 4 bits, and keeps the highest non-empty bin whose running count or mass from the top reaches the goal.
//
// Cumulative sums in id order (the draw, and the cuts among equal keys): thread j owns the contiguous
// ids [j C, (j + 1) C) and adds its members' weights left to right; thread 0 adds the 256 chunk sums
// left to right (excl[j]) and finds the first chunk whose end reaches the goal; that chunk's thread
// walks it again with the same additions, comparing base + (excl[j] + running sum) with the goal. At
// the chunk's end that value is bit for bit the one thread 0 tested, so the walk always finds the pick.
#pragma once

#include "common.cuh"

/** The float's bits as an unsigned key ordered like Java's Float.compare (-0 < +0; NaN canonical, last). */
static __device__ __forceinline__ unsigned sampleKey(float f) {
    unsigned b;
#ifdef RIFT_CUDA_EMU
    memcpy(&b, &f, 4);
#else
    b = __float_as_uint(f);
#endif
    if (f != f) b = 0x7fc00000u;
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

/** One row: its logits, the temperature and, once known, the log-sum-exp of logits / T. */
struct SampleRow {
    const void* logits;
    i64 base;
    int bf;
    float t;
    double lse;

    __device__ float logit(int i) const { return ld(logits, base + i, bf); }

    /** p_i = exp(l_i / T - lse), the quotient rounded to float as the Java reference computes it. */
    __device__ double prob(int i) const { return exp((double)__fdiv_rn(logit(i), t) - lse); }
};

/** Shared memory of one row's block. */
struct SampleShared {
    double exclD[RIFT_THREADS + 1];
    int exclI[RIFT_THREADS + 1];
    int lastOf[RIFT_THREADS];
    double binD[RIFT_WARPS][16];
    int binI[RIFT_WARPS][16];
    unsigned seen[RIFT_WARPS];
    double goalD, aboveD;
    int goalI, aboveI;
    unsigned key;
    int walker, pick, last;
    float redF[RIFT_WARPS], argV[RIFT_WARPS];
    int argI[RIFT_WARPS];
    double redD[RIFT_WARPS];
};

/** The fields of SampleShared a scan or radix search of weight type T uses. */
template <typename T>
struct SampleSlots;

template <>
struct SampleSlots<double> {
    static __device__ __forceinline__ double* excl(SampleShared& s) { return s.exclD; }
    static __device__ __forceinline__ double& goal(SampleShared& s) { return s.goalD; }
    static __device__ __forceinline__ double& above(SampleShared& s) { return s.aboveD; }
    static __device__ __forceinline__ double (*bins(SampleShared& s))[16] { return s.binD; }
};

template <>
struct SampleSlots<int> {
    static __device__ __forceinline__ int* excl(SampleShared& s) { return s.exclI; }
    static __device__ __forceinline__ int& goal(SampleShared& s) { return s.goalI; }
    static __device__ __forceinline__ int& above(SampleShared& s) { return s.aboveI; }
    static __device__ __forceinline__ int (*bins(SampleShared& s))[16] { return s.binI; }
};

/** What a cumulative scan found: the first member reaching the goal (-1 if none) and the last member (-1 if none). */
struct SampleScan {
    int pick, last;
};

/**
 * The first member i of [0, n), in id order, whose cumulative weight base + cum(i) reaches the goal
 * (reached(x, goal)), cum as described at the top of this file. member(i, w) says whether i counts and
 * sets its weight; goalOf(total) turns the members' total into the goal. Every thread must call it.
 */
template <typename T, class Member, class GoalOf, class Reached>
static __device__ SampleScan sampleScan(SampleShared& sh, int n, T base, Member member, GoalOf goalOf, Reached reached) {
    T* excl = SampleSlots<T>::excl(sh);
    const int tid = threadIdx.x, chunk = (n + RIFT_THREADS - 1) / RIFT_THREADS;
    const int lo = min(n, tid * chunk), hi = min(n, lo + chunk);
    T run = 0;
    int last = -1;
    for (int i = lo; i < hi; i++) {
        T w;
        if (member(i, w)) {
            run = run + w;
            last = i;
        }
    }
    __syncthreads();  // the previous scan's readers are done with excl and the control words
    excl[tid] = run;
    sh.lastOf[tid] = last;
    __syncthreads();
    if (tid == 0) {
        T prev = 0;
        int lastAll = -1;
        for (int j = 0; j < RIFT_THREADS; j++) {
            const T c = excl[j];
            excl[j] = prev;
            prev = prev + c;
            if (sh.lastOf[j] >= 0) lastAll = sh.lastOf[j];
        }
        excl[RIFT_THREADS] = prev;
        const T goal = goalOf(prev);
        int walker = -1;
        for (int j = 0; j < RIFT_THREADS && walker < 0; j++) {
            if (sh.lastOf[j] >= 0 && reached(base + excl[j + 1], goal)) walker = j;
        }
        SampleSlots<T>::goal(sh) = goal;
        sh.walker = walker;
        sh.last = lastAll;
        sh.pick = -1;
    }
    __syncthreads();
    if (tid == sh.walker) {
        const T goal = SampleSlots<T>::goal(sh), start = excl[tid];
        T walk = 0;
        for (int i = lo; i < hi; i++) {
            T w;
            if (!member(i, w)) continue;
            walk = walk + w;
            if (reached(base + (start + walk), goal)) {
                sh.pick = i;
                break;
            }
        }
    }
    __syncthreads();
    return SampleScan{sh.pick, sh.last};
}

/** The key range a radix search ends on: the key X and the members' weight above it, as the search summed it. */
template <typename T>
struct SampleCut {
    unsigned key;
    T above, goal;
};

/**
 * The largest key X such that the members with key >= X weigh at least the goal (and at least one member has
 * key X), 4 bits per pass. keyOf(i, key) says whether i is a member and sets its key; weightOf(i) is its
 * weight, asked only while i is in the current range. goalOf(total) turns the members' total (from the
 * first pass) into the goal. When rounding leaves no bin reaching the goal, the lowest non-empty one is taken
 * (everything in range stays). Every thread must call it.
 */
template <typename T, class KeyOf, class WeightOf, class GoalOf>
static __device__ SampleCut<T> sampleRadix(SampleShared& sh, int n, KeyOf keyOf, WeightOf weightOf, GoalOf goalOf) {
    T (*bins)[16] = SampleSlots<T>::bins(sh);
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    unsigned prefix = 0;
    T above = 0, goal = 0;
    for (int pass = 0; pass < 8; pass++) {
        const int shift = 28 - 4 * pass;
        T w16[16];
        unsigned seen = 0;  // bit b: bin b has a member
#pragma unroll
        for (int b = 0; b < 16; b++) w16[b] = 0;
        for (int i = tid; i < n; i += RIFT_THREADS) {
            unsigned key;
            if (!keyOf(i, key) || (unsigned)((unsigned long long)key >> (shift + 4)) != prefix) continue;
            const int d = (int)((key >> shift) & 15u);
            const T w = weightOf(i);
            seen |= 1u << d;
#pragma unroll
            for (int b = 0; b < 16; b++) {
                if (d == b) w16[b] = w16[b] + w;
            }
        }
#pragma unroll
        for (int b = 0; b < 16; b++) w16[b] = warpSum(w16[b]);
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) seen |= __shfl_xor_sync(0xffffffffu, seen, o);
        __syncthreads();  // the previous pass's thread 0 is done reading the bins
        if (lane == 0) {
#pragma unroll
            for (int b = 0; b < 16; b++) bins[warp][b] = w16[b];
            sh.seen[warp] = seen;
        }
        __syncthreads();
        if (tid == 0) {
            T tot[16];
            unsigned nonEmpty = 0;
            for (int w = 0; w < RIFT_WARPS; w++) nonEmpty |= sh.seen[w];
#pragma unroll
            for (int b = 0; b < 16; b++) {
                tot[b] = bins[0][b];
                for (int w = 1; w < RIFT_WARPS; w++) tot[b] = tot[b] + bins[w][b];
            }
            if (pass == 0) {
                T all = 0;
#pragma unroll
                for (int b = 15; b >= 0; b--) all = all + tot[b];
                goal = goalOf(all);
            }
            // from the top: run = above + the bins above b; take the highest non-empty b with run + tot[b] >= goal
            T run = above, newAbove = above, beforeLowest = above;
            int chosen = -1, lowest = -1;
#pragma unroll
            for (int b = 15; b >= 0; b--) {
                const T next = run + tot[b];
                if ((nonEmpty >> b) & 1u) {
                    if (chosen < 0 && next >= goal) {
                        chosen = b;
                        newAbove = run;
                    }
                    lowest = b;
                    beforeLowest = run;
                }
                run = next;
            }
            if (chosen < 0) {
                chosen = lowest < 0 ? 0 : lowest;
                newAbove = beforeLowest;
            }
            sh.key = (prefix << 4) | (unsigned)chosen;
            SampleSlots<T>::above(sh) = newAbove;
            SampleSlots<T>::goal(sh) = goal;
        }
        __syncthreads();
        prefix = sh.key;
        above = SampleSlots<T>::above(sh);
        goal = SampleSlots<T>::goal(sh);
    }
    return SampleCut<T>{prefix, above, goal};
}

/**
 * tokens[b], logp[b] = one token sampled from row b of logits [B, V] (storage type lbf) and its log
 * softmax(logits / T), given uniforms[b]; ids >= candidates are never drawn. One block per row.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_sample(int* tokens, float* logp, const void* logits, int lbf, int V, int candidates, const double* uniforms,
            float temperature, int topK, float topP, float minP) {
    __shared__ SampleShared sh;
    const int tid = threadIdx.x, rowIndex = blockIdx.x, cand = candidates;
    SampleRow row{logits, (i64)rowIndex * V, lbf, temperature == 0.0f ? 1.0f : temperature, 0.0};

    // row max over V (as a double, as the reference keeps it); argmax over the candidates, lowest id on ties
    float mx = -INFINITY, bestV = -INFINITY;
    int bestI = 0x7fffffff;
    for (int i = tid; i < V; i += RIFT_THREADS) {
        const float l = row.logit(i);
        mx = fmaxf(mx, l);
        if (i < cand && (l > bestV || (l == bestV && i < bestI))) {
            bestV = l;
            bestI = i;
        }
    }
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        const float v = __shfl_xor_sync(0xffffffffu, bestV, o);
        const int j = __shfl_xor_sync(0xffffffffu, bestI, o);
        if (v > bestV || (v == bestV && j < bestI)) {
            bestV = v;
            bestI = j;
        }
    }
    if ((tid & 31) == 0) {
        sh.argV[tid >> 5] = bestV;
        sh.argI[tid >> 5] = bestI;
    }
    mx = blockMax(mx, sh.redF);  // its barriers also publish argV / argI
    float bv = sh.argV[0];
    int argmax = sh.argI[0];
    for (int w = 1; w < RIFT_WARPS; w++) {
        const float v = sh.argV[w];
        const int j = sh.argI[w];
        if (v > bv || (v == bv && j < argmax)) {
            bv = v;
            argmax = j;
        }
    }
    if (argmax >= cand) argmax = 0;  // only NaN candidates: the reference's starting guess

    // lse = max / T + log(sum exp((l - max) / T)) over the whole row, in double
    const double dmx = (double)mx, dt = (double)row.t;
    double se = 0.0;
    for (int i = tid; i < V; i += RIFT_THREADS) se += exp(((double)row.logit(i) - dmx) / dt);
    se = blockSum(se, sh.redD);
    row.lse = dmx / dt + log(se);

    if (temperature == 0.0f) {
        if (tid == 0) {
            tokens[rowIndex] = argmax;
            logp[rowIndex] = (float)((double)__fdiv_rn(row.logit(argmax), row.t) - row.lse);
        }
        return;
    }
    const double u = uniforms[rowIndex];
    auto drawGoal = [u](double total) { return u * total; };
    auto exceeds = [](double x, double goal) { return x > goal; };

    if (topK == 0 && topP >= 1.0f && minP == 0.0f) {  // plain sampling over the candidates
        auto member = [&row](int i, double& w) {
            w = row.prob(i);
            return true;
        };
        const SampleScan s = sampleScan<double>(sh, cand, 0.0, member, drawGoal, exceeds);
        if (tid == 0) {
            tokens[rowIndex] = s.pick >= 0 ? s.pick : argmax;
            logp[rowIndex] = s.pick >= 0 ? (float)log(row.prob(s.pick))
                                         : (float)((double)__fdiv_rn(row.logit(argmax), row.t) - row.lse);
        }
        return;
    }

    // top-k: the k-th key K in (key desc, id asc) order and the last id kept among the equals at K
    const bool topKOn = topK > 0 && topK < cand;
    unsigned keyK = 0;
    int idK = 0x7fffffff;
    if (topKOn) {
        auto keyOf = [&row](int i, unsigned& key) {
            key = sampleKey(row.logit(i));
            return true;
        };
        auto one = [](int) { return 1; };
        const SampleCut<int> cut = sampleRadix<int>(sh, cand, keyOf, one, [topK](int) { return topK; });
        keyK = cut.key;
        const int need = topK - cut.above;
        auto equal = [&row, keyK](int i, int& w) {
            w = 1;
            return sampleKey(row.logit(i)) == keyK;
        };
        const SampleScan s = sampleScan<int>(sh, cand, 0, equal, [need](int) { return need; },
                                             [](int x, int goal) { return x >= goal; });
        idK = s.pick;
    }
    auto inTopK = [&row, topKOn, keyK, idK](int i, unsigned key) {
        return !topKOn || key > keyK || (key == keyK && i <= idK);
    };

    // top-p: the key X where the mass from the top reaches top_p times the top-k set's mass, then the cut among
    // the equals at X in id order (at least one is kept)
    const bool topPOn = topP < 1.0f;
    unsigned keyP = 0;
    int idP = 0x7fffffff;
    if (topPOn) {
        auto keyOf = [&row, &inTopK](int i, unsigned& key) {
            key = sampleKey(row.logit(i));
            return inTopK(i, key);
        };
        auto prob = [&row](int i) { return row.prob(i); };
        const double p = (double)topP;
        const SampleCut<double> cut = sampleRadix<double>(sh, cand, keyOf, prob, [p](double kept) { return p * kept; });
        keyP = cut.key;
        auto equal = [&row, &inTopK, keyP](int i, double& w) {
            const unsigned key = sampleKey(row.logit(i));
            if (key != keyP || !inTopK(i, key)) return false;
            w = row.prob(i);
            return true;
        };
        const double goal = cut.goal;
        const SampleScan s = sampleScan<double>(sh, cand, cut.above, equal, [goal](double) { return goal; },
                                                [](double x, double g) { return x >= g; });
        if (s.pick >= 0) idP = s.pick;
    }

    // min-p against the argmax's probability, then the draw over what is kept
    const bool minPOn = minP > 0.0f;
    const double minProb = minPOn ? (double)minP * row.prob(argmax) : 0.0;
    auto kept = [&](int i, double& w) {
        const unsigned key = sampleKey(row.logit(i));
        if (!inTopK(i, key)) return false;
        if (topPOn && !(key > keyP || (key == keyP && i <= idP))) return false;
        w = row.prob(i);
        return !(minPOn && w < minProb);
    };
    const SampleScan s = sampleScan<double>(sh, cand, 0.0, kept, drawGoal, exceeds);
    if (tid == 0) {
        const int token = s.pick >= 0 ? s.pick : (s.last >= 0 ? s.last : argmax);
        tokens[rowIndex] = token;
        logp[rowIndex] = (float)log(row.prob(token));
    }
}
