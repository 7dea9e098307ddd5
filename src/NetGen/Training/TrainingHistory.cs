using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen;

/// <summary>The loss and metrics of a network over one data set (see <see cref="Trainer{TNetwork}.Evaluate"/>).</summary>
/// <param name="Loss">The mean per-sample loss (the network's declared loss function, without regularization penalties).</param>
/// <param name="Accuracy">For cross-entropy: the fraction of samples whose largest output is at the target's largest entry
/// (the one-hot class). For binary cross-entropy: the fraction of outputs on the right side of 0.5. NaN for regression losses.</param>
/// <param name="MeanAbsoluteError">The mean over samples and outputs of |ŷ − y|.</param>
/// <param name="MeanSquaredError">The mean over samples and outputs of (ŷ − y)².</param>
/// <param name="Count">The number of samples evaluated.</param>
public readonly record struct EvaluationResult(float Loss, float Accuracy, float MeanAbsoluteError, float MeanSquaredError, int Count)
{
    /// <summary>
    /// For regression losses, the coefficient of determination R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)², averaged over the outputs
    /// (scikit-learn's <c>r2_score</c>); 1 is a perfect fit, 0 no better than predicting the mean. NaN for classification losses.
    /// </summary>
    public float RSquared { get; init; } = float.NaN;

    /// <summary>
    /// For classification losses, per-class precision, recall, F1 and the confusion matrix. Set by
    /// <see cref="Trainer{TNetwork}.Evaluate"/>; null for regression losses and in the per-epoch results of <c>Fit</c>
    /// (which stay allocation-free).
    /// </summary>
    public ClassificationReport? Report { get; init; }
}

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

    /// <summary>Events of the run in order, one line each, such as early stopping and restored epochs (see <see cref="TrainingContext.Note"/>).</summary>
    public IReadOnlyList<string> Notes => _notes;

    private readonly List<string> _notes = new();

    /// <summary>
    /// The history as CSV, one row per epoch as Keras' <c>CSVLogger</c> writes it: <c>epoch,loss,learning_rate,seconds</c>, then
    /// <c>train_loss,accuracy,mae,mse,r2</c> for the training set when it was evaluated, then <c>val_loss,val_accuracy,val_mae,val_mse,val_r2</c>
    /// when there was a validation set. Numbers are invariant-culture and round-trip; a metric that does not apply
    /// (accuracy for regression, R² for classification) is an empty field.
    /// </summary>
    public string ToCsv()
    {
        bool train = _epochs.Count > 0 && _epochs.TrueForAll(e => e.Train is not null);
        bool validation = _epochs.Count > 0 && _epochs.TrueForAll(e => e.Validation is not null);
        var text = new System.Text.StringBuilder("epoch,loss,learning_rate,seconds");
        if (train) text.Append(",train_loss,accuracy,mae,mse,r2");
        if (validation) text.Append(",val_loss,val_accuracy,val_mae,val_mse,val_r2");
        text.Append('\n');
        foreach (var e in _epochs)
        {
            text.Append(e.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Number(e.Loss)).Append(',')
                .Append(Number(e.LearningRate)).Append(',').Append(e.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
            if (train) AppendMetrics(text, e.Train!.Value);
            if (validation) AppendMetrics(text, e.Validation!.Value);
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> atomically (the file is the old one or the new one, never half).</summary>
    public void SaveCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Checkpoint.WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(ToCsv()), "history.csv");
    }

    private static void AppendMetrics(System.Text.StringBuilder text, EvaluationResult r) =>
        text.Append(',').Append(Number(r.Loss)).Append(',').Append(Number(r.Accuracy)).Append(',').Append(Number(r.MeanAbsoluteError))
            .Append(',').Append(Number(r.MeanSquaredError)).Append(',').Append(Number(r.RSquared));

    private static string Number(float value) => float.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    internal void Add(EpochResult epoch) => _epochs.Add(epoch);

    internal void AddNote(string note) => _notes.Add(note);
}
