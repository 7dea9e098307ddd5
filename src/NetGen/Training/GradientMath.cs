using System;
using System.Numerics;
using System.Runtime.InteropServices;
using static NetGen.OptimizerState;

namespace NetGen;

/// <summary>Vectorised whole-buffer operations the trainer applies to gradients.</summary>
internal static class GradientMath
{
    /// <summary>x ← s·x.</summary>
    public static void Scale(Span<float> x, float s)
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                Store(Load(ref r, i) * s, ref r, i);
        for (; i < x.Length; i++)
            x[i] *= s;
    }

    /// <summary>y += x, vectorised (the data-parallel trainer's reduction of the workers' gradients).</summary>
    public static void Add(Span<float> y, ReadOnlySpan<float> x)
    {
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float xr = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
                Store(Load(ref yr, i) + Load(ref xr, i), ref yr, i);
        for (; i < y.Length; i++)
            y[i] += x[i];
    }

    /// <summary>‖x‖₂, the squares summed in double vectors so that entries up to float's maximum cannot overflow it.</summary>
    public static float Norm(ReadOnlySpan<float> x)
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        var acc = Vector<double>.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(Load(ref r, i), out var low, out var high);
                acc += low * low + high * high;
            }
        double sum = Vector.Sum(acc);
        for (; i < x.Length; i++)
            sum += (double)x[i] * x[i];
        return (float)Math.Sqrt(sum);
    }

    public static bool AllFinite(ReadOnlySpan<float> x)
    {
        foreach (float v in x)
            if (!float.IsFinite(v)) return false;
        return true;
    }
}
