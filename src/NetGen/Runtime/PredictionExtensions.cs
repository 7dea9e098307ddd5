using System;

namespace NetGen;

/// <summary>The class a classifier predicts for one sample (see <see cref="PredictionExtensions.PredictClass"/>).</summary>
/// <param name="Index">The class index: the largest output's, or for a single sigmoid output 1 when it is ≥ 0.5, else 0.</param>
/// <param name="Name">The class's name from <see cref="INetwork.ClassNames"/>, or null when the network has none.</param>
/// <param name="Probability">The network's probability for that class (for a single sigmoid output p or 1 − p).</param>
public readonly record struct ClassPrediction(int Index, string? Name, float Probability);

/// <summary>Prediction over many samples at once, and class predictions, for every generated network.</summary>
public static class PredictionExtensions
{
    /// <summary>
    /// Runs the network on <paramref name="count"/> samples stored row after row in <paramref name="inputs"/> (each
    /// <c>InputSize</c> values; raw features when the network has a <see cref="INetwork.Standardizer"/>) and writes their
    /// outputs row after row to <paramref name="outputs"/>. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The spans hold fewer than <paramref name="count"/> rows.</exception>
    public static void Predict<TNetwork>(this TNetwork network, ReadOnlySpan<float> inputs, Span<float> outputs, int count)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int inputSize = TNetwork.InputSize, outputSize = TNetwork.OutputSize;
        if ((long)count * inputSize > inputs.Length || (long)count * outputSize > outputs.Length)
            throw new ArgumentException(
                $"{count} samples need {(long)count * inputSize} input values and room for {(long)count * outputSize} outputs ({typeof(TNetwork).Name}.InputSize and OutputSize per sample), " +
                $"but inputs has {inputs.Length} and outputs {outputs.Length}; size them count × InputSize and count × OutputSize.");
        for (int i = 0; i < count; i++)
            network.Predict(inputs.Slice(i * inputSize, inputSize), outputs.Slice(i * outputSize, outputSize));
    }

    /// <summary>
    /// The outputs for every input row of <paramref name="data"/> (its targets are not used), row after row:
    /// <c>data.Count × OutputSize</c> values, the outputs of sample i at [i·OutputSize, (i + 1)·OutputSize).
    /// </summary>
    /// <exception cref="ArgumentException">The data's input rows are not <c>InputSize</c> wide.</exception>
    public static float[] Predict<TNetwork>(this TNetwork network, Dataset data)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputWidth != TNetwork.InputSize)
            throw new ArgumentException(
                $"The data's input rows have {data.InputWidth} values but {typeof(TNetwork).Name}.InputSize is {TNetwork.InputSize}; give rows of {TNetwork.InputSize} features.", nameof(data));
        var outputs = new float[(long)data.Count * TNetwork.OutputSize];
        for (int i = 0; i < data.Count; i++)
            network.Predict(data.Input(i), outputs.AsSpan(i * TNetwork.OutputSize, TNetwork.OutputSize));
        return outputs;
    }

    /// <summary>
    /// The class a classifier predicts for one sample, with its name (from <see cref="INetwork.ClassNames"/>) and
    /// probability. Allocates nothing for networks of up to 1,024 outputs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network is not a classifier (its loss is not a cross-entropy).</exception>
    public static ClassPrediction PredictClass<TNetwork>(this TNetwork network, ReadOnlySpan<float> input)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        if (TNetwork.LossFunction is not (Loss.CrossEntropy or Loss.BinaryCrossEntropy) || (TNetwork.LossFunction == Loss.BinaryCrossEntropy && TNetwork.OutputSize != 1))
            throw new InvalidOperationException(
                $"{typeof(TNetwork).Name} uses {TNetwork.LossFunction} with {TNetwork.OutputSize} outputs; PredictClass needs one class per sample: cross-entropy (softmax outputs) or binary cross-entropy with one sigmoid output. Use Predict for the outputs.");
        Span<float> output = TNetwork.OutputSize <= 1024 ? stackalloc float[TNetwork.OutputSize] : new float[TNetwork.OutputSize];
        network.Predict(input, output);
        int index;
        float probability;
        if (TNetwork.OutputSize == 1)
        {
            index = output[0] >= 0.5f ? 1 : 0;
            probability = index == 1 ? output[0] : 1 - output[0];
        }
        else
        {
            index = Metrics.ArgMax(output);
            probability = output[index];
        }
        return new ClassPrediction(index, network.ClassNames?[index], probability);
    }
}
