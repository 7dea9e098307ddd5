using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>Checks and state handling that every optimizer shares.</summary>
internal static class OptimizerState
{
    /// <summary>Running averages below this magnitude are flushed to zero: left alone they decay into subnormal floats
    /// where a gradient is exactly zero (dead ReLUs, blank pixels) and the CPU then runs up to 20× slower.</summary>
    public const float FlushBelow = 1e-30f;

    /// <summary>Returns <paramref name="state"/>, allocating it zeroed on first use; throws when the optimizer already serves a
    /// buffer of another length.</summary>
    public static float[] Ensure(ref float[]? state, int length, string optimizer)
    {
        if (state is null)
            return state = new float[length];
        if (state.Length != length)
            throw WrongLength(optimizer, state.Length, length);
        return state;
    }

    /// <summary>A snapshot holding copies of <paramref name="buffers"/> (an empty array for one not allocated yet).</summary>
    public static OptimizerSnapshot Capture(string kind, float learningRate, float initialLearningRate, long step, float[]?[] buffers)
    {
        var copies = new float[buffers.Length][];
        for (int i = 0; i < buffers.Length; i++) copies[i] = buffers[i] is { } b ? (float[])b.Clone() : [];
        return new OptimizerSnapshot(kind, learningRate, initialLearningRate, step, copies);
    }

    /// <summary>
    /// Checks that <paramref name="snapshot"/> fits an optimizer of <paramref name="kind"/> with <paramref name="count"/>
    /// buffers of one common length, and returns copies (null for empty ones). Throws before anything is changed.
    /// </summary>
    public static float[]?[] Restore(OptimizerSnapshot snapshot, string kind, int count)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Kind != kind)
            throw new CheckpointException(CheckpointProblem.OptimizerMismatch,
                $"The saved optimizer state is {snapshot.Kind}'s, not {kind}'s; load it into a {snapshot.Kind}.");
        if (snapshot.Buffers.Count != count || snapshot.Step < 0 || !(snapshot.LearningRate > 0f) || !float.IsFinite(snapshot.LearningRate)
            || !(snapshot.InitialLearningRate > 0f) || !float.IsFinite(snapshot.InitialLearningRate))
            throw new CheckpointException(CheckpointProblem.OptimizerMismatch,
                $"The saved {kind} state is malformed: {snapshot.Buffers.Count} buffers where {kind} keeps {count}, step {snapshot.Step}, learning rate {snapshot.LearningRate}.");
        int length = -1;
        var result = new float[]?[count];
        for (int i = 0; i < count; i++)
        {
            var buffer = snapshot.Buffers[i];
            if (buffer is null || buffer.Length == 0) continue;
            if (length >= 0 && buffer.Length != length)
                throw new CheckpointException(CheckpointProblem.OptimizerMismatch, $"The saved {kind} state has buffers of different lengths ({length} and {buffer.Length}).");
            length = buffer.Length;
            result[i] = (float[])buffer.Clone();
        }
        return result;
    }

    /// <summary>The error for an optimizer that holds state for one buffer length and is handed another.</summary>
    public static InvalidOperationException WrongLength(string optimizer, int held, int given) =>
        new($"This {optimizer} holds state for {held} parameters but was given {given}. Use one optimizer per network, or call Reset() before reusing it on another.");

    public static void CheckLengths(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
            throw new ArgumentException(
                $"The gradient buffer has {gradients.Length} elements but the parameter buffer has {parameters.Length}; they must match.",
                nameof(gradients));
    }

    public static float Positive(float value, string name, string example)
    {
        if (!(value > 0f) || !float.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive, finite number such as {example}.");
        return value;
    }

    public static float NonNegative(float value, string name)
    {
        if (!(value >= 0f) || !float.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be zero or a positive, finite number.");
        return value;
    }

    /// <summary>For decay rates such as β and α: 0 ≤ value &lt; 1.</summary>
    public static float UnitInterval(float value, string name, string example)
    {
        if (!(value >= 0f && value < 1f))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), such as {example}.");
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float source, int index) => Vector.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float destination, int index) => value.StoreUnsafe(ref destination, (nuint)index);

    /// <summary>x, or 0 where |x| &lt; <see cref="FlushBelow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Flush(Vector<float> x) =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), new Vector<float>(FlushBelow)), Vector<float>.Zero, x);

    /// <summary>x, or 0 where |x| &lt; <see cref="FlushBelow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Flush(float x) => MathF.Abs(x) < FlushBelow ? 0f : x;
}
