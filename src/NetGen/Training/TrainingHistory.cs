using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>The loss and metrics of a network over one data set (see <see cref="Trainer{TNetwork}.Evaluate"/>).</summary>
/// <param name="Loss">The mean per-sample loss (the network's declared loss function, without regularization penalties).</param>
/// <param name="Accuracy">For cross-entropy: the fraction of samples whose largest output is at the target's largest entry
/// (the one-hot class). For binary cross-entropy: the fraction of outputs on the right side of 0.5. NaN for regression losses.</param>
/// <param name="MeanAbsoluteError">The mean over samples and outputs of |ŷ − y|.</param>
/// <param name="MeanSquaredError">The mean over samples and outputs of (ŷ − y)².</param>
/// <param name="Count">The number of samples evaluated.</param>
public readonly record struct EvaluationResult(float Loss, float Accuracy, float MeanAbsoluteError, float MeanSquaredError, int Count);

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">The mean per-sample training loss accumulated over the epoch's mini-batches while the parameters moved
/// (Keras' convention; without regularization penalties). For a full-batch optimizer: the loss after the epoch's step.</param>
/// <param name="Train">The training set evaluated after the epoch, when <see cref="Trainer{TNetwork}.EvaluateTrainingSet"/> is on; otherwise null.</param>
/// <param name="Validation">The validation set evaluated after the epoch, or null when there is none.</param>
/// <param name="LearningRate">The learning rate used during the epoch.</param>
/// <param name="Elapsed">The wall-clock time of the epoch, evaluation included.</param>
public readonly record struct EpochResult(int Epoch, float Loss, EvaluationResult? Train, EvaluationResult? Validation, float LearningRate, TimeSpan Elapsed);

/// <summary>The per-epoch record of a <see cref="Trainer{TNetwork}.Fit(Dataset, int, Dataset?, IProgress{TrainingProgress}?, int, System.Threading.CancellationToken)"/> call.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochResult> _epochs;

    /// <summary>Creates an empty history with room for <paramref name="capacity"/> epochs (so recording them allocates nothing).</summary>
    public TrainingHistory(int capacity = 0) => _epochs = new List<EpochResult>(capacity);

    /// <summary>The epochs run, in order.</summary>
    public IReadOnlyList<EpochResult> Epochs => _epochs;

    /// <summary>The last epoch's mean training loss, or NaN when no epoch ran.</summary>
    public float FinalLoss => _epochs.Count == 0 ? float.NaN : _epochs[^1].Loss;

    /// <summary>True when training stopped because its <see cref="System.Threading.CancellationToken"/> was cancelled.</summary>
    public bool Cancelled { get; internal set; }

    /// <summary>The epoch at which a callback (such as <see cref="EarlyStopping"/>) stopped training, or null if none did.</summary>
    public int? StoppedEpoch { get; internal set; }

    internal void Add(EpochResult epoch) => _epochs.Add(epoch);
}
