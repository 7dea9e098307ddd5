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
}
