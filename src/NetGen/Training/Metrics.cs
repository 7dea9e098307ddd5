using System;

namespace NetGen;

/// <summary>Evaluation of a network over a data set: loss from the generated kernel, metrics from its outputs.</summary>
internal static class Metrics
{
    public static EvaluationResult Evaluate<TNetwork>(ReadOnlySpan<float> parameters, Dataset data, Span<float> output, Loss loss)
        where TNetwork : class, INetwork<TNetwork>
    {
        double lossSum = 0, absolute = 0, square = 0, correct = 0;
        int width = TNetwork.OutputSize;
        for (int i = 0; i < data.Count; i++)
        {
            var input = data.Input(i);
            var target = data.Target(i);
            lossSum += TNetwork.ComputeLoss(parameters, input, target);
            TNetwork.Forward(parameters, input, output);
            for (int j = 0; j < width; j++)
            {
                double error = output[j] - target[j];
                absolute += Math.Abs(error);
                square += error * error;
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
        }
        int n = data.Count;
        bool classification = loss is Loss.CrossEntropy or Loss.BinaryCrossEntropy;
        return new EvaluationResult(
            (float)(lossSum / n),
            classification ? (float)(correct / n) : float.NaN,
            (float)(absolute / ((double)n * width)),
            (float)(square / ((double)n * width)),
            n);
    }

    /// <summary>The index of the largest value (the first one on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
