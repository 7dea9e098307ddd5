using System;

namespace NetGen;

/// <summary>
/// Samples of fixed-width float rows with their targets, stored as two flat row-major buffers. Rows are exposed as spans,
/// so reading a sample allocates nothing.
/// </summary>
public sealed class Dataset
{
    private readonly float[] _inputs;
    private readonly float[] _targets;

    /// <summary>Wraps flat row-major buffers (not copied).</summary>
    /// <param name="inputs">Count × <paramref name="inputWidth"/> input values, row after row.</param>
    /// <param name="targets">Count × <paramref name="targetWidth"/> target values, row after row.</param>
    /// <param name="inputWidth">The number of values in one input row.</param>
    /// <param name="targetWidth">The number of values in one target row.</param>
    public Dataset(float[] inputs, float[] targets, int inputWidth, int targetWidth)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputWidth <= 0) throw new ArgumentOutOfRangeException(nameof(inputWidth), inputWidth, "The input width must be at least 1.");
        if (targetWidth <= 0) throw new ArgumentOutOfRangeException(nameof(targetWidth), targetWidth, "The target width must be at least 1.");
        if (inputs.Length % inputWidth != 0)
            throw new ArgumentException($"The input buffer has {inputs.Length} values, which is not a whole number of rows of width {inputWidth}.", nameof(inputs));
        int count = inputs.Length / inputWidth;
        if (targets.Length != count * targetWidth)
            throw new ArgumentException(
                $"The inputs hold {count} rows, so the targets need {count} × {targetWidth} = {count * targetWidth} values, but they have {targets.Length}.",
                nameof(targets));
        _inputs = inputs;
        _targets = targets;
        InputWidth = inputWidth;
        TargetWidth = targetWidth;
        Count = count;
    }

    /// <summary>Builds a dataset from one array per sample, copying the values. Every row must have the same width.</summary>
    public static Dataset FromRows(float[][] inputs, float[][] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Length == 0) throw new ArgumentException("At least one sample is needed.", nameof(inputs));
        if (inputs.Length != targets.Length)
            throw new ArgumentException($"There are {inputs.Length} input rows but {targets.Length} target rows; give one target per input.", nameof(targets));
        return new Dataset(Flatten(inputs, nameof(inputs)), Flatten(targets, nameof(targets)), inputs[0].Length, targets[0].Length);
    }

    private static float[] Flatten(float[][] rows, string name)
    {
        int width = rows[0]?.Length ?? 0;
        var flat = new float[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != width)
                throw new ArgumentException($"Row {i} of {name} has {rows[i]?.Length ?? 0} values; every row must have {width}, like row 0.", name);
            rows[i].CopyTo(flat, i * width);
        }
        return flat;
    }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of values in one input row.</summary>
    public int InputWidth { get; }

    /// <summary>The number of values in one target row.</summary>
    public int TargetWidth { get; }

    /// <summary>The input row of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Input(int index) => _inputs.AsSpan(checked(index * InputWidth), InputWidth);

    /// <summary>The target row of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Target(int index) => _targets.AsSpan(checked(index * TargetWidth), TargetWidth);

    /// <summary>Throws unless the rows fit a network with the given sizes, naming both widths.</summary>
    internal void EnsureFits(string networkName, int inputSize, int outputSize)
    {
        if (InputWidth != inputSize)
            throw new ArgumentException(
                $"The dataset's input rows have {InputWidth} values but {networkName}.InputSize is {inputSize}; give rows of {inputSize} features.");
        if (TargetWidth != outputSize)
            throw new ArgumentException(
                $"The dataset's target rows have {TargetWidth} values but {networkName}.OutputSize is {outputSize}; " +
                "give one target per output (one-hot encode class labels).");
    }
}
