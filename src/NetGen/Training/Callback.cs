using System;

namespace NetGen;

/// <summary>
/// Hooks into a training run, like Keras callbacks: early stopping, learning-rate schedules, logging. Add instances to
/// <see cref="Trainer{TNetwork}.Callbacks"/>; they run in the order added. Every hook does nothing by default.
/// </summary>
public abstract class Callback
{
    /// <summary>Called once when <c>Fit</c> starts, before the first epoch. Reset per-run state here.</summary>
    public virtual void OnTrainBegin(TrainingContext context) { }

    /// <summary>Called before each epoch (numbered from 1); learning-rate schedules set the rate here.</summary>
    public virtual void OnEpochBegin(TrainingContext context, int epoch) { }

    /// <summary>Called after each mini-batch's optimizer step with that batch's mean loss. Must not allocate if training is to stay allocation-free.</summary>
    public virtual void OnBatchEnd(TrainingContext context, int batch, float loss) { }

    /// <summary>Called after each epoch, its evaluation included. Set <see cref="TrainingContext.StopTraining"/> to stop.</summary>
    public virtual void OnEpochEnd(TrainingContext context, EpochResult result) { }

    /// <summary>Called once when <c>Fit</c> ends normally, stopped or cancelled (not when it throws).</summary>
    public virtual void OnTrainEnd(TrainingContext context) { }

    /// <summary>A callback that runs <paramref name="action"/> after every epoch, e.g. to print or record it.</summary>
    public static Callback OnEpoch(Action<EpochResult> action) => new EpochAction(action ?? throw new ArgumentNullException(nameof(action)));

    private sealed class EpochAction(Action<EpochResult> action) : Callback
    {
        public override void OnEpochEnd(TrainingContext context, EpochResult result) => action(result);
    }
}

/// <summary>What a <see cref="Callback"/> sees of a training run, and the levers it may pull.</summary>
public sealed class TrainingContext
{
    private readonly Func<float> _getRate;
    private readonly Action<float> _setRate;
    private readonly Action<string, CheckpointEncoding>? _save;
    private readonly Action<string>? _note;

    internal TrainingContext(INetwork network, Loss loss, TrainingHistory history, int batchesPerEpoch, bool hasValidation, Func<float> getRate, Action<float> setRate,
        float? initialLearningRate = null, Action<string, CheckpointEncoding>? save = null, Action<string>? note = null)
    {
        _save = save;
        _note = note;
        Network = network;
        LossFunction = loss;
        History = history;
        BatchesPerEpoch = batchesPerEpoch;
        HasValidation = hasValidation;
        _getRate = getRate;
        _setRate = setRate;
        InitialLearningRate = initialLearningRate ?? getRate();
    }

    /// <summary>The network being trained; <see cref="INetwork.Parameters"/> may be read or written (e.g. to restore weights).</summary>
    public INetwork Network { get; }

    /// <summary>The loss the network was declared with.</summary>
    public Loss LossFunction { get; }

    /// <summary>The epochs completed so far in this run.</summary>
    public TrainingHistory History { get; }

    /// <summary>The number of optimizer steps per epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Whether each epoch is evaluated on a validation set.</summary>
    public bool HasValidation { get; }

    /// <summary>The current epoch, from 1 (0 before the first).</summary>
    public int Epoch { get; internal set; }

    /// <summary>η₀, the rate schedules are defined relative to: the optimizer's <see cref="ICheckpointableOptimizer.InitialLearningRate"/>
    /// (restored with a checkpoint, so a resumed run continues its schedule), or for other optimizers the rate when this run started.</summary>
    public float InitialLearningRate { get; }

    /// <summary>The optimizer's learning rate; setting it takes effect from the next step.</summary>
    public float LearningRate
    {
        get => _getRate();
        set => _setRate(value);
    }

    /// <summary>Set to true to end training after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Saves the network as it is now to <paramref name="path"/> as a checkpoint (atomically, with its standardizer and
    /// class names; see <see cref="Checkpoint"/>), e.g. from a callback that keeps the best epoch.
    /// </summary>
    /// <exception cref="InvalidOperationException">The context was not made by a trainer.</exception>
    public void SaveCheckpoint(string path, CheckpointEncoding encoding = CheckpointEncoding.Binary)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        (_save ?? throw new InvalidOperationException("This training context was not made by a Trainer, so it cannot save the network; use Checkpoint.Save."))(path, encoding);
    }

    /// <summary>
    /// Records an event of the run in one line, such as "stopped early at epoch 12": it is added to
    /// <see cref="TrainingHistory.Notes"/> and reported to the run's progress (a <see cref="ConsoleProgress"/> prints it).
    /// </summary>
    public void Note(string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        History.AddNote(message);
        _note?.Invoke(message);
    }

    /// <summary>The value of <paramref name="monitor"/> in <paramref name="result"/>, and whether larger is better.</summary>
    /// <exception cref="InvalidOperationException">A validation quantity is monitored but the run has no validation set.</exception>
    public static float Read(Monitored monitor, EpochResult result, out bool higherIsBetter)
    {
        higherIsBetter = monitor == Monitored.ValidationAccuracy;
        if (monitor == Monitored.Loss)
            return result.Loss;
        if (result.Validation is not { } validation)
            throw new InvalidOperationException($"Monitored.{monitor} needs a validation set: pass validation: or validationSplit: to Fit, or monitor Monitored.Loss.");
        return monitor switch
        {
            Monitored.ValidationLoss => validation.Loss,
            Monitored.ValidationAccuracy => validation.Accuracy,
            Monitored.ValidationMeanAbsoluteError => validation.MeanAbsoluteError,
            _ => throw new ArgumentOutOfRangeException(nameof(monitor), monitor, "Unknown monitor."),
        };
    }

    /// <summary>
    /// Whether <paramref name="value"/> improves on <paramref name="best"/> by more than <paramref name="minDelta"/> (any
    /// non-NaN value improves on none yet, <paramref name="hasBest"/> false): the rule every monitoring callback applies.
    /// </summary>
    internal static bool Improves(float value, float best, bool hasBest, float minDelta, bool higherIsBetter) =>
        !hasBest ? !float.IsNaN(value) : higherIsBetter ? value - minDelta > best : value + minDelta < best;

    /// <summary>The monitored quantity as the progress line names it (val_loss, val_acc, val_mae, loss).</summary>
    internal static string Label(Monitored monitor) => monitor switch
    {
        Monitored.ValidationLoss => "val_loss",
        Monitored.ValidationAccuracy => "val_acc",
        Monitored.ValidationMeanAbsoluteError => "val_mae",
        _ => "loss",
    };

    internal void RequireValidation(Monitored monitor, string callback)
    {
        if (monitor != Monitored.Loss && !HasValidation)
            throw new InvalidOperationException(
                $"{callback} monitors {monitor}, but Fit was given no validation set. Pass validation: or validationSplit: to Fit, or monitor Monitored.Loss.");
        if (monitor == Monitored.ValidationAccuracy && LossFunction is not (Loss.CrossEntropy or Loss.BinaryCrossEntropy))
            throw new InvalidOperationException(
                $"{callback} monitors ValidationAccuracy, which is defined for classification losses, but {Network.GetType().Name} uses {LossFunction}. Monitor ValidationLoss or ValidationMeanAbsoluteError.");
    }
}

/// <summary>The quantity a callback such as <see cref="EarlyStopping"/> watches.</summary>
public enum Monitored
{
    /// <summary>The validation loss (lower is better). Keras' default.</summary>
    ValidationLoss,

    /// <summary>The validation accuracy (higher is better); classification losses only.</summary>
    ValidationAccuracy,

    /// <summary>The validation mean absolute error (lower is better).</summary>
    ValidationMeanAbsoluteError,

    /// <summary>The epoch's mean training loss (lower is better).</summary>
    Loss,
}
