using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// The kernels generated code calls for a Gaussian radial-basis layer (<see cref="RbfAttribute"/>) too large to unroll:
/// aᵢ = exp(−βᵢ·rᵢ), rᵢ = ‖x − cᵢ‖², for centres C row-major [units, inputs]. Generated code passes every size as a
/// literal. The distances are vectorised along the inputs (<see cref="Vector512"/>, <see cref="Vector256"/> or scalar,
/// the widest the CPU accelerates); all paths compute the same sums up to float rounding. Allocation-free and
/// thread-safe.
/// </summary>
/// <remarks>Public because code generated into the user's assembly calls it. The spans are checked once against the sizes.</remarks>
public static class RbfKernels
{
    /// <summary>
    /// The forward pass: rᵢ = Σⱼ (xⱼ − Cᵢⱼ)² into <paramref name="squaredDistances"/> (kept for the backward pass) and
    /// aᵢ = exp(−βᵢ·rᵢ) into <paramref name="activations"/>.
    /// </summary>
    /// <param name="centres">C, [<paramref name="units"/>, <paramref name="inputs"/>] row-major.</param>
    /// <param name="precisions">β, one per unit.</param>
    /// <param name="x">The layer's input.</param>
    /// <param name="activations">a, one per unit.</param>
    /// <param name="squaredDistances">r, one per unit.</param>
    /// <param name="units">The number of centres.</param>
    /// <param name="inputs">The length of x and of each centre.</param>
    public static void Forward(ReadOnlySpan<float> centres, ReadOnlySpan<float> precisions, ReadOnlySpan<float> x,
        Span<float> activations, Span<float> squaredDistances, int units, int inputs)
    {
        if (units < 0 || inputs < 0 || centres.Length < (long)units * inputs || precisions.Length < units || x.Length < inputs
            || activations.Length < units || squaredDistances.Length < units)
            ThrowSizes(units, inputs);
        ref float c = ref MemoryMarshal.GetReference(centres);
        ref float xr = ref MemoryMarshal.GetReference(x);
        var path = SimdPaths.Current; // one thread-static read per call, not per unit
        for (int i = 0; i < units; i++)
        {
            ref float ci = ref Unsafe.Add(ref c, (nint)i * inputs);
            float r = path switch
            {
                SimdPath.Vector512 => SquaredDistance<Simd512, Vector512<float>>(ref xr, ref ci, inputs),
                SimdPath.Vector256 => SquaredDistance<Simd256, Vector256<float>>(ref xr, ref ci, inputs),
                _ => SquaredDistance<SimdScalar, float>(ref xr, ref ci, inputs),
            };
            squaredDistances[i] = r;
            activations[i] = Gaussian(precisions[i] * r);
        }
    }

    /// <summary>
    /// The backward pass given ∂L/∂a: with gᵢ = ∂L/∂aᵢ·aᵢ and sᵢ = 2βᵢ·gᵢ, adds ∂L/∂βᵢ = −gᵢ·rᵢ into
    /// <paramref name="precisionGradients"/> and ∂L/∂Cᵢⱼ = sᵢ·(xⱼ − Cᵢⱼ) into <paramref name="centreGradients"/>, and — unless
    /// <paramref name="inputGradients"/> is empty — overwrites it with ∂L/∂xⱼ = −Σᵢ sᵢ·(xⱼ − Cᵢⱼ) (or adds it, with
    /// <paramref name="accumulateInputGradients"/>).
    /// </summary>
    /// <param name="centres">C, as in <see cref="Forward"/>.</param>
    /// <param name="precisions">β.</param>
    /// <param name="x">The layer's input.</param>
    /// <param name="activations">a, from <see cref="Forward"/>.</param>
    /// <param name="squaredDistances">r, from <see cref="Forward"/>.</param>
    /// <param name="activationGradients">∂L/∂a.</param>
    /// <param name="centreGradients">∂L/∂C, added to.</param>
    /// <param name="precisionGradients">∂L/∂β, added to.</param>
    /// <param name="inputGradients">∂L/∂x, or empty when the input needs no gradient.</param>
    /// <param name="units">The number of centres.</param>
    /// <param name="inputs">The length of x and of each centre.</param>
    /// <param name="accumulateInputGradients">Add ∂L/∂x to what <paramref name="inputGradients"/> holds instead of overwriting it.</param>
    public static void Backward(ReadOnlySpan<float> centres, ReadOnlySpan<float> precisions, ReadOnlySpan<float> x,
        ReadOnlySpan<float> activations, ReadOnlySpan<float> squaredDistances, ReadOnlySpan<float> activationGradients,
        Span<float> centreGradients, Span<float> precisionGradients, Span<float> inputGradients, int units, int inputs,
        bool accumulateInputGradients = false)
    {
        bool wantInput = !inputGradients.IsEmpty;
        if (units < 0 || inputs < 0 || centres.Length < (long)units * inputs || precisions.Length < units || x.Length < inputs
            || activations.Length < units || squaredDistances.Length < units || activationGradients.Length < units
            || centreGradients.Length < (long)units * inputs || precisionGradients.Length < units || (wantInput && inputGradients.Length < inputs))
            ThrowSizes(units, inputs);
        if (wantInput && !accumulateInputGradients)
            inputGradients.Slice(0, inputs).Clear();
        ref float c = ref MemoryMarshal.GetReference(centres);
        ref float gc = ref MemoryMarshal.GetReference(centreGradients);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dx = ref MemoryMarshal.GetReference(inputGradients);
        var path = SimdPaths.Current; // one thread-static read per call, not per unit
        for (int i = 0; i < units; i++)
        {
            float g = activationGradients[i] * activations[i];
            precisionGradients[i] -= g * squaredDistances[i];
            float s = 2f * precisions[i] * g;
            if (s == 0f) continue; // a unit far from x (aᵢ underflowed to 0) or without gradient adds nothing
            // (xⱼ − Cᵢⱼ) once per coordinate: ∂L/∂Cᵢⱼ += s·(xⱼ − Cᵢⱼ) and ∂L/∂xⱼ −= s·(xⱼ − Cᵢⱼ)
            ref float ci = ref Unsafe.Add(ref c, (nint)i * inputs);
            ref float gci = ref Unsafe.Add(ref gc, (nint)i * inputs);
            switch (path)
            {
                case SimdPath.Vector512:
                    ScatterDifference<Simd512, Vector512<float>>(ref xr, ref ci, ref gci, ref dx, wantInput, s, inputs);
                    break;
                case SimdPath.Vector256:
                    ScatterDifference<Simd256, Vector256<float>>(ref xr, ref ci, ref gci, ref dx, wantInput, s, inputs);
                    break;
                default:
                    ScatterDifference<SimdScalar, float>(ref xr, ref ci, ref gci, ref dx, wantInput, s, inputs);
                    break;
            }
        }
    }

    /// <summary>
    /// e^(−<paramref name="exponent"/>), but exactly 0 where it would fall below float's normal range (exponent above
    /// 87.3, e^(−87.3) ≈ 1.2·10⁻³⁸): a unit far from the input contributes nothing either way, and subnormal values would
    /// slow every multiplication they enter (the output layer's, the gradients'). A NaN stays NaN.
    /// </summary>
    /// <param name="exponent">βᵢ·rᵢ.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gaussian(float exponent) => exponent > SubnormalExponent ? 0f : MathF.Exp(-exponent);

    /// <summary>The exponent past which e^(−exponent) is subnormal in float: −ln(2⁻¹²⁶) ≈ 87.34, rounded down.</summary>
    public const float SubnormalExponent = 87.3f;

    private static float SquaredDistance<TOps, TVector>(ref float a, ref float b, int length)
        where TOps : ISimdOps<TVector> where TVector : struct
    {
        // Two independent accumulators keep two FMAs in flight.
        TVector s0 = TOps.Zero, s1 = TOps.Zero;
        int n = TOps.Count, j = 0;
        for (; j <= length - 2 * n; j += 2 * n)
        {
            TVector d0 = TOps.Subtract(TOps.Load(ref a, (nuint)j), TOps.Load(ref b, (nuint)j));
            TVector d1 = TOps.Subtract(TOps.Load(ref a, (nuint)(j + n)), TOps.Load(ref b, (nuint)(j + n)));
            s0 = TOps.MultiplyAdd(d0, d0, s0);
            s1 = TOps.MultiplyAdd(d1, d1, s1);
        }
        for (; j <= length - n; j += n)
        {
            TVector d = TOps.Subtract(TOps.Load(ref a, (nuint)j), TOps.Load(ref b, (nuint)j));
            s0 = TOps.MultiplyAdd(d, d, s0);
        }
        float sum = TOps.Sum(TOps.Add(s0, s1));
        for (; j < length; j++)
        {
            float d = Unsafe.Add(ref a, j) - Unsafe.Add(ref b, j);
            sum += d * d;
        }
        return sum;
    }

    private static void ScatterDifference<TOps, TVector>(ref float x, ref float centre, ref float centreGradient, ref float inputGradient,
        bool wantInput, float s, int length)
        where TOps : ISimdOps<TVector> where TVector : struct
    {
        TVector vs = TOps.Broadcast(s), minus = TOps.Broadcast(-s);
        int n = TOps.Count, j = 0;
        for (; j <= length - n; j += n)
        {
            TVector e = TOps.Subtract(TOps.Load(ref x, (nuint)j), TOps.Load(ref centre, (nuint)j));
            TOps.Store(TOps.MultiplyAdd(e, vs, TOps.Load(ref centreGradient, (nuint)j)), ref centreGradient, (nuint)j);
            if (wantInput)
                TOps.Store(TOps.MultiplyAdd(e, minus, TOps.Load(ref inputGradient, (nuint)j)), ref inputGradient, (nuint)j);
        }
        for (; j < length; j++)
        {
            float e = Unsafe.Add(ref x, j) - Unsafe.Add(ref centre, j);
            Unsafe.Add(ref centreGradient, j) += s * e;
            if (wantInput)
                Unsafe.Add(ref inputGradient, j) -= s * e;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSizes(int units, int inputs) =>
        throw new ArgumentException(
            $"A span is shorter than the radial-basis layer needs: the centres and their gradients need {units}×{inputs} = {(long)units * inputs} floats, " +
            $"the precisions, activations, distances and their gradients {units}, the input and its gradient {inputs}.");
}
