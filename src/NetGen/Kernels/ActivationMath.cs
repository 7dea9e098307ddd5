using System;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>Activation derivatives too long to inline as one expression in generated code. Public because generated code calls it.</summary>
public static class ActivationMath
{
    /// <summary>SiLU'(z) = σ(z)·(1 + z·(1 − σ(z))), with σ(z) = 1 / (1 + e^(−z)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SiLUDerivative(float z)
    {
        float s = 1f / (1f + MathF.Exp(-z));
        return s * (1f + z * (1f - s));
    }
}
