using System;
using System.Globalization;

namespace NetGen;

/// <summary>
/// Saves the network to a checkpoint file whenever a monitored quantity reaches its best value so far — Keras'
/// <c>ModelCheckpoint(save_best_only=True)</c>. Each save is atomic (the file is always a whole checkpoint, the latest
/// best) and carries the network's standardizer and class names. Improvement follows the rule of
/// <see cref="EarlyStopping"/>: better than the best by more than <see cref="MinDelta"/>.
/// </summary>
public sealed class SaveBest : Callback
{
    /// <summary>Creates the callback.</summary>
    /// <param name="path">The checkpoint file to write; its folder must exist.</param>
    /// <param name="monitor">What to watch. Default the validation loss.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (absolute). Default 0.</param>
    /// <param name="encoding">The file's encoding; <see cref="CheckpointEncoding.Base64Text"/> makes a file the generator can compile in.</param>
    /// <param name="initialBest">A value the first save must beat (Keras' <c>initial_value_threshold</c>), e.g. the best of an
    /// earlier run; null: the first epoch is saved.</param>
    public SaveBest(string path, Monitored monitor = Monitored.ValidationLoss, float minDelta = 0f, CheckpointEncoding encoding = CheckpointEncoding.Binary,
        float? initialBest = null)
    {
        if (initialBest is { } best)
        {
            BestValue = best;
            _hasInitialBest = true;
        }
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Monitor = monitor;
        MinDelta = OptimizerState.NonNegative(minDelta, nameof(minDelta));
        Encoding = encoding;
    }

    private bool _hasInitialBest;

    /// <summary>The checkpoint file written.</summary>
    public string Path { get; }

    /// <summary>The quantity watched.</summary>
    public Monitored Monitor { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>The file's encoding.</summary>
    public CheckpointEncoding Encoding { get; }

    /// <summary>The epoch last saved (0 before any, or after <see cref="Reset"/>).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The monitored value at <see cref="BestEpoch"/>.</summary>
    public float BestValue { get; private set; } = float.NaN;

    /// <summary>How many times the file was written since it was created or <see cref="Reset"/>.</summary>
    public int Saves { get; private set; }

    /// <inheritdoc />
    /// <remarks>The best value is kept from one <c>Fit</c> call to the next (as Keras' <c>ModelCheckpoint</c> keeps it), so a
    /// resumed run overwrites the file only when it does better; call <see cref="Reset"/> to start afresh. Under
    /// <c>FitWithRestarts</c> the file therefore holds the best epoch of all runs.</remarks>
    public override void OnTrainBegin(TrainingContext context) => context.RequireValidation(Monitor, nameof(SaveBest));

    /// <summary>Forgets the best value so far: the next epoch is saved whatever its value.</summary>
    public void Reset()
    {
        BestEpoch = 0;
        BestValue = float.NaN;
        Saves = 0;
        _hasInitialBest = false;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        float value = TrainingContext.Read(Monitor, result, out bool higherIsBetter);
        if (!TrainingContext.Improves(value, BestValue, BestEpoch > 0 || _hasInitialBest, MinDelta, higherIsBetter))
            return;
        context.SaveCheckpoint(Path, Encoding);
        BestEpoch = result.Epoch;
        BestValue = value;
        Saves++;
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        if (BestEpoch > 0)
            context.Note(string.Create(CultureInfo.InvariantCulture,
                $"Best model: epoch {BestEpoch} ({TrainingContext.Label(Monitor)} {BestValue:0.0000}), saved to {Path}."));
    }
}
