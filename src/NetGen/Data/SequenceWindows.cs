using System;

namespace NetGen;

/// <summary>
/// Cuts a time series into supervised samples for recurrent networks: each input is a window of consecutive steps
/// (step after step, <c>features</c> values each — the layout of <see cref="NetworkAttribute.SequenceLength"/> inputs) and
/// its target the value <c>horizon</c> steps after the window's last one.
/// </summary>
public static class SequenceWindows
{
    /// <summary>
    /// Every window of <paramref name="window"/> steps of <paramref name="series"/> (stored step after step, each step
    /// <paramref name="features"/> values), advanced by <paramref name="stride"/> steps, with the target feature
    /// <paramref name="targetFeature"/> at <paramref name="horizon"/> steps after the window (1: the next step).
    /// Window k covers steps [k·stride, k·stride + window) and its target is step k·stride + window − 1 + horizon.
    /// </summary>
    /// <exception cref="ArgumentException">The series is too short for one window, or a size is out of range.</exception>
    public static Dataset Create(ReadOnlySpan<float> series, int window, int horizon = 1, int features = 1, int targetFeature = 0, int stride = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (targetFeature < 0 || targetFeature >= features)
            throw new ArgumentOutOfRangeException(nameof(targetFeature), targetFeature, $"The target feature must be one of the {features} features (0 to {features - 1}).");
        if (series.Length % features != 0)
            throw new ArgumentException($"The series has {series.Length} values, not a whole number of steps of {features} features.", nameof(series));
        int steps = series.Length / features;
        long span = (long)window + horizon;
        if (steps < span)
            throw new ArgumentException($"The series has {steps} steps; one window of {window} steps and a target {horizon} step(s) later needs {span}.", nameof(series));
        int count = (int)((steps - span) / stride + 1);
        var inputs = new float[(long)count * window * features];
        var targets = new float[count];
        for (int k = 0; k < count; k++)
        {
            int start = k * stride;
            series.Slice(start * features, window * features).CopyTo(inputs.AsSpan(checked((int)((long)k * window * features))));
            targets[k] = series[(start + window - 1 + horizon) * features + targetFeature];
        }
        return new Dataset(inputs, targets, window * features, 1);
    }
}
