using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen;

/// <summary>
/// Rosenblatt's perceptron rule for a network that is one dense layer with <see cref="Activation.Step"/>:
/// for each training sample in turn, ŷ = H(W·x + b) and, for every output unit i,
/// Wᵢ ← Wᵢ + η·(yᵢ − ŷᵢ)·x and bᵢ ← bᵢ + η·(yᵢ − ŷᵢ). A misclassified sample moves the boundary towards itself; a correct
/// one changes nothing. On linearly separable data the rule stops after a finite number of mistakes (Novikoff, 1962); on
/// data that no line separates — XOR — some sample is wrong in every epoch, forever (Minsky and Papert, 1969).
/// </summary>
/// <remarks>
/// The step has no gradient, which is why <c>Trainer.Fit</c> refuses such a network and this trainer exists. Targets must
/// be 0 or 1. Samples are visited in the data set's order, or shuffled each epoch from <see cref="Shuffle"/>'s seed.
/// When the network has a standardizer, the rule sees the standardized inputs, as the layer does. <see cref="Update"/>
/// allocates nothing; <see cref="Fit"/> allocates only its result (the mistakes of each epoch).
/// </remarks>
/// <typeparam name="TNetwork">A generated network declared as <c>[Dense(units, Activation.Step)]</c> alone.</typeparam>
public sealed class PerceptronTrainer<TNetwork> where TNetwork : class, INetwork<TNetwork>
{
    private static readonly string NetworkName = typeof(TNetwork).Name;
    private readonly ParameterBlock _weights, _bias;
    private readonly float[] _input = new float[TNetwork.InputSize], _output = new float[TNetwork.OutputSize];
    private int[]? _order;

    /// <summary>Prepares the perceptron rule for <paramref name="network"/>.</summary>
    /// <param name="network">The network to train in place.</param>
    /// <param name="learningRate">η, the step of each correction; 1 is Rosenblatt's (with zero initial weights any η &gt; 0 gives the same boundaries).</param>
    /// <exception cref="ArgumentException">The network is not one dense layer with a step activation.</exception>
    public PerceptronTrainer(TNetwork network, float learningRate = 1f)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(learningRate > 0f) || float.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive number, such as 1 or 0.1.");
        var operations = TNetwork.Operations;
        if (operations.Count != 2 || operations[0].Kind != OperationKind.Dense || operations[1].Kind != OperationKind.Activation
            || operations[1].Activation != Activation.Step || operations[0].OutputShape.Count != 1)
            throw new ArgumentException(
                $"{NetworkName} is not a perceptron: the perceptron rule trains one dense layer with a step activation, declared as " +
                $"[Dense({TNetwork.OutputSize}, Activation.Step)] alone. Train other networks with Trainer<{NetworkName}> (and sigmoid, not step, units).", nameof(network));
        Network = network;
        LearningRate = learningRate;
        _weights = operations[0].Block(ParameterRole.Weight);
        _bias = operations[0].Block(ParameterRole.Bias);
    }

    /// <summary>The network being trained.</summary>
    public TNetwork Network { get; }

    /// <summary>η, the size of each correction.</summary>
    public float LearningRate { get; }

    /// <summary>When set, the samples are visited in a new order every epoch, drawn from this seed; null (the default) keeps the data set's order.</summary>
    public int? Shuffle { get; init; }

    /// <summary>
    /// Runs epochs of the perceptron rule until one passes with no mistake (every training sample classified right) or
    /// <paramref name="maxEpochs"/> have run.
    /// </summary>
    /// <param name="train">Samples with 0/1 targets, one per output unit.</param>
    /// <param name="maxEpochs">The most epochs to run, ≥ 1.</param>
    /// <returns>The mistakes of every epoch and whether the last one had none.</returns>
    /// <exception cref="ArgumentException">A width does not match the network, or a target is not 0 or 1.</exception>
    public PerceptronResult Fit(Dataset train, int maxEpochs)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (maxEpochs < 1) throw new ArgumentOutOfRangeException(nameof(maxEpochs), maxEpochs, "Run at least one epoch.");
        train.EnsureFits(NetworkName, TNetwork.InputSize, TNetwork.OutputSize, "training");
        for (int s = 0; s < train.Count; s++)
            foreach (float y in train.Target(s))
                if (y is not (0f or 1f))
                    throw new ArgumentException($"Sample {s} has the target {y}; a perceptron's targets are 0 or 1 (one-hot or binary labels).", nameof(train));
        if (_order is null || _order.Length != train.Count) _order = Enumerable.Range(0, train.Count).ToArray();
        else for (int s = 0; s < _order.Length; s++) _order[s] = s;
        var random = Shuffle is { } seed ? new Random(seed) : null;
        var mistakes = new List<int>();
        for (int epoch = 1; epoch <= maxEpochs; epoch++)
        {
            random?.Shuffle(_order);
            int wrong = 0;
            foreach (int s in _order)
                if (Update(train.Input(s), train.Target(s))) wrong++;
            mistakes.Add(wrong);
            if (wrong == 0) break;
        }
        return new PerceptronResult(mistakes, mistakes[^1] == 0);
    }

    /// <summary>One application of the rule to one sample; true when the sample was misclassified (and the weights moved).</summary>
    public bool Update(ReadOnlySpan<float> input, ReadOnlySpan<float> target)
    {
        if (input.Length != TNetwork.InputSize || target.Length != TNetwork.OutputSize)
            throw new ArgumentException($"{NetworkName} takes {TNetwork.InputSize} inputs and {TNetwork.OutputSize} targets; got {input.Length} and {target.Length}.");
        Network.Predict(input, _output);
        // The layer sees the standardized row when the network has a standardizer.
        ReadOnlySpan<float> x = input;
        if (Network.Standardizer is { } standardizer)
        {
            standardizer.Apply(input, _input);
            x = _input;
        }
        Span<float> parameters = Network.Parameters;
        bool wrong = false;
        int n = TNetwork.InputSize;
        for (int i = 0; i < TNetwork.OutputSize; i++)
        {
            float error = target[i] - _output[i]; // y − ŷ: −1, 0 or 1
            if (error == 0f) continue;
            wrong = true;
            float step = LearningRate * error;
            Span<float> row = parameters.Slice(_weights.Offset + i * n, n);
            for (int j = 0; j < n; j++) row[j] += step * x[j];
            parameters[_bias.Offset + i] += step;
        }
        return wrong;
    }
}

/// <summary>What <see cref="PerceptronTrainer{TNetwork}.Fit"/> did.</summary>
/// <param name="MistakesPerEpoch">The misclassified samples of each epoch, in order.</param>
/// <param name="Converged">True when the last epoch had no mistake: every training sample is classified right.</param>
public sealed record PerceptronResult(IReadOnlyList<int> MistakesPerEpoch, bool Converged)
{
    /// <summary>The epochs run.</summary>
    public int Epochs => MistakesPerEpoch.Count;
}
