namespace NetGen;

/// <summary>How the generator shapes the code of each dense layer.</summary>
/// <remarks>The numeric values are part of the contract with the source generator; never renumber them.</remarks>
public enum Unrolling
{
    /// <summary>
    /// Unroll a layer into straight-line code when it is small enough for unrolling to pay (a threshold measured on
    /// this runtime and recorded in the generator); otherwise use fixed-trip-count SIMD loops. The default.
    /// </summary>
    Auto = 0,

    /// <summary>
    /// Unroll every layer, for reading the generated derivation term by term. A layer too large for the JIT to optimise
    /// when unrolled is reported as error NG0015.
    /// </summary>
    Always = 1,

    /// <summary>Use fixed-trip-count SIMD loops for every layer.</summary>
    Never = 2,
}
