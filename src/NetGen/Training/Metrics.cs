using System;

namespace NetGen;

/// <summary>Evaluation of a network over a data set: loss from the generated kernel, metrics from its outputs.</summary>
internal static class Metrics
{
    /// <summary>
    /// The loss, accuracy, errors and R² of the network over <paramref name="data"/> (raw rows, standardised into
    /// <paramref name="row"/> when there is a <paramref name="standardizer"/>), and with <paramref name="report"/> the
    /// per-class report of a classifier. <paramref name="output"/> holds one output row and <paramref name="sums"/>
    /// 3·OutputSize doubles; without the report nothing is allocated.
    /// </summary>
    public static EvaluationResult Evaluate<TNetwork>(ReadOnlySpan<float> parameters, Dataset data, Span<float> output, Span<double> sums,
        Loss loss, bool report, System.Collections.Generic.IReadOnlyList<string>? classNames, Standardizer? standardizer, Span<float> row)
        where TNetwork : class, INetwork<TNetwork>
    {
        double lossSum = 0, absolute = 0, square = 0, correct = 0;
        int width = TNetwork.OutputSize;
        // Per output j, for R² = 1 − SS_res / SS_tot: the running mean of y and Σ(y − ȳ)² (Welford's update, exact for a
        // constant column), and Σ(ŷ − y)².
        var meanY = sums.Slice(0, width);
        var squares = sums.Slice(width, width);
        var residual = sums.Slice(2 * width, width);
        sums.Slice(0, 3 * width).Clear();
        bool classification = loss is Loss.CrossEntropy or Loss.BinaryCrossEntropy;
        var tally = report && classification ? new ClassTally(loss, width) : null;
        for (int i = 0; i < data.Count; i++)
        {
            ReadOnlySpan<float> input = data.Input(i);
            if (standardizer is not null)
            {
                standardizer.Apply(input, row);
                input = row;
            }
            var target = data.Target(i);
            lossSum += TNetwork.ComputeLoss(parameters, input, target);
            TNetwork.Forward(parameters, input, output);
            for (int j = 0; j < width; j++)
            {
                double error = output[j] - target[j];
                absolute += Math.Abs(error);
                square += error * error;
                double deviation = target[j] - meanY[j];
                meanY[j] += deviation / (i + 1);
                squares[j] += deviation * (target[j] - meanY[j]);
                residual[j] += error * error;
            }
            if (loss == Loss.CrossEntropy)
            {
                correct += ArgMax(output) == ArgMax(target) ? 1 : 0;
            }
            else if (loss == Loss.BinaryCrossEntropy)
            {
                int right = 0;
                for (int j = 0; j < width; j++)
                    right += (output[j] >= 0.5f) == (target[j] >= 0.5f) ? 1 : 0;
                correct += right / (double)width;
            }
            tally?.Add(output, target);
        }
        int n = data.Count;
        return new EvaluationResult(
            (float)(lossSum / n),
            classification ? (float)(correct / n) : float.NaN,
            (float)(absolute / ((double)n * width)),
            (float)(square / ((double)n * width)),
            n)
        {
            RSquared = classification ? float.NaN : (float)RSquared(squares, residual),
            Report = tally?.Report(classNames),
        };
    }

    /// <summary>
    /// R² averaged uniformly over the outputs (scikit-learn's <c>r2_score</c> default): per output 1 − SS_res / SS_tot with
    /// SS_tot = Σ(y − ȳ)²; an output whose targets are constant scores 1 when predicted exactly and 0 otherwise
    /// (scikit-learn's <c>force_finite</c>).
    /// </summary>
    public static double RSquared(ReadOnlySpan<double> totalSquares, ReadOnlySpan<double> residual)
    {
        double total = 0;
        for (int j = 0; j < totalSquares.Length; j++)
            total += totalSquares[j] > 0 ? 1 - residual[j] / totalSquares[j] : residual[j] == 0 ? 1 : 0;
        return total / totalSquares.Length;
    }

    /// <summary>The index of the largest value (the first one on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Counts for the classification report: a confusion matrix for one class per sample, per-label counts for several.</summary>
    private sealed class ClassTally
    {
        private readonly bool _multiLabel;
        private readonly int _classes;
        private readonly int[,]? _confusion;
        private readonly int[] _truePositive, _falsePositive, _falseNegative, _support;

        public ClassTally(Loss loss, int width)
        {
            _multiLabel = loss == Loss.BinaryCrossEntropy && width > 1;
            _classes = loss == Loss.BinaryCrossEntropy && width == 1 ? 2 : width;
            if (!_multiLabel) _confusion = new int[_classes, _classes];
            _truePositive = new int[_classes];
            _falsePositive = new int[_classes];
            _falseNegative = new int[_classes];
            _support = new int[_classes];
        }

        public void Add(ReadOnlySpan<float> output, ReadOnlySpan<float> target)
        {
            if (_multiLabel)
            {
                for (int j = 0; j < _classes; j++)
                {
                    bool actual = target[j] >= 0.5f, predicted = output[j] >= 0.5f;
                    if (actual) _support[j]++;
                    if (actual && predicted) _truePositive[j]++;
                    else if (predicted) _falsePositive[j]++;
                    else if (actual) _falseNegative[j]++;
                }
                return;
            }
            int a = _classes == 2 && output.Length == 1 ? (target[0] >= 0.5f ? 1 : 0) : ArgMax(target);
            int p = _classes == 2 && output.Length == 1 ? (output[0] >= 0.5f ? 1 : 0) : ArgMax(output);
            _confusion![a, p]++;
            _support[a]++;
            if (a == p) _truePositive[a]++;
            else
            {
                _falsePositive[p]++;
                _falseNegative[a]++;
            }
        }

        public ClassificationReport Report(System.Collections.Generic.IReadOnlyList<string>? names)
        {
            var labels = new string[_classes];
            for (int c = 0; c < _classes; c++)
                labels[c] = names is { } given && given.Count == _classes ? given[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new ClassificationReport(labels, _confusion, _truePositive, _falsePositive, _falseNegative, _support, _multiLabel);
        }
    }
}
