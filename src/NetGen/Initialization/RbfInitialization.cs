using System;

namespace NetGen;

/// <summary>
/// Places a network's radial-basis layers (<see cref="RbfAttribute"/>) on the training data, the way RBF networks are
/// set up before their output layer is trained (Moody and Darken, 1989): the centres by k-means, each width from the
/// spread of its cluster.
/// </summary>
/// <remarks>
/// For each radial-basis layer that reads the network's input (it comes first, after dropout at most): the centres cᵢ are
/// <see cref="KMeans.Fit"/>'s centres of the training inputs (standardized first when the network has a
/// <c>Standardizer</c>, as the layer sees them), and βᵢ = 1/(2σᵢ²) with σᵢ² the mean squared distance of cluster i's
/// samples to cᵢ — so a typical member of the cluster gets φ ≈ e^(−1/2). A cluster with no spread (a single sample, or
/// identical ones) takes σᵢ² = the squared distance to the nearest other centre, or 1 when every centre coincides; no
/// σᵢ² is below a millionth of the data's own variance, so no βᵢ is a near-infinite spike. Fewer distinct samples than
/// units leave some centres on the same point: such twins get the same gradients and never separate, so use fewer units.
/// Everything else in the network keeps its values. Call it after construction (or <c>Initialize(seed)</c>) and before
/// training; the centres and widths then go on learning by backpropagation.
/// </remarks>
public static class RbfInitialization
{
    /// <summary>Sets the centres and precisions of <paramref name="network"/>'s radial-basis layers from <paramref name="inputs"/>.</summary>
    /// <param name="network">A generated network with at least one <c>[Rbf]</c> layer reading its input.</param>
    /// <param name="inputs">The training inputs, row after row, <c>InputSize</c> values each, unstandardized (as <c>Trainer.Fit</c> takes them).</param>
    /// <param name="seed">Fixes k-means++'s draws.</param>
    /// <param name="maxIterations">k-means' cap on rounds; 100 by default.</param>
    /// <returns>The k-means result of each initialized layer, in layer order.</returns>
    /// <exception cref="ArgumentException">The network has no radial-basis layer on its input, a later one (which this cannot place), or the data does not fit.</exception>
    public static KMeansResult[] FromData<TNetwork>(TNetwork network, ReadOnlySpan<float> inputs, int seed, int maxIterations = 100)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        int width = TNetwork.InputSize;
        string name = typeof(TNetwork).Name;
        if (inputs.Length == 0 || inputs.Length % width != 0)
            throw new ArgumentException($"{name} takes {width} inputs per sample, so the training inputs need a positive multiple of {width} values; got {inputs.Length}.", nameof(inputs));
        var operations = TNetwork.Operations;
        var layers = new System.Collections.Generic.List<OperationDescription>();
        bool onInput = true;
        foreach (var op in operations)
        {
            if (op.Kind == OperationKind.RadialBasis)
            {
                if (!onInput)
                    throw new ArgumentException(
                        $"Layer {op.Layer} of {name} is a radial-basis layer after other layers; RbfInitialization places only those that read the network's input " +
                        "(k-means runs on the training inputs). Put the [Rbf] first, or leave its centres to initialization and training.", nameof(network));
                layers.Add(op);
                onInput = false; // the next radial-basis layer reads this one's Gaussians, not the inputs
            }
            else if (op.Kind != OperationKind.Dropout) onInput = false;
        }
        if (layers.Count == 0)
            throw new ArgumentException($"{name} has no [Rbf] layer; RbfInitialization places radial-basis centres. Declare one, e.g. [Rbf(20)], as the first layer.", nameof(network));

        // The layer sees standardized inputs when the network has a standardizer.
        float[] x = inputs.ToArray();
        if (network.Standardizer is { } standardizer)
            for (int s = 0; s < x.Length / width; s++)
                standardizer.Apply(x.AsSpan(s * width, width));

        Span<float> parameters = network.Parameters;
        var results = new KMeansResult[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            var op = layers[l];
            var centreBlock = op.Block(ParameterRole.Center);
            var precisionBlock = op.Block(ParameterRole.Precision);
            int units = centreBlock.Rows;
            if (centreBlock.Columns != width)
                throw new InvalidOperationException($"Layer {op.Layer} of {name} has centres of {centreBlock.Columns} values but reads {width} inputs; the network's description is inconsistent.");
            var result = KMeans.Fit(x, width, units, seed, maxIterations);
            result.Centres.CopyTo(parameters.Slice(centreBlock.Offset, centreBlock.Length));
            var spread = new double[units];
            var members = new int[units];
            for (int s = 0; s < result.Assignments.Length; s++)
            {
                int k = result.Assignments[s];
                spread[k] += KMeans.Distance(x.AsSpan(s * width, width), result.Centre(k));
                members[k]++;
            }
            // The smallest width a cluster gets: a millionth of the data's own spread (its mean squared distance to its mean),
            // so that two samples a rounding error apart do not make a unit a spike of precision 10¹⁴ (or infinity).
            double floor = 1e-6 * DataSpread(x, width);
            for (int k = 0; k < units; k++)
            {
                double variance = members[k] > 0 ? spread[k] / members[k] : 0;
                if (!(variance > floor))
                {
                    // No spread: as wide as the distance to the nearest other centre (or 1 when all centres coincide).
                    variance = double.PositiveInfinity;
                    for (int other = 0; other < units; other++)
                        if (other != k)
                        {
                            double d = KMeans.Distance(result.Centre(k), result.Centre(other));
                            if (d > 0) variance = Math.Min(variance, d);
                        }
                    if (double.IsPositiveInfinity(variance)) variance = 1;
                    variance = Math.Max(variance, floor > 0 ? floor : 1e-30);
                }
                parameters[precisionBlock.Offset + k] = (float)(1 / (2 * variance));
            }
            results[l] = result;
        }
        return results;
    }

    /// <summary>The mean squared distance of the samples to their mean (the data's total variance).</summary>
    private static double DataSpread(ReadOnlySpan<float> x, int width)
    {
        int n = x.Length / width;
        double total = 0;
        for (int j = 0; j < width; j++)
        {
            double mean = 0, squares = 0;
            for (int s = 0; s < n; s++) mean += x[s * width + j];
            mean /= n;
            for (int s = 0; s < n; s++) { double d = x[s * width + j] - mean; squares += d * d; }
            total += squares / n;
        }
        return total;
    }

    /// <summary>Sets the centres and precisions of <paramref name="network"/>'s radial-basis layers from the inputs of <paramref name="train"/>.</summary>
    /// <param name="network">A generated network with at least one <c>[Rbf]</c> layer reading its input.</param>
    /// <param name="train">The training set (its targets are not used).</param>
    /// <param name="seed">Fixes k-means++'s draws.</param>
    /// <param name="maxIterations">k-means' cap on rounds; 100 by default.</param>
    /// <returns>The k-means result of each initialized layer, in layer order.</returns>
    public static KMeansResult[] FromData<TNetwork>(TNetwork network, Dataset train, int seed, int maxIterations = 100)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.InputWidth != TNetwork.InputSize)
            throw new ArgumentException($"{typeof(TNetwork).Name} takes {TNetwork.InputSize} inputs per sample, but the data set's rows have {train.InputWidth}.", nameof(train));
        var inputs = new float[train.Count * train.InputWidth];
        for (int s = 0; s < train.Count; s++) train.Input(s).CopyTo(inputs.AsSpan(s * train.InputWidth));
        return FromData(network, inputs, seed, maxIterations);
    }
}
