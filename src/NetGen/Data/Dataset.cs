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

    /// <summary>Every input row, one after another (Count × InputWidth values): what a self-organizing map trains on.</summary>
    internal ReadOnlySpan<float> Inputs => _inputs;

    /// <summary>
    /// Wraps flat row-major buffers (not copied) as samples for <typeparamref name="TNetwork"/>, checking that they hold
    /// whole rows of its <c>InputSize</c> and <c>OutputSize</c> and the same number of each.
    /// </summary>
    public static Dataset Create<TNetwork>(float[] inputs, float[] targets)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        string name = typeof(TNetwork).Name;
        if (inputs.Length % TNetwork.InputSize != 0)
            throw new ArgumentException(
                $"The input buffer has {inputs.Length} values, which is not a whole number of rows of {name}.InputSize = {TNetwork.InputSize}.", nameof(inputs));
        if (targets.Length % TNetwork.OutputSize != 0)
            throw new ArgumentException(
                $"The target buffer has {targets.Length} values, which is not a whole number of rows of {name}.OutputSize = {TNetwork.OutputSize}.", nameof(targets));
        int rows = targets.Length / TNetwork.OutputSize, inputRows = inputs.Length / TNetwork.InputSize;
        if (inputRows != rows && rows > 0 && inputs.Length % rows == 0 && inputs.Length / rows % TNetwork.InputSize != 0)
            // The usual mistake: rows of another width than the network's (a feature too many or too few).
            throw new ArgumentException(
                $"The inputs hold {inputs.Length} values for {rows} target rows, {inputs.Length / rows} per row, but {name}.InputSize is {TNetwork.InputSize}; " +
                $"give every row exactly {TNetwork.InputSize} features, or declare [Network(Inputs = {inputs.Length / rows})].", nameof(inputs));
        return new Dataset(inputs, targets, TNetwork.InputSize, TNetwork.OutputSize);
    }

    /// <summary>Builds a classification data set: the targets are the one-hot encodings of <paramref name="labels"/>.</summary>
    /// <param name="features">Count × <paramref name="featureWidth"/> values, row after row (not copied).</param>
    /// <param name="featureWidth">The number of features per sample.</param>
    /// <param name="labels">One class index in [0, <paramref name="classCount"/>) per sample.</param>
    /// <param name="classCount">The number of classes (the network's output size).</param>
    public static Dataset FromLabels(float[] features, int featureWidth, ReadOnlySpan<int> labels, int classCount) =>
        new(features, OneHot.Encode(labels, classCount), featureWidth, classCount);

    /// <summary>The samples at <paramref name="indices"/>, copied in that order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty) throw new ArgumentException("A subset needs at least one index.", nameof(indices));
        var inputs = new float[indices.Length * InputWidth];
        var targets = new float[indices.Length * TargetWidth];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Index {i} at position {k} is outside the data set's {Count} samples.");
            Input(i).CopyTo(inputs.AsSpan(k * InputWidth));
            Target(i).CopyTo(targets.AsSpan(k * TargetWidth));
        }
        return new Dataset(inputs, targets, InputWidth, TargetWidth);
    }

    /// <summary>
    /// Splits the samples at random (from <paramref name="seed"/>) into two copies: <paramref name="fraction"/> of them,
    /// rounded, in <c>Held</c> and the rest in <c>Remainder</c>, each keeping the original order. Both parts get at least one sample.
    /// </summary>
    /// <param name="fraction">The share held out, in (0, 1), such as 0.2.</param>
    /// <param name="seed">The seed of the random choice.</param>
    public (Dataset Remainder, Dataset Held) Split(double fraction, int seed)
    {
        int held = HeldCount(fraction, Count, nameof(fraction));
        int[] order = Permutation(seed);
        var heldIndices = order.AsSpan(0, held);
        var restIndices = order.AsSpan(held);
        heldIndices.Sort();
        restIndices.Sort();
        return (Subset(restIndices), Subset(heldIndices));
    }

    /// <summary>
    /// Splits the samples at random (from <paramref name="seed"/>) into training, validation and test copies with the given
    /// shares of validation and test samples (rounded, at least one each); the rest is for training.
    /// </summary>
    public (Dataset Train, Dataset Validation, Dataset Test) Split(double validationFraction, double testFraction, int seed)
    {
        int validation = HeldCount(validationFraction, Count, nameof(validationFraction));
        int test = HeldCount(testFraction, Count, nameof(testFraction));
        if (validation + test >= Count)
            throw new ArgumentException(
                $"Holding out {validation} validation and {test} test samples leaves none of the {Count} for training; use smaller fractions.");
        int[] order = Permutation(seed);
        var v = order.AsSpan(0, validation);
        var t = order.AsSpan(validation, test);
        var rest = order.AsSpan(validation + test);
        v.Sort();
        t.Sort();
        rest.Sort();
        return (Subset(rest), Subset(v), Subset(t));
    }

    private int[] Permutation(int seed)
    {
        var order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new SeededRandom(seed).Shuffle(order.AsSpan());
        return order;
    }

    private static int HeldCount(double fraction, int count, string name)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(name, fraction, "The fraction must be between 0 and 1, such as 0.2.");
        int held = (int)Math.Round(fraction * count, MidpointRounding.AwayFromZero);
        if (held < 1 || held >= count)
            throw new ArgumentException($"A fraction of {fraction} of {count} samples is {held}; each part needs at least one sample.", name);
        return held;
    }

    /// <summary>Throws unless the rows fit a network with the given sizes, naming both widths.</summary>
    internal void EnsureFits(string networkName, int inputSize, int outputSize, string role)
    {
        if (Count == 0)
            throw new ArgumentException($"The {role} data has no samples; give at least one row.");
        if (InputWidth != inputSize)
            throw new ArgumentException(
                $"The {role} data's input rows have {InputWidth} values but {networkName}.InputSize is {inputSize}; give rows of {inputSize} features.");
        if (TargetWidth != outputSize)
            throw new ArgumentException(
                $"The {role} data's target rows have {TargetWidth} values but {networkName}.OutputSize is {outputSize}; " +
                "give one target per output (one-hot encode class labels).");
    }
}
