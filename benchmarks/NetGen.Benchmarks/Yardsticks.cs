using System.Runtime.Intrinsics;

namespace NetGen.Benchmarks;

/// <summary>
/// The machine's own limits, which the suite divides by: one thread's FMA throughput and read bandwidth, on the widest
/// vector the JIT <b>accelerates here</b> (<c>Vector512</c> on an AVX-512 core, else <c>Vector256</c>, else
/// <c>Vector128</c>). A software-emulated Vector512 on an AVX2 core reads about 8 GFLOP/s — a twentieth of the real
/// peak — so the width is chosen at run time, never assumed.
/// </summary>
/// <remarks>
/// The FMA loop runs independent accumulation chains, enough to cover the FMA latency on both FMA pipes (4–5 cycles × 2
/// pipes): 16 chains of Vector512 (32 zmm registers hold them and the two constants; 8 chains read about half the peak),
/// 12 of Vector256 or Vector128 (16 registers: 12 chains + 2 constants, no spills). The iteration count makes the work
/// about 256 MFLOP on every width; <see cref="FmaFlops"/> is the exact count.
/// </remarks>
internal static class Yardsticks
{
    private const double TargetFlops = 256e6;

    /// <summary>The vector width the yardsticks use here: "Vector512", "Vector256" or "Vector128".</summary>
    public static readonly string Width =
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector128";

    private static readonly int Lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;
    private static readonly int Chains = Vector512.IsHardwareAccelerated ? 16 : 12;
    private static readonly int Iterations = (int)(TargetFlops / (Chains * Lanes * 2));

    /// <summary>Floating-point operations of one <see cref="Fma"/> call: iterations × chains × lanes × 2.</summary>
    public static double FmaFlops => (double)Iterations * Chains * Lanes * 2;

    /// <summary>Runs the FMA chains and returns a value that depends on every one of them.</summary>
    public static float Fma() => Vector512.IsHardwareAccelerated ? Fma512(Iterations) : Vector256.IsHardwareAccelerated ? Fma256(Iterations) : Fma128(Iterations);

    private static float Fma512(int iterations)
    {
        var m = Vector512.Create(0.999f);
        var c = Vector512.Create(1e-3f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0,
            a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            a12 = Vector512.FusedMultiplyAdd(a12, m, c); a13 = Vector512.FusedMultiplyAdd(a13, m, c);
            a14 = Vector512.FusedMultiplyAdd(a14, m, c); a15 = Vector512.FusedMultiplyAdd(a15, m, c);
        }
        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15)));
    }

    private static float Fma256(int iterations)
    {
        var m = Vector256.Create(0.999f);
        var c = Vector256.Create(1e-3f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0,
            a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }

    private static float Fma128(int iterations)
    {
        var m = Vector128.Create(0.999f);
        var c = Vector128.Create(1e-3f);
        Vector128<float> a0 = Vector128.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0,
            a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, m, c); a1 = Vector128.FusedMultiplyAdd(a1, m, c);
            a2 = Vector128.FusedMultiplyAdd(a2, m, c); a3 = Vector128.FusedMultiplyAdd(a3, m, c);
            a4 = Vector128.FusedMultiplyAdd(a4, m, c); a5 = Vector128.FusedMultiplyAdd(a5, m, c);
            a6 = Vector128.FusedMultiplyAdd(a6, m, c); a7 = Vector128.FusedMultiplyAdd(a7, m, c);
            a8 = Vector128.FusedMultiplyAdd(a8, m, c); a9 = Vector128.FusedMultiplyAdd(a9, m, c);
            a10 = Vector128.FusedMultiplyAdd(a10, m, c); a11 = Vector128.FusedMultiplyAdd(a11, m, c);
        }
        return Vector128.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }

    /// <summary>
    /// The memory floor of an optimizer step: one pass that reads the gradient and reads and writes the parameters and
    /// Adam's two moments (5 streams of the buffer's length), with one add per stream so that nothing but the memory
    /// traffic costs — what a step fused into a single pass cannot go below.
    /// </summary>
    public static float OptimizerPass(float[] gradient, float[] parameters, float[] m, float[] v)
    {
        ref float g = ref gradient[0];
        ref float p = ref parameters[0];
        ref float mr = ref m[0];
        ref float vr = ref v[0];
        int n = gradient.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
            {
                var gi = Vector512.LoadUnsafe(ref g, (nuint)i);
                (Vector512.LoadUnsafe(ref mr, (nuint)i) + gi).StoreUnsafe(ref mr, (nuint)i);
                (Vector512.LoadUnsafe(ref vr, (nuint)i) + gi).StoreUnsafe(ref vr, (nuint)i);
                (Vector512.LoadUnsafe(ref p, (nuint)i) - gi).StoreUnsafe(ref p, (nuint)i);
            }
        else
            for (; i <= n - 8; i += 8)
            {
                var gi = Vector256.LoadUnsafe(ref g, (nuint)i);
                (Vector256.LoadUnsafe(ref mr, (nuint)i) + gi).StoreUnsafe(ref mr, (nuint)i);
                (Vector256.LoadUnsafe(ref vr, (nuint)i) + gi).StoreUnsafe(ref vr, (nuint)i);
                (Vector256.LoadUnsafe(ref p, (nuint)i) - gi).StoreUnsafe(ref p, (nuint)i);
            }
        for (; i < n; i++)
        {
            m[i] += gradient[i];
            v[i] += gradient[i];
            parameters[i] -= gradient[i];
        }
        return parameters[0];
    }

    /// <summary>Sums every float of <paramref name="data"/> with eight independent accumulators of the widest accelerated vector (the whole-buffer read floor).</summary>
    public static float Read(float[] data) =>
        Vector512.IsHardwareAccelerated ? Read512(data) : Vector256.IsHardwareAccelerated ? Read256(data) : Read128(data);

    private static float Read512(float[] data)
    {
        // Eight independent sums: an add's 3–4-cycle latency over 8 chains leaves the loads (2 per cycle) as the limit,
        // where 4 chains would cap it at 4 loads per add latency and measure the adder, not the cache.
        ref float p = ref data[0];
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int i = 0;
        for (; i <= data.Length - 128; i += 128)
        {
            s0 += Vector512.LoadUnsafe(ref p, (nuint)i); s1 += Vector512.LoadUnsafe(ref p, (nuint)(i + 16));
            s2 += Vector512.LoadUnsafe(ref p, (nuint)(i + 32)); s3 += Vector512.LoadUnsafe(ref p, (nuint)(i + 48));
            s4 += Vector512.LoadUnsafe(ref p, (nuint)(i + 64)); s5 += Vector512.LoadUnsafe(ref p, (nuint)(i + 80));
            s6 += Vector512.LoadUnsafe(ref p, (nuint)(i + 96)); s7 += Vector512.LoadUnsafe(ref p, (nuint)(i + 112));
        }
        for (; i <= data.Length - 16; i += 16)
            s0 += Vector512.LoadUnsafe(ref p, (nuint)i);
        return Vector512.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }

    private static float Read256(float[] data)
    {
        // Eight independent sums: an add's 3–4-cycle latency over 8 chains leaves the loads (2 per cycle) as the limit,
        // where 4 chains would cap it at 4 loads per add latency and measure the adder, not the cache.
        ref float p = ref data[0];
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int i = 0;
        for (; i <= data.Length - 64; i += 64)
        {
            s0 += Vector256.LoadUnsafe(ref p, (nuint)i); s1 += Vector256.LoadUnsafe(ref p, (nuint)(i + 8));
            s2 += Vector256.LoadUnsafe(ref p, (nuint)(i + 16)); s3 += Vector256.LoadUnsafe(ref p, (nuint)(i + 24));
            s4 += Vector256.LoadUnsafe(ref p, (nuint)(i + 32)); s5 += Vector256.LoadUnsafe(ref p, (nuint)(i + 40));
            s6 += Vector256.LoadUnsafe(ref p, (nuint)(i + 48)); s7 += Vector256.LoadUnsafe(ref p, (nuint)(i + 56));
        }
        for (; i <= data.Length - 8; i += 8)
            s0 += Vector256.LoadUnsafe(ref p, (nuint)i);
        return Vector256.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }

    private static float Read128(float[] data)
    {
        // Eight independent sums: an add's 3–4-cycle latency over 8 chains leaves the loads (2 per cycle) as the limit,
        // where 4 chains would cap it at 4 loads per add latency and measure the adder, not the cache.
        ref float p = ref data[0];
        Vector128<float> s0 = Vector128<float>.Zero, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int i = 0;
        for (; i <= data.Length - 32; i += 32)
        {
            s0 += Vector128.LoadUnsafe(ref p, (nuint)i); s1 += Vector128.LoadUnsafe(ref p, (nuint)(i + 4));
            s2 += Vector128.LoadUnsafe(ref p, (nuint)(i + 8)); s3 += Vector128.LoadUnsafe(ref p, (nuint)(i + 12));
            s4 += Vector128.LoadUnsafe(ref p, (nuint)(i + 16)); s5 += Vector128.LoadUnsafe(ref p, (nuint)(i + 20));
            s6 += Vector128.LoadUnsafe(ref p, (nuint)(i + 24)); s7 += Vector128.LoadUnsafe(ref p, (nuint)(i + 28));
        }
        for (; i <= data.Length - 4; i += 4)
            s0 += Vector128.LoadUnsafe(ref p, (nuint)i);
        return Vector128.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }
}
