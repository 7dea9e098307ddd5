namespace NetGen.Generator.Planning;

/// <summary>
/// The measured limits that decide how each layer's code is shaped. Changing a number here changes generated code for
/// every user, so each one carries the measurement behind it.
/// </summary>
internal static class CodeShape
{
    /// <summary>
    /// Under <c>Unrolling.Auto</c>, a dense layer with at most this many weights (inputs × units) is unrolled into
    /// straight-line code; a larger one uses fixed-trip-count SIMD loops.
    /// </summary>
    /// <remarks>
    /// Measured 2026-11-23 on this project's 2-vCPU AVX-512 Xeon, .NET 10.0, BenchmarkDotNet ShortRun
    /// (<c>dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --filter '*UnrollThreshold*' --job short</c>):
    /// Backward time of the unrolled network ÷ the same network with SIMD loops, k inputs → Dense(k) → Dense(k):
    /// k = 4: 0.52, k = 8: 0.55, k = 12 (144 weights per layer): 0.50; k = 16 (256): 1.32; k = 20 (400): 1.11; and one
    /// first layer 32×32 (1,024): 3.53. Unrolling halves the time up to 12×12 and loses from 16×16 on, so the line is
    /// drawn between them, at 192 weights. (One 24×24 first layer measured 0.73: 24 columns leave the loop kernel a
    /// scalar tail of 8 — a loop-kernel weakness, not a reason to unroll larger layers.)
    /// </remarks>
    public const int AutoUnrollMaxWeights = 192;

    /// <summary>
    /// The most unrolled multiply-adds emitted into one method. The JIT compiles a method over 60,000 IL bytes,
    /// 20,000 IL instructions, 2,000 basic blocks or 2,000 locals without optimisation for the life of the process
    /// (dotnet/runtime compiler.h, Compiler::compSetOptimizationLevel); an unrolled dense layer was measured to cross that
    /// line between 1,024 (32×32, optimised) and 1,600 (40×40, MinOpts) multiply-adds, so 1,024 is the ceiling.
    /// </summary>
    public const int MethodMaxMultiplyAdds = 1024;

    /// <summary>
    /// The most scalar locals a straight-line method may declare. The JIT tracks only 1,024 locals and stops inlining
    /// near ~900; half of that leaves room for the JIT's own temporaries.
    /// </summary>
    public const int StraightLineMaxLocals = 512;

    /// <summary>
    /// Scratch (activations and deltas) up to this many floats lives on the stack (64 KiB); above, each thread keeps one
    /// reusable buffer, so no call allocates after its thread's first.
    /// </summary>
    public const int StackScratchMaxFloats = 16 * 1024;

    /// <summary>The largest parameter count accepted: one float array of at most 1 GiB.</summary>
    public const long MaxParameterCount = 1L << 28;

    /// <summary>
    /// The multiply-adds of an unrolled layer's backward pass on its own: ∂L/∂W (units × inputs) plus, except for the
    /// first layer, ∂L/∂x = Wᵀ·δ (another units × inputs). The forward pass is one units × inputs.
    /// </summary>
    public static long BackwardMultiplyAdds(bool isFirstLayer, int inputs, int units) =>
        (long)inputs * units * (isFirstLayer ? 1 : 2);
}
