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

    /// <summary>Computes μ and σ of every input column of <paramref name="train"/> (in double precision).</summary>
    public static Standardizer Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        int width = train.InputWidth;
        var sum = new double[width];
        for (int i = 0; i < train.Count; i++)
        {
            var row = train.Input(i);
            for (int j = 0; j < width; j++) sum[j] += row[j];
        }
        var mean = new double[width];
        for (int j = 0; j < width; j++) mean[j] = sum[j] / train.Count;
        var squares = new double[width];
        for (int i = 0; i < train.Count; i++)
        {
            var row = train.Input(i);
            for (int j = 0; j < width; j++)
            {
                double d = row[j] - mean[j];
                squares[j] += d * d;
            }
        }
        var m = new float[width];
        var s = new float[width];
        for (int j = 0; j < width; j++)
        {
            double sigma = Math.Sqrt(squares[j] / train.Count);
            if (!double.IsFinite(sigma) || !double.IsFinite(mean[j]))
                throw new ArgumentException($"Input column {j} of the training data contains NaN or infinite values; clean the data before standardising.", nameof(train));
            m[j] = (float)mean[j];
            s[j] = sigma > 0 ? (float)sigma : 1f;
        }
        return new Standardizer(m, s);
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

    /// <summary>Standardises one input row in place, e.g. before <c>Predict</c>. Allocation-free.</summary>
    public void Apply(Span<float> row)
    {
        if (row.Length != _mean.Length)
            throw new ArgumentException($"This standardizer was fitted on rows of {_mean.Length} features but the row has {row.Length}.", nameof(row));
        for (int j = 0; j < row.Length; j++)
            row[j] = (row[j] - _mean[j]) / _scale[j];
    }
}
