using System;
using System.Threading;

namespace NetGen;

/// <summary>
/// A minimal mini-batch training loop over any generated network: each epoch shuffles the samples (from
/// <see cref="Seed"/>), and for each mini-batch sums the per-sample gradients from the generated <c>Backward</c>, divides
/// by the batch size and hands the mean gradient to the optimizer. Single-threaded and reproducible: the same seed,
/// network and data give the same parameters bit for bit. Nothing is allocated per batch.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
public sealed class Trainer<TNetwork>
    where TNetwork : class, INetwork<TNetwork>
{
    private readonly float[] _gradients = new float[TNetwork.ParameterCount];
    private SeededRandom _random;
    private int _batchSize = 32;

    /// <summary>Creates a trainer that updates <paramref name="network"/>'s parameters with <paramref name="optimizer"/>.</summary>
    public Trainer(TNetwork network, IOptimizer optimizer, int seed = 0)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Seed = seed;
        _random = new SeededRandom(seed);
    }

    /// <summary>The network being trained.</summary>
    public TNetwork Network { get; }

    /// <summary>The optimizer applied after each mini-batch.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The seed of the shuffling order.</summary>
    public int Seed { get; }

    /// <summary>The number of samples per gradient step (the last batch of an epoch may be smaller). 32 by default.</summary>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The batch size must be at least 1.");
    }

    /// <summary>Trains for <paramref name="epochs"/> passes over <paramref name="train"/>.</summary>
    /// <param name="train">The training samples; their widths must equal the network's input and output sizes.</param>
    /// <param name="epochs">The number of passes over the data.</param>
    /// <param name="onEpochEnd">Called after each epoch with its result, e.g. to print progress.</param>
    /// <param name="cancellationToken">Stops training between mini-batches; the history so far is returned.</param>
    /// <returns>The mean training loss of each epoch.</returns>
    /// <exception cref="ArithmeticException">The loss became NaN or infinite.</exception>
    public TrainingHistory Fit(Dataset train, int epochs, Action<EpochResult>? onEpochEnd = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "The number of epochs cannot be negative.");
        train.EnsureFits(typeof(TNetwork).Name, TNetwork.InputSize, TNetwork.OutputSize);

        var history = new TrainingHistory();
        var order = new int[train.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Span<float> parameters = Network.Parameters;
        Span<float> gradients = _gradients;

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            _random.Shuffle(order.AsSpan());
            double epochLoss = 0;
            int batchNumber = 0;
            for (int start = 0; start < order.Length; start += _batchSize)
            {
                if (cancellationToken.IsCancellationRequested)
                    return history;
                int count = Math.Min(_batchSize, order.Length - start);
                gradients.Clear();
                float batchLoss = 0f;
                for (int k = start; k < start + count; k++)
                    batchLoss += TNetwork.Backward(parameters, train.Input(order[k]), train.Target(order[k]), gradients);
                batchNumber++;
                if (!float.IsFinite(batchLoss))
                    throw new ArithmeticException(
                        $"The loss became {batchLoss} in epoch {epoch}, batch {batchNumber}; the parameters were not updated by that batch. " +
                        "Lower the learning rate, or scale the inputs.");
                // Mean gradient of the mini-batch: (1/B)·Σ ∂Lₖ/∂θ
                float scale = 1f / count;
                for (int i = 0; i < gradients.Length; i++)
                    gradients[i] *= scale;
                Optimizer.Step(parameters, gradients);
                epochLoss += batchLoss;
            }
            var result = new EpochResult(epoch, (float)(epochLoss / train.Count));
            history.Add(result);
            onEpochEnd?.Invoke(result);
        }
        return history;
    }
}
