using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// Throw helpers for the argument checks at the entry of generated methods. Kept out of line so the checked fast path
/// stays small. Public because generated code in the user's assembly calls it; not meant to be called directly.
/// </summary>
public static class ThrowHelper
{
    /// <summary>Throws an <see cref="ArgumentException"/> saying that a span has the wrong length.</summary>
    /// <param name="parameterName">The argument's name.</param>
    /// <param name="sizeName">The constant the length must equal, e.g. <c>XorNet.InputSize</c>.</param>
    /// <param name="expected">The required length.</param>
    /// <param name="actual">The length given.</param>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WrongLength(string parameterName, string sizeName, int expected, int actual) =>
        throw new ArgumentException(
            $"{parameterName} must have exactly {expected} elements ({sizeName}), but it has {actual}. " +
            $"Allocate it with {sizeName} elements.",
            parameterName);

    /// <summary>Checks the arguments of a generated <c>TrainingBatch</c>: at least one sample, and buffers holding them all.</summary>
    public static void CheckBatch(string network, int count, int inputLength, int targetLength, int parameterLength, int gradientLength,
        int inputSize, int outputSize, int parameterCount)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "A mini-batch needs at least one sample.");
        if (parameterLength != parameterCount || gradientLength != parameterCount)
            throw new ArgumentException($"parameters and gradients must have exactly {parameterCount} elements ({network}.ParameterCount), but they have {parameterLength} and {gradientLength}.");
        if ((long)count * inputSize > inputLength || (long)count * outputSize > targetLength)
            throw new ArgumentException(
                $"A batch of {count} needs {(long)count * inputSize} input values and {(long)count * outputSize} target values ({network}.InputSize and OutputSize per sample), but got {inputLength} and {targetLength}.");
    }
}
