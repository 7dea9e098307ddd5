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

    /// <summary>
    /// The floats a generated <c>TrainingBatch</c>'s buffer needs for <paramref name="count"/> samples of
    /// <paramref name="stride"/> floats and the batch statistics; throws when that is more than one array holds.
    /// </summary>
    public static int BatchBufferLength(string network, int count, int stride, int statistics)
    {
        long needed = (long)count * stride + statistics;
        if (needed > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"A batch of {count} samples of {network} needs {needed} floats of working memory ({stride} per sample: values, caches, gradients), more than one array holds; use a batch of at most {(Array.MaxLength - statistics) / stride} samples.");
        return (int)needed;
    }

    /// <summary>Checks a value given to a generated <c>Standardizer</c> property: null, or one fitted on rows of the network's input width.</summary>
    public static Standardizer? CheckStandardizer(Standardizer? value, int inputSize, string network)
    {
        if (value is not null && value.Width != inputSize)
            throw new ArgumentException(
                $"The standardizer was fitted on rows of {value.Width} features, but {network}.InputSize is {inputSize}; fit it on the network's raw training inputs.", "value");
        return value;
    }

    /// <summary>
    /// Checks a value given to a generated <c>ClassNames</c> property — null, or one non-empty name per output (two for a
    /// single sigmoid output: the negative class, then the positive one) — and returns a read-only copy.
    /// </summary>
    public static System.Collections.Generic.IReadOnlyList<string>? CheckClassNames(System.Collections.Generic.IReadOnlyList<string>? value, int outputSize, string network)
    {
        if (value is null) return null;
        int expected = outputSize == 1 ? 2 : outputSize;
        if (value.Count != expected)
            throw new ArgumentException(outputSize == 1
                ? $"{network} has one output, so it needs two class names (the class of output 0, then that of output 1), but {value.Count} were given."
                : $"{network} has {outputSize} outputs, so it needs {outputSize} class names (one per output, in order), but {value.Count} were given.", "value");
        var copy = new string[expected];
        for (int i = 0; i < expected; i++)
        {
            if (string.IsNullOrWhiteSpace(value[i]))
                throw new ArgumentException($"Class name {i} is empty; give every class a name.", "value");
            copy[i] = value[i];
        }
        return System.Array.AsReadOnly(copy);
    }
}
