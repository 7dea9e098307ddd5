using System;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>Which register width the batched kernels run on.</summary>
internal enum SimdPath
{
    /// <summary>Choose the widest the CPU accelerates.</summary>
    Auto = 0,

    /// <summary>One float at a time.</summary>
    Scalar,

    /// <summary><see cref="Vector256{T}"/>: eight floats.</summary>
    Vector256,

    /// <summary><see cref="Vector512{T}"/>: sixteen floats.</summary>
    Vector512,
}

/// <summary>
/// Picks the batched kernels' width: the widest accelerated one, unless a test has forced another on its own thread
/// (<see cref="Force"/>), so that every path is exercised on a machine that has the widest.
/// </summary>
internal static class SimdPaths
{
    [ThreadStatic]
    private static SimdPath t_forced;

    /// <summary>The widest path this CPU accelerates.</summary>
    public static readonly SimdPath Best =
        Vector512.IsHardwareAccelerated ? SimdPath.Vector512 : Vector256.IsHardwareAccelerated ? SimdPath.Vector256 : SimdPath.Scalar;

    /// <summary>The path kernels called on this thread take.</summary>
    public static SimdPath Current => t_forced == SimdPath.Auto ? Best : t_forced;

    /// <summary>
    /// Makes kernels called on this thread take <paramref name="path"/> until the returned scope is disposed. Refuses a
    /// width the CPU does not accelerate (it would run, emulated, but would test nothing the CPU does).
    /// </summary>
    public static Scope Force(SimdPath path)
    {
        if (path == SimdPath.Vector512 && !Vector512.IsHardwareAccelerated || path == SimdPath.Vector256 && !Vector256.IsHardwareAccelerated)
            throw new PlatformNotSupportedException($"This CPU does not accelerate {path}.");
        var previous = t_forced;
        t_forced = path;
        return new Scope(previous);
    }

    /// <summary>Restores the previous choice when disposed.</summary>
    public readonly struct Scope(SimdPath previous) : IDisposable
    {
        /// <summary>Restores the choice in force before <see cref="Force"/>.</summary>
        public void Dispose() => t_forced = previous;
    }
}
