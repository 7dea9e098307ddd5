using System;

namespace NetGen;

/// <summary>
/// Standardisation of input features, fitted on the training split and applied to every split (and to inputs at
/// inference): x′ⱼ = (xⱼ − μⱼ) / σⱼ, with μ and σ each feature's mean and population standard deviation over the
/// training samples (scikit-learn's <c>StandardScaler</c>). A constant feature (σ = 0) is only centred.
/// </summary>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _scale;

    private Standardizer(float[] mean, float[] scale)
    {
        _mean = mean;
        _scale = scale;
    }

    /// <summary>Each feature's mean μⱼ.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>Each feature's divisor σⱼ (1 for constant features).</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <summary>The number of features it standardises.</summary>
    public int Width => _mean.Length;

    /// <summary>
    /// A standardizer with given constants, e.g. ones fitted elsewhere (scikit-learn's <c>mean_</c> and <c>scale_</c>).
    /// </summary>
    /// <param name="mean">μⱼ for each feature; finite.</param>
    /// <param name="scale">σⱼ for each feature; finite and positive.</param>
    /// <exception cref="ArgumentException">The lengths differ or are 0, or a value is not finite, or a scale is not positive.</exception>
    public static Standardizer Create(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
    {
        if (mean.Length == 0 || mean.Length != scale.Length)
            throw new ArgumentException($"mean and scale must have the same number of features, at least 1; they have {mean.Length} and {scale.Length}.", nameof(scale));
        for (int j = 0; j < mean.Length; j++)
        {
            if (!float.IsFinite(mean[j]))
                throw new ArgumentException($"mean[{j}] is {mean[j]}; every mean must be finite.", nameof(mean));
            if (!float.IsFinite(scale[j]) || !(scale[j] > 0))
                throw new ArgumentException($"scale[{j}] is {scale[j]}; every scale must be finite and positive (use 1 for a constant feature).", nameof(scale));
        }
        return new Standardizer(mean.ToArray(), scale.ToArray());
    }

    /// <summary>Computes μ and σ of every input column of <paramref name="train"/> (in double precision).</summary>
    public static Standardizer Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Fit(train, train.InputWidth); // one "step" as wide as the row: each column its own μ and σ
    }

    /// <summary>
    /// For sequences: μ and σ of each of the <paramref name="stepWidth"/> features, pooled over every step of every training
    /// sample (a temperature has one mean, whichever step it sits at), repeated for each step so that the standardizer is
    /// as wide as the rows. Use the network's <c>Inputs</c> (the values of one step) as <paramref name="stepWidth"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The rows are not a whole number of steps of <paramref name="stepWidth"/>, or hold NaN or infinite values.</exception>
    public static Standardizer Fit(Dataset train, int stepWidth)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepWidth, 1);
        int width = train.InputWidth;
        if (train.Count == 0)
            throw new ArgumentException("The training data has no samples; a standardizer needs at least one.", nameof(train));
        if (width % stepWidth != 0)
            throw new ArgumentException($"Rows of {width} values are not a whole number of steps of {stepWidth} features.", nameof(stepWidth));
        var sum = new double[stepWidth];
        var squares = new double[stepWidth];
        long n = (long)train.Count * (width / stepWidth);
        for (int i = 0; i < train.Count; i++)
        {
            var row = train.Input(i);
            for (int j = 0; j < width; j++) sum[j % stepWidth] += row[j];
        }
        for (int f = 0; f < stepWidth; f++) sum[f] /= n; // the means
        for (int i = 0; i < train.Count; i++)
        {
            var row = train.Input(i);
            for (int j = 0; j < width; j++)
            {
                double d = row[j] - sum[j % stepWidth];
                squares[j % stepWidth] += d * d;
            }
        }
        var mean = new float[width];
        var scale = new float[width];
        for (int j = 0; j < width; j++)
        {
            int f = j % stepWidth;
            double sigma = Math.Sqrt(squares[f] / n);
            if (!double.IsFinite(sigma) || !double.IsFinite(sum[f]))
                throw new ArgumentException($"Input column {f} of the training data contains NaN or infinite values; clean the data before standardising.", nameof(train));
            mean[j] = (float)sum[f];
            scale[j] = sigma > 0 ? (float)sigma : 1f;
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>A copy of <paramref name="data"/> with every input row standardised; targets are copied unchanged.</summary>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputWidth != _mean.Length)
            throw new ArgumentException($"This standardizer was fitted on rows of {_mean.Length} features but the data has {data.InputWidth}.", nameof(data));
        var inputs = new float[data.Count * data.InputWidth];
        var targets = new float[data.Count * data.TargetWidth];
        for (int i = 0; i < data.Count; i++)
        {
            var row = inputs.AsSpan(i * data.InputWidth, data.InputWidth);
            data.Input(i).CopyTo(row);
            Apply(row);
            data.Target(i).CopyTo(targets.AsSpan(i * data.TargetWidth));
        }
        return new Dataset(inputs, targets, data.InputWidth, data.TargetWidth);
    }

    /// <summary>Writes the standardised <paramref name="row"/> to <paramref name="destination"/> (of the same length). Allocation-free.</summary>
    public void Apply(ReadOnlySpan<float> row, Span<float> destination)
    {
        if (row.Length != _mean.Length || destination.Length != _mean.Length)
            throw new ArgumentException($"This standardizer was fitted on rows of {_mean.Length} features but the row has {row.Length} and the destination {destination.Length}.", nameof(row));
        Standardize(row, destination, _mean, _scale);
    }

    /// <summary>
    /// x′ⱼ = (xⱼ − μⱼ) / σⱼ over spans of one length: the one implementation of the formula, used by every standardizer and
    /// by the compiled-in standardisation of embedded models (which calls it with its constants).
    /// </summary>
    public static void Standardize(ReadOnlySpan<float> row, Span<float> destination, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
    {
        if (row.Length != mean.Length || destination.Length != mean.Length || scale.Length != mean.Length)
            throw new ArgumentException($"row ({row.Length}), destination ({destination.Length}), mean ({mean.Length}) and scale ({scale.Length}) must have the same length.", nameof(row));
        for (int j = 0; j < row.Length; j++)
            destination[j] = (row[j] - mean[j]) / scale[j];
    }

    /// <summary>Standardises one input row in place. Allocation-free. A network whose
    /// <see cref="INetwork.Standardizer"/> is set does this itself; call it only for a network without one.</summary>
    public void Apply(Span<float> row)
    {
        if (row.Length != _mean.Length)
            throw new ArgumentException($"This standardizer was fitted on rows of {_mean.Length} features but the row has {row.Length}.", nameof(row));
        Standardize(row, row, _mean, _scale);
    }
}
