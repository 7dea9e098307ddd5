using System.Collections.Generic;

namespace NetGen;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">The mean per-sample training loss over the epoch, as accumulated while training (Keras' convention).</param>
public readonly record struct EpochResult(int Epoch, float Loss);

/// <summary>The per-epoch record of a <see cref="Trainer{TNetwork}.Fit"/> call.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochResult> _epochs = new();

    /// <summary>The epochs run, in order.</summary>
    public IReadOnlyList<EpochResult> Epochs => _epochs;

    /// <summary>The last epoch's mean training loss, or NaN when no epoch ran.</summary>
    public float FinalLoss => _epochs.Count == 0 ? float.NaN : _epochs[^1].Loss;

    internal void Add(EpochResult epoch) => _epochs.Add(epoch);
}
